"""Putting one outbox message on Telegram: a press on the current step edits in place."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError

from bot.telegram.render import Outgoing, messages
from dialogs.outbox import TELEGRAM, Queued

log = logging.getLogger("openip_bot.telegram")
# A send that is slow is not a send that failed: wait long before retrying (a retry after a
# timeout may show the message twice), far below the time a chat's outbox lock is held.
SEND_TIMEOUT = 30.0


def retry_seconds(error: RetryAfter) -> float:
    """A 429's ``retry_after`` in seconds (PTB gives an int or a timedelta)."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def chat_id_of(chat_key: str) -> int:
    if not chat_key.startswith(TELEGRAM):
        raise ValueError(f"not a Telegram chat: {chat_key!r}")
    return int(chat_key[len(TELEGRAM) :])


async def call(bot: Bot, method: str, data: dict[str, Any]) -> Any:
    """A Bot API call through PTB's own request path (flood limiter, errors, timeouts) whose
    answer is not turned into objects: what a send or an edit gives back is never used, and
    parsing it (``Message.de_json``) costs more CPU than the request's own bookkeeping."""
    return await bot._post(method, data, read_timeout=SEND_TIMEOUT, write_timeout=SEND_TIMEOUT)


def _message(part: Outgoing, **where: int) -> dict[str, Any]:
    return {**where, "text": part.html, "parse_mode": ParseMode.HTML,
            "reply_markup": part.markup}


class Delivery:
    """Renders a queued reply into its chat; its first part may replace the pressed message.

    Whether a press edits is decided by the engine (``Reply.edit``: the button belonged to the
    conversation's current step), so it holds across restarts and across instances. Errors are
    Telegram's own (:class:`TelegramError`): the sender decides whether to retry.
    """

    async def typing(self, bot: Bot, chat_id: int) -> None:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)

    async def send(
        self, bot: Bot, item: Queued, progress: Callable[[int], Awaitable[None]]
    ) -> None:
        """Send the parts not sent yet; ``progress(n)`` after each part but the last."""
        chat_id = chat_id_of(item.chat_key)
        parts = messages(item.reply)
        if item.reply.changed and item.sent_parts == 0:
            with contextlib.suppress(TelegramError):  # cosmetic: never worth a retry
                await self.typing(bot, chat_id)
        for index in range(item.sent_parts, len(parts)):
            edited = False
            if index == 0 and item.edit_of is not None:
                edited = await self._edit(bot, chat_id, item.edit_of, parts[0])
            if not edited:
                await self._send(bot, chat_id, parts[index])
            if index < len(parts) - 1:
                await progress(index + 1)

    async def _send(self, bot: Bot, chat_id: int, part: Outgoing) -> None:
        await call(bot, "sendMessage", _message(part, chat_id=chat_id))

    async def _edit(self, bot: Bot, chat_id: int, message_id: int, part: Outgoing) -> bool:
        """True when the message shows the part now; False when it cannot be edited any more
        (too old, deleted): the part is then sent as a new message."""
        try:
            await call(bot, "editMessageText",
                       _message(part, chat_id=chat_id, message_id=message_id))
        except BadRequest as error:
            if "not modified" in error.message.lower():  # a retried edit that had landed
                return True
            log.info("message %s of chat %s not edited: %s", message_id, chat_id, error.message)
            return False
        return True
