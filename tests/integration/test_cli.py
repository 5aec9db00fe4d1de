"""The command line as an operator uses it: demo, service, chat, replay, diagram, intent."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_demo_loads_once_and_refuses_a_database_that_holds_data(tmp_path: Path) -> None:
    url = _url(tmp_path)
    assert runner.invoke(app, ["demo", "--db", url]).exit_code == 0
    again = runner.invoke(app, ["demo", "--db", url])
    assert again.exit_code == 1
    assert "--reset" in again.output
    unconfirmed = runner.invoke(app, ["demo", "--db", url, "--reset"])
    assert unconfirmed.exit_code == 1
    assert "--yes" in unconfirmed.output
    assert runner.invoke(app, ["demo", "--db", url, "--reset", "--yes"]).exit_code == 0


def test_service_json_shows_counts_and_licences_as_the_details_tab(tmp_path: Path) -> None:
    url = _url(tmp_path)
    runner.invoke(app, ["demo", "--db", url])
    result = runner.invoke(app, ["service", "SRV-1001", "--db", url, "--json"])
    data = json.loads(result.output)
    assert data["counts"]["full"] == {"active": 6, "subscribed": 6}
    assert data["sites"] == ["Siège Social", "Agence Aix"]
    first = data["licences"][0]
    assert first == {
        "id": "FPC367101",
        "type": "full",
        "state": "active",
        "site": "Siège Social",
        "sda": "+33491000001",
    }


def test_service_of_another_reseller_is_not_found(tmp_path: Path) -> None:
    url = _url(tmp_path)
    runner.invoke(app, ["demo", "--db", url])
    result = runner.invoke(app, ["service", "SRV-2001", "--db", url, "--as", "revendeur-alpha"])
    assert result.exit_code == 1
    assert "not found" in result.output


def test_service_text_reads_like_the_portal(tmp_path: Path) -> None:
    url = _url(tmp_path)
    runner.invoke(app, ["demo", "--db", url])
    result = runner.invoke(app, ["service", "srv-1002", "--db", url])
    assert "Licence full" in result.output
    assert "04 91 00 01 01" in result.output


def test_replay_prints_every_message_and_fails_on_an_unmet_expectation(tmp_path: Path) -> None:
    url = _url(tmp_path)
    runner.invoke(app, ["demo", "--db", url])
    good = tmp_path / "good.jsonl"
    good.write_text('{"say": "/menu"}\n{"expect": "Que voulez-vous faire"}\n', encoding="utf-8")
    result = runner.invoke(app, ["replay", str(good), "--db", url])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines[0] == {"from": "user", "text": "/menu"}
    assert lines[1]["from"] == "bot"
    assert ["Résilier des licences"] in lines[1]["buttons"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"say": "/menu"}\n{"expect": "^jamais$"}\n', encoding="utf-8")
    failed = runner.invoke(app, ["replay", str(bad), "--db", url])
    assert failed.exit_code == 1


def test_the_terminal_chat_presses_buttons_by_number(tmp_path: Path) -> None:
    url = _url(tmp_path)
    runner.invoke(app, ["demo", "--db", url])
    result = runner.invoke(app, ["chat", "--db", url, "--as", "helpdesk"], input="1\nsuivant\n")
    assert "Étape 1/" in result.output
    assert "Étape 2/" in result.output


def test_a_number_typed_at_a_keyboard_of_numbers_is_the_number_not_the_button_at_that_place(
    tmp_path: Path,
) -> None:
    url = _url(tmp_path)
    runner.invoke(app, ["demo", "--db", url])
    lines = "résilie des licences full chez Cabinet Azur\n4\n"  # buttons: 1, 2, Précédent, Annuler
    result = runner.invoke(app, ["chat", "--db", url, "--as", "revendeur-alpha"], input=lines)
    # « 4 » is four licences: more than the two without a number, so the numbers are in the way
    assert "elles sont associées à un numéro" in result.output
    assert "arrêtée" not in result.output  # not « Annuler », the fourth button


def test_intent_reads_one_utterance_per_line(tmp_path: Path) -> None:
    url = _url(tmp_path)
    runner.invoke(app, ["demo", "--db", url])
    lines = "résilie 2 licences full chez cabinet azur\nquel temps fait-il ?\n"
    result = runner.invoke(app, ["intent", "-", "--db", url], input=lines)
    first, second = (json.loads(x) for x in result.output.splitlines())
    assert first["procedure"] == "cancel_licences"
    assert first["slots"]["client"] == "Cabinet Azur"
    assert first["slots"]["quantity"] == 2
    assert second["procedure"] is None


def test_the_diagram_is_mermaid_with_every_transition() -> None:
    result = runner.invoke(app, ["diagram", "cancel_licences"])
    assert result.exit_code == 0
    assert "stateDiagram-v2" in result.output
    assert "g_trash --> g_why_disabled: branch_icon_disabled" in result.output


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_the_diagram_can_be_a_png(tmp_path: Path) -> None:
    target = tmp_path / "d.png"
    result = runner.invoke(
        app, ["diagram", "cancel_licences", "--format", "png", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_console_script_is_installed_and_answers() -> None:
    exe = Path(sys.executable).with_name("openip-bot")
    done = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "chat" in done.stdout
