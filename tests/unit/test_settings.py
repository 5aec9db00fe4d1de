"""Settings come from the environment, from ``*_FILE`` files, or from a secrets folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings


def test_a_secret_is_read_from_the_file_its_file_variable_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tmp_path / "token"
    token.write_text("123:secret\n", "utf-8")
    monkeypatch.delenv("OPENIP_BOT_TOKEN", raising=False)
    monkeypatch.setenv("OPENIP_BOT_TOKEN_FILE", str(token))
    settings = Settings()
    assert settings.token is not None
    assert settings.token.get_secret_value() == "123:secret"
    monkeypatch.setenv("OPENIP_BOT_TOKEN", "456:env")  # the environment itself wins
    assert Settings().token.get_secret_value() == "456:env"  # type: ignore[union-attr]


def test_every_file_of_the_secrets_folder_is_a_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "openip_bot_database_url").write_text("postgresql://bot:pw@db/openip\n", "utf-8")
    monkeypatch.delenv("OPENIP_BOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("OPENIP_BOT_SECRETS_DIR", str(tmp_path))
    assert Settings().database_url == "postgresql://bot:pw@db/openip"
    assert not Settings().is_default_database()


def test_an_empty_variable_leaves_the_default_and_lets_the_file_variant_speak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tmp_path / "token"
    token.write_text("123:from-file", "utf-8")
    monkeypatch.setenv("OPENIP_BOT_TOKEN", "")  # as a copied .env.example hands it over
    monkeypatch.setenv("OPENIP_BOT_TOKEN_FILE", str(token))
    monkeypatch.setenv("OPENIP_BOT_HEALTH_PORT", "")
    settings = Settings()
    assert settings.health_port is None
    assert settings.token is not None
    assert settings.token.get_secret_value() == "123:from-file"


def test_the_helpdesk_chat_is_a_setting_like_the_others_file_or_secrets_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENIP_BOT_HELPDESK_CHAT", raising=False)
    chat = tmp_path / "chat"
    chat.write_text("-1001234\n", "utf-8")
    monkeypatch.setenv("OPENIP_BOT_HELPDESK_CHAT_FILE", str(chat))
    assert Settings().helpdesk_chat == -1001234
    monkeypatch.delenv("OPENIP_BOT_HELPDESK_CHAT_FILE")
    (tmp_path / "openip_bot_helpdesk_chat").write_text("7007\n", "utf-8")
    monkeypatch.setenv("OPENIP_BOT_SECRETS_DIR", str(tmp_path))
    assert Settings().helpdesk_chat == 7007
