"""Thin handlers: identify the user, run the engine in a worker thread, deliver the replies."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session, sessionmaker
from telegram import Message, Update, User
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.telegram import texts
from bot.telegram.delivery import Delivery
from bot.telegram.identity import identify, lang_of
from bot.telegram.ledger import UpdateLedger
from dialogs.events import Event, Press, Text
from dialogs.reply import Reply
from dialogs.texts import Lang, say
from dialogs.turn import NotLinked, UserContext
from domain.errors import InviteRefused, TelegramAccountTaken
from domain.persistence.uow import UnitOfWork
from domain.services.users import redeem_invite

log = logging.getLogger("openip_bot.telegram")
T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE
TYPING_AFTER = 0.5  # seconds a turn may take before "typing…" is shown
TYPING_EVERY = 4.0  # Telegram shows a chat action for 5 seconds


class TurnEngine(Protocol):
    def handle(self, chat_key: str, user: UserContext, event: Event) -> list[Reply]: ...


class Handlers:
    """The callbacks registered on the application; they hold no conversation state."""

    def __init__(
        self,
        engine: TurnEngine,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        delivery: Delivery | None = None,
    ) -> None:
        self.engine, self.sessions, self.clock = engine, sessions, clock
        self.ledger = UpdateLedger(sessions)
        self.delivery = delivery or Delivery()

    async def screen(self, update: Update, context: Context) -> None:
        """First of all (group -1): an update id seen before stops here."""
        if not await asyncio.to_thread(self.ledger.claim, update.update_id):
            log.info("update %s seen before: ignored", update.update_id)
            raise ApplicationHandlerStop

    async def on_start(self, update: Update, context: Context) -> None:
        """/start, with an invitation token as deep-link payload when there is one."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if context.args:
            note = await asyncio.to_thread(self._redeem, context.args[0], user)
            await self.delivery.deliver(context.bot, message.chat_id, [Reply(note)])
        await self._turn(context, message.chat_id, user, Text("/start"))

    async def on_text(self, update: Update, context: Context) -> None:
        """A typed message (commands included): the engine understands it."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        await self._turn(context, message.chat_id, user, Text(message.text))

    async def on_press(self, update: Update, context: Context) -> None:
        """A button: answered at once, then authorised by the engine from the linked user."""
        query = update.callback_query
        if query is None:
            return
        with contextlib.suppress(TelegramError):  # a query too old to answer still counts
            await query.answer()
        chat = update.effective_chat
        if query.data is None or chat is None:
            return
        message = query.message
        edit = message.message_id if isinstance(message, Message) else None
        await self._turn(context, chat.id, query.from_user, Press(query.data), edit)

    async def on_error(self, update: object, context: Context) -> None:
        """Log the failure; tell the user something went wrong when there is a chat."""
        log.error("update failed", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            user = update.effective_user
            lang = lang_of(user.language_code if user else None)
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(
                    update.effective_chat.id, texts.text(lang, "failure")
                )

    async def _turn(
        self, context: Context, chat_id: int, user: User, event: Event, edit: int | None = None
    ) -> None:
        lang = lang_of(user.language_code)
        work = asyncio.to_thread(self._handle, chat_id, user.id, lang, event)
        replies = await self._typing_while(context, chat_id, work)
        # only a press on the current step edits its message (the engine says so): an old or
        # double-tapped button gets new messages, and a result already shown stays
        in_place = edit if replies and replies[0].edit else None
        await self.delivery.deliver(context.bot, chat_id, replies, in_place)

    def _handle(
        self, chat_id: int, telegram_id: int, lang: Lang | None, event: Event
    ) -> list[Reply]:
        """One engine turn (worker thread): the user is authorised again from the database."""
        user = identify(self.sessions, telegram_id, lang)
        try:
            return self.engine.handle(f"tg:{chat_id}", user, event)
        except NotLinked:  # revoked while a procedure was under way: nothing was changed
            return [Reply(say(lang or "fr", "common.not_linked"))]

    def _redeem(self, token: str, user: User) -> str:
        lang = lang_of(user.language_code)
        try:
            with UnitOfWork(self.sessions) as uow:
                linked = redeem_invite(uow, token, user.id, self.clock())
        except InviteRefused as refused:
            log.info("invitation refused for telegram user %s: %s", user.id, refused.reason)
            return texts.text(lang, "link_refused")
        except TelegramAccountTaken:
            return texts.text(lang, "account_taken")
        return texts.text(lang, "linked", handle=linked.handle)

    async def _typing_while(self, context: Context, chat_id: int, work: Awaitable[T]) -> T:
        """Await ``work``, showing "typing…" if it takes longer than a moment."""

        async def keep_typing() -> None:
            await asyncio.sleep(TYPING_AFTER)
            while True:
                with contextlib.suppress(TelegramError):
                    await self.delivery.typing(context.bot, chat_id)
                await asyncio.sleep(TYPING_EVERY)

        indicator = asyncio.create_task(keep_typing())
        try:
            return await work
        finally:
            indicator.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await indicator
