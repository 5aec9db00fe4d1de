"""The assistant's settings: environment variables ``OPENIP_BOT_*`` or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """A SQLite file in the user's data directory (created on first use)."""
    return f"sqlite:///{Path(user_data_dir('openip-bot')) / 'openip-bot.sqlite3'}"


class Settings(BaseSettings):
    """Every setting, read once at start-up."""

    model_config = SettingsConfigDict(
        env_prefix="OPENIP_BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
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

    def is_default_database(self, override: str | None = None) -> bool:
        """True for the embedded default database: the only one that gets the demo data."""
        return not override and not self.database_url

    def db_url(self, override: str | None = None) -> str:
        """The database URL: the ``--db`` option, else the setting, else the default file."""
        return override or self.database_url or default_database_url()
