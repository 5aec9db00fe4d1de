"""Thin handlers: one worker-thread hop per update runs its whole turn in one transaction.

The update id is claimed, the user identified, the turn played and its replies queued in the
outbox together; the sender delivers them. What became of each update is recorded in
:attr:`Handlers.outcomes` for the poller or the webhook: an update whose turn could not commit
is not acknowledged, so that Telegram offers it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session, sessionmaker
from telegram import Message, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.telegram import texts
from bot.telegram.delivery import Delivery
from bot.telegram.faults import Fault, cause, classify
from bot.telegram.identity import lang_of
from bot.telegram.sender import OutboxClaim
from dialogs.accounts import TAKEN, identify_in, redeem_in
from dialogs.engine import Arrival
from dialogs.events import Event, Press, Text
from dialogs.ledger import UpdateLedger, claim
from dialogs.outbox import TELEGRAM, Queued, enqueue
from dialogs.reply import Reply
from dialogs.texts import Lang

log = logging.getLogger("openip_bot.telegram")
T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE
TYPING_AFTER = 0.5  # seconds a turn may take before "typing…" is shown
TYPING_EVERY = 4.0  # Telegram shows a chat action for 5 seconds
# What the engine's buttons carry: "<nonce>:<index>", ASCII only (Telegram allows 64 bytes)
CALLBACK_DATA = re.compile(r"[A-Za-z0-9_-]{1,32}:[0-9]{1,4}")


class Outcome(Enum):
    DONE = "done"  # committed: replies queued
    SEEN = "seen"  # handled before (Telegram delivered it again)
    FAILED = "failed"  # a bug: nothing kept, the user told so; acknowledged
    UNAVAILABLE = "unavailable"  # the database is away: not acknowledged, offered again
    FATAL = "fatal"  # the database cannot be written: not acknowledged, the process stops

    @property
    def acknowledged(self) -> bool:
        return self not in (Outcome.UNAVAILABLE, Outcome.FATAL)


class TurnEngine(Protocol):
    def process(self, arrival: Arrival) -> list[Reply] | None: ...


def _nothing(_chat_key: str, _claimed: list[Queued] | None = None) -> None:
    return None


def _unclaimed(_chat_key: str) -> OutboxClaim | None:
    return None


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
        self.delivery = delivery or Delivery()
        self.ledger = UpdateLedger(sessions)
        self.outcomes: dict[int, Outcome] = {}  # read (and dropped) by the poller or webhook
        # webhook mode: a press is answered in the webhook's own reply (no Bot API request);
        # the callback query id of each update to answer so, read (and dropped) by the webhook
        self.answer_in_reply = False
        self.reply_answers: dict[int, str] = {}
        # the sender's wake-up, and its claim of a chat's outbox in the turn's own transaction
        self.on_queued: Callable[[str, list[Queued] | None], None] = _nothing
        self.claim_outbox: Callable[[str], OutboxClaim | None] = _unclaimed
        self.on_fatal: Callable[[str], None] = _nothing  # the process must stop
        self._told_unavailable: set[int] = set()  # chats told, until one of their turns commits

    async def screen(self, update: Update, context: Context) -> None:
        """First of all (group -1): only private chats are served; the rest is ignored silently
        (messages, commands and button presses from groups and channels alike)."""
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            raise ApplicationHandlerStop

    async def on_start(self, update: Update, context: Context) -> None:
        """/start, with an invitation token as deep-link payload when there is one."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        token = context.args[0] if context.args else None
        await self._turn(update, context, message.chat_id, user, Text("/start"), invite=token)

    async def on_text(self, update: Update, context: Context) -> None:
        """A typed message (commands included): the engine understands it."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        await self._turn(update, context, message.chat_id, user, Text(message.text))

    async def on_press(self, update: Update, context: Context) -> None:
        """A button: authorised by the engine from the linked user, answered once handled."""
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None or query.data is None:
            return
        message = query.message
        edit = message.message_id if isinstance(message, Message) else None
        data = query.data if CALLBACK_DATA.fullmatch(query.data) else ""  # "" has expired
        outcome = await self._turn(update, context, chat.id, query.from_user, Press(data), edit)
        if outcome not in (Outcome.DONE, Outcome.FAILED):
            return
        if self.answer_in_reply:
            self.reply_answers[update.update_id] = query.id
            return
        with contextlib.suppress(TelegramError):  # a query too old to answer still counts
            await query.answer()

    async def on_error(self, update: object, context: Context) -> None:
        """A failure outside a turn (nothing was kept): logged; the update is acknowledged."""
        log.error("update failed", exc_info=context.error)

    async def _turn(
        self,
        update: Update,
        context: Context,
        chat_id: int,
        user: User,
        event: Event,
        edit: int | None = None,
        invite: str | None = None,
    ) -> Outcome:
        lang, chat_key = lang_of(user.language_code), f"{TELEGRAM}{chat_id}"
        outbox_claim = self.claim_outbox(chat_key)

        def deliver(session: Session, replies: list[Reply]) -> None:
            enqueue(session, chat_key, replies, edit_of=edit)
            if outbox_claim is not None:
                if replies:
                    outbox_claim.take(session)
                else:
                    outbox_claim.let_go()

        arrival = Arrival(
            chat_key,
            event,
            user=lambda session: identify_in(session, user.id, lang),
            claim=lambda session: claim(session, update.update_id),
            preface=self._redeemer(invite, user.id, lang),
            deliver=deliver,
        )
        claimed: list[Queued] | None = None
        try:
            work = asyncio.to_thread(self._process, arrival, outbox_claim)
            replies, claimed = await self._typing_while(context, chat_id, work)
        except Exception as error:
            outcome = await self._failed(update, context, chat_id, lang, error)
        else:
            outcome = Outcome.DONE if replies is not None else Outcome.SEEN
            if replies is None:
                log.info("update %s seen before: ignored", update.update_id)
        if outcome in (Outcome.DONE, Outcome.FAILED):
            self._told_unavailable.discard(chat_id)
            self.on_queued(chat_key, claimed)
        self.outcomes[update.update_id] = outcome
        return outcome

    def _process(
        self, arrival: Arrival, outbox_claim: OutboxClaim | None
    ) -> tuple[list[Reply] | None, list[Queued] | None]:
        """(Worker thread) The turn, its replies queued and, in the same transaction, the
        sender's claim of the chat's outbox: let go when the turn keeps nothing."""
        try:
            replies = self.engine.process(arrival)
        except BaseException:
            if outbox_claim is not None:
                outbox_claim.let_go()
            raise
        if outbox_claim is None or not outbox_claim.held:
            return replies, None
        if replies is None:
            outbox_claim.let_go()
            return None, None
        return replies, outbox_claim.rows

    def _redeemer(
        self, token: str | None, telegram_id: int, lang: Lang | None
    ) -> Callable[[Session], list[Reply]]:
        """The invitation redeemed in the turn's transaction (a savepoint), and what it says."""

        def redeem(session: Session) -> list[Reply]:
            if token is None:
                return []
            linking = redeem_in(session, token, telegram_id, self.clock())
            refused = linking.refused
            if refused == TAKEN:
                return [Reply(texts.text(lang, "account_taken"))]
            if refused is not None:
                log.info("invitation refused for telegram user %s: %s", telegram_id, refused)
                return [Reply(texts.text(lang, "link_refused"))]
            return [Reply(texts.text(lang, "linked", handle=linking.handle))]

        return redeem

    async def _failed(
        self, update: Update, context: Context, chat_id: int, lang: Lang | None, error: Exception
    ) -> Outcome:
        """Decide what a failed turn means; tell the user what is true."""
        fault = classify(error)
        if fault is Fault.BUG:
            log.error("update %s failed", update.update_id, exc_info=error)
            try:  # told once, in order, like any reply; the update is not handled again
                await asyncio.to_thread(self._record_failure, update.update_id, chat_id, lang)
                return Outcome.FAILED
            except Exception as second:
                error, fault = second, classify(second)
                if fault is Fault.BUG:
                    log.error("failure of update %s not recorded", update.update_id)
                    return Outcome.FAILED
        if fault is Fault.FATAL:
            self.on_fatal(cause(error))
            return Outcome.FATAL
        log.warning("update %s waits for the database: %s", update.update_id, cause(error))
        if chat_id not in self._told_unavailable:
            self._told_unavailable.add(chat_id)
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(chat_id, texts.text(lang, "unavailable"))
        return Outcome.UNAVAILABLE

    def _record_failure(self, update_id: int, chat_id: int, lang: Lang | None) -> None:
        with self.sessions.begin() as session:
            if claim(session, update_id):
                enqueue(session, f"{TELEGRAM}{chat_id}", [Reply(texts.text(lang, "failure"))])

    async def _typing_while(self, context: Context, chat_id: int, work: Awaitable[T]) -> T:
        """Await ``work``, showing "typing…" if it takes longer than a moment (a timer, not a
        task: most turns end before it fires, and a task per turn costs CPU)."""

        async def keep_typing() -> None:
            while True:
                with contextlib.suppress(TelegramError):
                    await self.delivery.typing(context.bot, chat_id)
                await asyncio.sleep(TYPING_EVERY)

        loop = asyncio.get_running_loop()
        started: list[asyncio.Task[None]] = []
        timer = loop.call_later(
            TYPING_AFTER, lambda: started.append(loop.create_task(keep_typing()))
        )
        try:
            return await work
        finally:
            timer.cancel()
            for indicator in started:
                indicator.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await indicator
