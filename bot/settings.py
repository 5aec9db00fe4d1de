"""The assistant's settings: environment variables ``OPENIP_BOT_*``, a ``.env`` file, or files.

A secret can be kept out of the environment: ``OPENIP_BOT_TOKEN_FILE=/run/secrets/token`` reads
the setting ``token`` from that file (any setting has its ``*_FILE`` variant), and every file of
the secrets folder (``OPENIP_BOT_SECRETS_DIR``, default ``/run/secrets`` where it exists) named
after a variable (``openip_bot_token``) is read as that variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    SettingsConfigDict,
)

PREFIX = "OPENIP_BOT_"
DEFAULT_SECRETS_DIR = Path("/run/secrets")


def default_database_url() -> str:
    """A SQLite file in the user's data directory (created on first use)."""
    return f"sqlite:///{Path(user_data_dir('openip-bot')) / 'openip-bot.sqlite3'}"


class Settings(BaseSettings):
    """Every setting, read once at start-up."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # `OPENIP_BOT_X=` (as in .env.example) leaves the default
        extra="ignore",
    )

    database_url: str = ""
    token: SecretStr | None = None
    api_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    health_port: int | None = None  # webhook mode: GET /health here (default: webhook port + 1)
    flood_limit: float = 30.0  # messages per second over all chats (Telegram's limit); 0: none
    log_json: bool = False
    log_level: str = "INFO"
    # orders: signature requests by e-mail, expiry, the e-signature service's callback
    smtp_url: SecretStr | None = None  # smtp://user:password@host:587 or smtps://…:465
    mail_from: str = "openip-bot@localhost"
    order_ttl_days: int = 30
    signature_secret: SecretStr | None = None  # HMAC key of POST /orders/{ref}/signature
    orders_interval: float = 10.0  # seconds between two rounds of expiry and e-mail in ``run``
    helpdesk_chat: int | None = None  # « parler à un humain »: summaries forwarded to this chat

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The environment first, then ``*_FILE`` files, ``.env``, and the secrets folder."""
        sources = [init_settings, env_settings, FileVariables(settings_cls), dotenv_settings]
        folder = Path(os.environ.get(f"{PREFIX}SECRETS_DIR") or DEFAULT_SECRETS_DIR)
        if folder.is_dir():
            sources.append(SecretsSettingsSource(settings_cls, secrets_dir=folder))
        return tuple(sources)

    def is_default_database(self, override: str | None = None) -> bool:
        """True for the embedded default database: the only one that gets the demo data."""
        return not override and not self.database_url

    def db_url(self, override: str | None = None) -> str:
        """The database URL: the ``--db`` option, else the setting, else the default file."""
        return override or self.database_url or default_database_url()


class FileVariables(PydanticBaseSettingsSource):
    """``OPENIP_BOT_<SETTING>_FILE=path``: the setting is the file's text (final newline cut)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        path = os.environ.get(f"{PREFIX}{field_name.upper()}_FILE")
        if not path:
            return None, field_name, False
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n"), field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, field in self.settings_cls.model_fields.items():
            value, key, _ = self.get_field_value(field, name)
            if value is not None:
                values[key] = value
        return values
