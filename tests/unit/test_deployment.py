"""Deployment files hold together: Dockerfile, compose files, systemd unit, .env.example, lock."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    lines = [x.strip() for x in joined.splitlines() if x.strip() and not x.startswith("#")]
    return [(x.split(None, 1)[0].upper(), x.split(None, 1)[1]) for x in lines]


def test_the_dockerfile_builds_in_stages_and_runs_openip_bot_as_a_plain_user() -> None:
    steps = _instructions((ROOT / "Dockerfile").read_text("utf-8"))
    stages = [i for i, (op, _) in enumerate(steps) if op == "FROM"]
    assert len(stages) >= 2
    final = steps[stages[-1] :]
    assert all("slim" in arg for op, arg in steps if op == "FROM")
    users = [arg for op, arg in final if op == "USER"]
    assert users
    assert users[-1] not in ("root", "0")
    assert ("ENTRYPOINT", '["openip-bot"]') in final
    assert any(op == "HEALTHCHECK" and "/health/live" in arg for op, arg in final)
    assert any(op == "ENV" and "OPENIP_BOT_HEALTH_PORT=8444" in arg for op, arg in final)
    for op, arg in steps:
        if op == "COPY" and not arg.startswith("--from"):
            for source in arg.split()[:-1]:
                assert (ROOT / source).exists(), source


def _compose() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


@pytest.mark.parametrize("files", [["compose.yaml"], ["compose.yaml", "compose.webhook.yaml"]])
def test_docker_compose_config_accepts_the_compose_files(files: list[str], tmp_path: Path) -> None:
    compose = _compose()
    if compose is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    for name in files:
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    (tmp_path / "secrets").mkdir()
    for secret in ("postgres_password", "database_url", "telegram_token"):
        (tmp_path / "secrets" / secret).write_text("x\n", "utf-8")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "OPENIP_BOT_WEBHOOK_URL": "https://b.example/h"}
    args = [part for name in files for part in ("-f", name)]
    done = subprocess.run(
        [*compose, *args, "config"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "service_completed_successfully" in done.stdout
    assert ("8444" in done.stdout) == ("compose.webhook.yaml" in files)  # the health port


def test_the_env_example_lists_every_setting() -> None:
    example = (ROOT / ".env.example").read_text("utf-8")
    listed = set(re.findall(r"^(?:# )?OPENIP_BOT_([A-Z_]+)=", example, re.MULTILINE))
    fields = set(Settings.model_fields)
    assert {name.upper() for name in fields} | {"SECRETS_DIR"} == listed


def _unit() -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}
    for line in (ROOT / "deploy" / "openip-bot.service").read_text("utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entries.setdefault(key, []).append(value)
    return entries


def test_the_systemd_unit_migrates_then_runs_the_bot_as_its_own_user() -> None:
    unit = _unit()
    assert unit["ExecStartPre"] == ["/opt/openip-bot/bin/openip-bot db upgrade"]
    assert unit["ExecStart"] == ["/opt/openip-bot/bin/openip-bot run"]
    assert unit["User"] == ["openip-bot"]
    assert "OPENIP_BOT_TOKEN_FILE=%d/telegram_token" in unit["Environment"]


def test_the_lock_file_pins_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lock = (ROOT / "requirements.lock").read_text("utf-8")
    pinned = {m.lower() for m in re.findall(r"^([A-Za-z0-9_.-]+)==", lock, re.MULTILINE)}
    for requirement in project["dependencies"]:
        name = re.split(r"[\[<>=!~ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pinned, name
    assert "--hash=sha256:" in lock


def test_the_licence_is_mit_and_the_version_is_printed() -> None:
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"openip-bot \d+\.\d+\.\d+\S*\n", result.output)
