"""The dialog engine: one turn = load the chat's conversation, fire the event, save, reply."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from sqlalchemy.orm import Session, sessionmaker

from dialogs import store
from dialogs.conversation import Conversation
from dialogs.dispatch import dispatch
from dialogs.events import Event
from dialogs.machines import build_all
from dialogs.procedures import PROCEDURES
from dialogs.render import render_menu
from dialogs.reply import Reply
from dialogs.texts import say
from dialogs.turn import NotLinked, Turn, UserContext
from domain.errors import Conflict
from domain.persistence.uow import UnitOfWork

log = logging.getLogger("openip_bot.engine")
ATTEMPTS = 3


class Engine:
    """Turns events into replies; thread-safe, holds no conversation in memory between turns."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        build_all()

    def handle(self, chat_key: str, user: UserContext, event: Event) -> list[Reply]:
        """Process one event of a chat in one transaction (retried if another turn won a race)."""
        started = time.perf_counter()
        for attempt in range(ATTEMPTS):
            try:
                replies, turn = self._turn(chat_key, user, event)
            except Conflict:
                log.info("conflict on chat %s, attempt %d", chat_key, attempt + 1)
                continue
            log.info(
                "turn",
                extra={
                    "chat": chat_key,
                    "user": user.handle,
                    "procedure": turn.conv.frame.procedure if turn.conv.frame else None,
                    "step": turn.conv.state,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return replies
        return [Reply(say(user.lang_hint or "fr", "common.busy"))]

    def _turn(self, chat_key: str, user: UserContext, event: Event) -> tuple[list[Reply], Turn]:
        with UnitOfWork(self._sessions) as uow:
            record, conversation = store.load(uow.session, chat_key)
            if not record.data and user.lang_hint:
                conversation.lang = user.lang_hint
            _drop_unknown_state(conversation)
            turn = Turn(conversation, user, uow, PROCEDURES, chat_key=chat_key)
            conversation.turn += 1
            try:
                replies = dispatch(turn, event)
            except NotLinked:  # access revoked while a procedure was under way
                uow.rollback()
                record, conversation = store.load(uow.session, chat_key)
                turn = Turn(conversation, user, uow, PROCEDURES, chat_key=chat_key)
                conversation.frame, conversation.stack, conversation.pending = None, [], {}
                replies = [render_menu(turn, "common.not_linked")]
            store.save(record, conversation)
            uow.commit()
        if turn.changed:
            replies = [replace(r, busy=True) for r in replies]
        if turn.pressed and replies:  # the pressed message shows the current step: edit it
            replies[0] = replace(replies[0], edit=True)
        return replies, turn

    def conversation(self, chat_key: str) -> Conversation:
        """The saved conversation of a chat (for tests and operators)."""
        with self._sessions() as session:
            _record, conversation = store.load(session, chat_key)
            session.rollback()
            return conversation


def _drop_unknown_state(conversation: Conversation) -> None:
    """A conversation saved by an older release whose state no longer exists ends cleanly."""
    from dialogs.machines import machine_for

    frames = [f for f in (conversation.frame, *conversation.stack) if f is not None]
    for frame in frames:
        if frame.procedure not in PROCEDURES or not machine_for(frame.procedure).has_state(
            frame.state
        ):
            conversation.frame, conversation.stack, conversation.actions = None, [], []
            conversation.pending = {"outdated": True}
            return
