"""Sending replies: a press on the current step edits that message in place."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest

from bot.telegram.render import Outgoing, messages
from dialogs.reply import Reply

log = logging.getLogger("openip_bot.telegram")


class Delivery:
    """Renders replies into a chat; the first part may replace the pressed message.

    Whether a press edits is decided by the engine (``Reply.edit``: the button belonged to the
    conversation's current step), so it holds across restarts and across instances.
    """

    async def typing(self, bot: Bot, chat_id: int) -> None:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)

    async def deliver(
        self, bot: Bot, chat_id: int, replies: Sequence[Reply], edit: int | None = None
    ) -> None:
        """Send the replies; the first part replaces message ``edit`` when one is given."""
        if any(reply.busy for reply in replies):
            await self.typing(bot, chat_id)
        parts = [part for reply in replies for part in messages(reply)]
        for index, part in enumerate(parts):
            message_id = None
            if index == 0 and edit is not None:
                message_id = await self._edit(bot, chat_id, edit, part)
            if message_id is None:
                await self._send(bot, chat_id, part)

    async def _send(self, bot: Bot, chat_id: int, part: Outgoing) -> int:
        sent = await bot.send_message(
            chat_id, part.html, parse_mode=ParseMode.HTML, reply_markup=part.markup
        )
        return sent.message_id

    async def _edit(self, bot: Bot, chat_id: int, message_id: int, part: Outgoing) -> int | None:
        """The edited message's id, or None when it cannot be edited (send a new one then)."""
        try:
            edited = await bot.edit_message_text(
                part.html, chat_id, message_id, parse_mode=ParseMode.HTML, reply_markup=part.markup
            )
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return message_id
            log.info("message %s of chat %s not edited: %s", message_id, chat_id, error.message)
            return None
        return edited.message_id if isinstance(edited, Message) else message_id
