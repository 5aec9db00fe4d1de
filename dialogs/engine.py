"""The dialog engine: one turn = load the chat's conversation, fire the event, save, reply.

A channel with an outbox (Telegram) hands an :class:`Arrival` whose hooks claim the update id,
identify the user and queue the replies in the same transaction as the conversation and the
change; the terminal calls :meth:`DialogEngine.handle` and gets the replies back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session, sessionmaker

from dialogs import store
from dialogs.conversation import Conversation
from dialogs.dispatch import dispatch
from dialogs.events import Event
from dialogs.gateway import Gateway, NotLinked
from dialogs.machines import build_all
from dialogs.procedures import PROCEDURES
from dialogs.render import render_menu
from dialogs.reply import Reply
from dialogs.texts import say
from dialogs.turn import Turn, UserContext
from domain.errors import Conflict
from domain.persistence.uow import UnitOfWork

log = logging.getLogger("openip_bot.engine")
ATTEMPTS = 3


def _first_time(_session: Session) -> bool:
    return True


def _no_preface(_session: Session) -> list[Reply]:
    return []


@dataclass(frozen=True)
class Arrival:
    """An event as a channel hands it over; every hook runs inside the turn's one transaction.

    ``claim`` records the event as handled (False: it was handled before, nothing is done);
    ``preface`` makes changes that precede the turn and says so (an invitation redeemed);
    ``user`` identifies who writes; ``deliver`` queues the replies (the outbox) so that they
    commit with the conversation and the change, or not at all.
    """

    chat_key: str
    event: Event
    user: Callable[[Session], UserContext]
    claim: Callable[[Session], bool] = _first_time
    preface: Callable[[Session], list[Reply]] = _no_preface
    deliver: Callable[[Session, list[Reply]], None] | None = None


class TurnAbandoned(Exception):
    """Every attempt lost a race or waited too long for a lock: nothing of the turn was kept."""


class DialogEngine:
    """Turns events into replies; thread-safe, holds no conversation in memory between turns."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        build_all()

    def handle(self, chat_key: str, user: UserContext, event: Event) -> list[Reply]:
        """Process one event of a chat in one transaction; the replies are returned (terminal)."""
        try:
            replies = self.process(Arrival(chat_key, event, lambda _session: user))
        except TurnAbandoned:
            return [Reply(say(user.lang_hint or "fr", "common.busy"))]
        return replies or []

    def process(self, arrival: Arrival) -> list[Reply] | None:
        """One turn in one transaction (retried if another turn won a race): its replies, or
        None when ``arrival.claim`` says the event was handled before.

        Raises :class:`TurnAbandoned` when every attempt conflicted; database errors propagate
        (nothing was kept: the channel may offer the event again later).
        """
        started = time.perf_counter()
        for attempt in range(ATTEMPTS):
            try:
                outcome = self._turn(arrival)
            except Conflict:
                log.info("conflict on chat %s, attempt %d", arrival.chat_key, attempt + 1)
                continue
            if outcome is None:
                return None
            replies, turn = outcome
            log.info(
                "turn",
                extra={
                    "chat": arrival.chat_key,
                    "user": turn.user.handle,
                    "procedure": turn.conv.frame.procedure if turn.conv.frame else None,
                    "step": turn.conv.state,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return replies
        raise TurnAbandoned(arrival.chat_key)

    def _turn(self, arrival: Arrival) -> tuple[list[Reply], Turn] | None:
        chat_key = arrival.chat_key
        with UnitOfWork(self._sessions) as uow:
            opened = _open(arrival, uow)
            if opened is None:
                return None
            preface, user = opened
            record, conversation = store.load(uow.session, chat_key)
            if not record.data and user.lang_hint:
                conversation.lang = user.lang_hint
            _drop_unknown_state(conversation)
            turn = _turn_of(conversation, user, uow, chat_key)
            conversation.turn += 1
            try:
                replies = dispatch(turn, arrival.event)
            except NotLinked:  # access revoked while a procedure was under way
                uow.rollback()
                opened = _open(arrival, uow)
                if opened is None:
                    return None
                preface, user = opened
                record, conversation = store.load(uow.session, chat_key)
                turn = _turn_of(conversation, user, uow, chat_key)
                conversation.frame, conversation.stack, conversation.switch = None, [], None
                conversation.outdated = False
                replies = [render_menu(turn, "common.not_linked")]
            store.save(record, conversation)
            if turn.domain.changed:
                replies = [replace(r, changed=True) for r in replies]
            if turn.pressed and replies:  # the pressed message shows the current step: edit it
                replies[0] = replace(replies[0], edit=True)
            replies = preface + replies
            if arrival.deliver is not None:
                arrival.deliver(uow.session, replies)
            uow.commit()
        return replies, turn

    def conversation(self, chat_key: str) -> Conversation:
        """The saved conversation of a chat (for tests and operators)."""
        with self._sessions() as session:
            _record, conversation = store.load(session, chat_key)
            session.rollback()
            return conversation


def _turn_of(conversation: Conversation, user: UserContext, uow: UnitOfWork, chat_key: str) -> Turn:
    domain = Gateway(uow.session, user.actor)
    return Turn(conversation, user, domain, PROCEDURES, chat_key=chat_key)


def _open(arrival: Arrival, uow: UnitOfWork) -> tuple[list[Reply], UserContext] | None:
    """Claim the event, make its preface, identify the user; None if it was handled before."""
    if not arrival.claim(uow.session):
        return None
    preface = arrival.preface(uow.session)
    return preface, arrival.user(uow.session)


def _drop_unknown_state(conversation: Conversation) -> None:
    """A conversation saved by an older release whose state no longer exists ends cleanly."""
    from dialogs.machines import machine_for

    frames = [f for f in (conversation.frame, *conversation.stack) if f is not None]
    for frame in frames:
        if frame.procedure not in PROCEDURES or not machine_for(frame.procedure).has_state(
            frame.state
        ):
            # what its completed sub-procedures changed stays changed, and is said
            conversation.kept = [line for f in frames for line in f.done]
            conversation.frame, conversation.stack, conversation.actions = None, [], []
            conversation.switch, conversation.outdated = None, True
            return
