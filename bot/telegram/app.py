"""Building the python-telegram-bot application, and how it polls or serves its webhook."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.database import Database
from bot.settings import Settings
from bot.telegram.delivery import SEND_TIMEOUT
from bot.telegram.handlers import Handlers, TurnEngine
from bot.telegram.menu import MENU
from bot.telegram.ordering import PerChatProcessor
from bot.telegram.request import BotApiRequest
from bot.telegram.sender import NOW
from dialogs.engine import DialogEngine

log = logging.getLogger("openip_bot.telegram")
App = Application[Any, Any, Any, Any, Any, Any]
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts
RATE_LIMIT_RETRIES = 3  # a 429's retry_after is waited out, then the request is sent again
# Bot API connections: few (see bot.telegram.request). A request that finds them all busy waits
# for one (POOL_TIMEOUT, as long as a send may take) rather than failing after PTB's default
# second and postponing its chat's outbox.
CONNECTION_POOL = 8
POOL_TIMEOUT = SEND_TIMEOUT
WEBHOOK_SECRET_LABEL = b"openip-bot webhook secret"


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    api_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    flood_limit: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramConfig:
        """The Telegram part of the settings (a token is required)."""
        if settings.token is None:
            raise ValueError("no bot token")
        secret = settings.webhook_secret
        return cls(
            token=settings.token.get_secret_value(),
            api_url=settings.api_url,
            webhook_url=settings.webhook_url or None,
            webhook_secret=secret.get_secret_value() if secret is not None else None,
            webhook_listen=settings.webhook_listen,
            webhook_port=settings.webhook_port,
            flood_limit=settings.flood_limit,
        )


def build_application(
    config: TelegramConfig,
    database: Database,
    *,
    clock: Callable[[], datetime] = NOW,
    engine: TurnEngine | None = None,
) -> tuple[App, Handlers]:
    """The application with its handlers, per-chat ordering and flood-limit retries."""
    handlers = Handlers(engine or DialogEngine(database.sessions), database.sessions, clock)
    app: App = (
        Application.builder()
        .token(config.token)
        .base_url(config.api_url)
        .base_file_url(file_url(config.api_url))
        .rate_limiter(limiter(config.flood_limit))
        .request(BotApiRequest(CONNECTION_POOL, pool_timeout=POOL_TIMEOUT))
        .concurrent_updates(PerChatProcessor())
        .post_init(_on_start(handlers))
        .build()
    )
    private = filters.ChatType.PRIVATE  # client data is never shown in a group
    app.add_handler(TypeHandler(Update, handlers.screen), group=-1)
    app.add_handler(CommandHandler("start", handlers.on_start, filters=private))
    app.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.UpdateType.EDITED, handlers.on_text)
    )
    app.add_handler(CallbackQueryHandler(handlers.on_press))
    app.add_error_handler(handlers.on_error)
    return app, handlers


def limiter(flood_limit: float) -> AIORateLimiter:
    """Telegram's flood limits (overall messages per second, 0 for none) with 429 retries."""
    if flood_limit < 0:
        raise ValueError("the flood limit is a number of messages per second, 0 or more")
    return AIORateLimiter(overall_max_rate=flood_limit, max_retries=RATE_LIMIT_RETRIES)


async def register_commands(app: App) -> None:
    """/start, /menu, /aide, /annuler in French (also the default); /help, /cancel in English."""
    for language, commands in (
        ("", MENU["fr"]),
        ("fr", MENU["fr"]),
        ("en", MENU["en"]),
    ):
        await app.bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            language_code=language or None,
        )


def _on_start(handlers: Handlers) -> Callable[[App], Any]:
    async def on_start(app: App) -> None:
        await register_commands(app)
        dropped = await asyncio.to_thread(handlers.ledger.prune)
        log.info("started as @%s (%d old update ids forgotten)", app.bot.username, dropped)

    return on_start


def file_url(api_url: str) -> str:
    """The file download base matching a Bot API base (``…/bot`` → ``…/file/bot``)."""
    root, slash, last = api_url.rstrip("/").rpartition("/")
    return f"{root}/file/{last}" if slash else api_url


def derived_secret(token: str) -> str:
    """The webhook secret when none is configured: a keyed hash of the bot token, the same in
    every instance, that reveals nothing of the token."""
    return hmac.new(token.encode(), WEBHOOK_SECRET_LABEL, hashlib.sha256).hexdigest()


def polling_options() -> dict[str, Any]:
    """``run_polling`` / ``Updater.start_polling`` arguments (pending updates are kept)."""
    return {"allowed_updates": ALLOWED_UPDATES, "drop_pending_updates": False}


def webhook_options(config: TelegramConfig) -> dict[str, Any]:
    """Where and how the webhook is served and registered; a request without the secret token
    header gets 403 and runs no handler (without a configured secret, one derived from the
    token: every instance of the bot agrees on it)."""
    if not config.webhook_url:
        raise ValueError("no webhook URL")
    if config.webhook_secret is not None and not SECRET_TOKEN.fullmatch(config.webhook_secret):
        raise ValueError("OPENIP_BOT_WEBHOOK_SECRET: 1 to 256 characters among A-Z a-z 0-9 _ -")
    return {
        "listen": config.webhook_listen,
        "port": config.webhook_port,
        "url_path": urlsplit(config.webhook_url).path.strip("/"),
        "webhook_url": config.webhook_url,
        "secret_token": config.webhook_secret or derived_secret(config.token),
        "allowed_updates": ALLOWED_UPDATES,
        "drop_pending_updates": False,
    }
