"""Logging for operators: text or one JSON object a line, never a token or personal data.

The engine logs each turn with ``extra={chat, user, procedure, step, duration_ms}``. Here the
chat key becomes a short keyed hash (the same chat always gets the same hash within one
deployment, and the key cannot be read back), and every message is scrubbed of bot tokens,
e-mail addresses and phone-like numbers before it is written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.settings import Settings

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_HANDLER_MARK = "_openip_bot_handler"
_NOISY = ("httpx", "httpcore", "alembic.runtime.plugins")

_SCRUBS = (
    (re.compile(r"bot\d{3,}:[A-Za-z0-9_-]{20,}"), "bot[token]"),
    (re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{30,}"), "[token]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<![\w:])\+?\d(?:[ .]?\d){7,}(?!\w)"), "[number]"),
)


def scrub(text: str) -> str:
    """The text without bot tokens, e-mail addresses or phone-like numbers."""
    for pattern, replacement in _SCRUBS:
        text = pattern.sub(replacement, text)
    return text


_CHAT_KEY = re.compile(r"\b(?:tg|cli|replay):[^\s,;]+")


def chat_hash(chat_key: str, salt: bytes = b"") -> str:
    """A short stable pseudonym of a chat key (keyed by ``salt`` when there is one)."""
    return hmac.new(salt, chat_key.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


class _Fields:
    """What a record carries beyond the message: the turn's fields, made safe to write."""

    def __init__(self, salt: bytes) -> None:
        self.salt = salt

    def clean(self, text: str) -> str:
        """The text with chat keys (``tg:123``) pseudonymised, then scrubbed."""
        return scrub(_CHAT_KEY.sub(lambda m: f"chat:{chat_hash(m[0], self.salt)}", text))

    def of(self, record: logging.LogRecord) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            if key == "chat" and value is not None:
                value = chat_hash(str(value), self.salt)
            elif isinstance(value, str):
                value = self.clean(value)
            elif not isinstance(value, int | float | bool | type(None)):
                value = self.clean(str(value))
            fields[key] = value
        return fields

    def error(self, record: logging.LogRecord, formatter: logging.Formatter) -> str | None:
        if not record.exc_info:
            return None
        return self.clean(formatter.formatException(record.exc_info))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and the extra fields."""

    def __init__(self, salt: bytes = b"") -> None:
        super().__init__()
        self._fields = _Fields(salt)

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._fields.clean(record.getMessage()),
            **self._fields.of(record),
        }
        error = self._fields.error(record, self)
        if error:
            payload["error"] = error
        return json.dumps(payload, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger message key=value…`` for people reading a terminal."""

    def __init__(self, salt: bytes = b"") -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self._fields = _Fields(salt)

    def format(self, record: logging.LogRecord) -> str:
        line = self._fields.clean(super().format(_without_exception(record)))
        extra = " ".join(f"{k}={v}" for k, v in self._fields.of(record).items() if v is not None)
        error = self._fields.error(record, self)
        return "\n".join(part for part in (f"{line} {extra}".rstrip(), error) if part)


def _without_exception(record: logging.LogRecord) -> logging.LogRecord:
    copy = logging.makeLogRecord(vars(record))
    copy.exc_info, copy.exc_text = None, None
    return copy


def configure_logging(
    level: str | int = "INFO",
    json: bool = False,
    *,
    salt: bytes = b"",
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Send every log record to ``stream`` (stderr) in text or JSON; calling again replaces it."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(salt) if json else TextFormatter(salt))
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    for name in _NOISY:  # httpx's INFO lines print request URLs, which hold the bot token
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    # transitions says at INFO what every press does to the machine (two lines, CPU per turn):
    # heard only when debugging (OPENIP_BOT_LOG_LEVEL=DEBUG)
    logging.getLogger("transitions").setLevel(
        logging.DEBUG if root.level <= logging.DEBUG else max(logging.WARNING, root.level)
    )
    return handler


def configure_from_settings(settings: Settings, *, quiet_by_default: bool = False) -> None:
    """Log as the settings say (``OPENIP_BOT_LOG_LEVEL``, ``OPENIP_BOT_LOG_JSON``).

    ``quiet_by_default`` (interactive commands) keeps to warnings unless a level or JSON was
    asked for, so that the terminal chat is not interleaved with a line per turn.
    """
    level = settings.log_level
    if quiet_by_default and not settings.log_json and "log_level" not in settings.model_fields_set:
        level = "WARNING"
    token = settings.token.get_secret_value() if settings.token else ""
    salt = hmac.new(token.encode(), b"openip-bot log pseudonyms", hashlib.sha256).digest()
    configure_logging(level, settings.log_json, salt=salt if token else b"")
