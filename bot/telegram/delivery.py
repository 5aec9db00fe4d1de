"""Sending replies: a press on the current keyboard edits that message in place."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Bot, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest

from bot.telegram.render import Outgoing, messages
from dialogs.reply import Reply

log = logging.getLogger("openip_bot.telegram")
REMEMBERED_CHATS = 10_000


@dataclass(frozen=True)
class Shown:
    """The message that carries a chat's current keyboard, and the tokens of its buttons."""

    message_id: int
    tokens: frozenset[str]


class Delivery:
    """Renders replies into a chat and remembers where each chat's current keyboard is.

    Only a press on the buttons currently shown edits in place; a press on an older message (a
    double tap, or any button from before a restart) gets its answer as new messages, so a
    result already shown is never overwritten.
    """

    def __init__(self) -> None:
        self._shown: OrderedDict[int, Shown] = OrderedDict()

    def editable(self, chat_id: int, message_id: int, token: str) -> bool:
        shown = self._shown.get(chat_id)
        return shown is not None and shown.message_id == message_id and token in shown.tokens

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
                message_id = await self._send(bot, chat_id, part)
            self._note(chat_id, message_id, part)

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

    def _note(self, chat_id: int, message_id: int, part: Outgoing) -> None:
        if part.markup is not None:
            self._shown[chat_id] = Shown(message_id, part.tokens)
            self._shown.move_to_end(chat_id)
            while len(self._shown) > REMEMBERED_CHATS:
                self._shown.popitem(last=False)
        elif (shown := self._shown.get(chat_id)) and shown.message_id == message_id:
            del self._shown[chat_id]  # its keyboard was edited away
