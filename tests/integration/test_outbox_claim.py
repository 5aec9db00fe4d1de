"""A turn claims its chat's outbox in its own transaction, and lets go when it keeps nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from bot.database import Database
from bot.telegram.chat_locks import ProcessLocks
from bot.telegram.handlers import Handlers
from bot.telegram.sender import OutboxClaim
from dialogs import outbox
from dialogs.engine import Arrival, DialogEngine
from dialogs.events import Text
from dialogs.ledger import claim
from dialogs.reply import Reply
from dialogs.turn import UserContext
from domain.model import utcnow

CHAT = "tg:1001"


def _arrival(update_id: int, outbox_claim: OutboxClaim) -> Arrival:
    def deliver(session: Session, replies: list[Reply]) -> None:
        outbox.enqueue(session, CHAT, replies)
        outbox_claim.take(session)

    return Arrival(
        CHAT,
        Text("/start"),
        user=lambda _session: UserContext(lang_hint="fr"),
        claim=lambda session: claim(session, update_id),
        deliver=deliver,
    )


def test_a_turn_holds_its_chat_and_reads_its_replies_in_its_own_transaction(
    db: Database,
) -> None:
    with db.sessions.begin() as session:  # an earlier message, still waiting: sent first
        outbox.enqueue(session, CHAT, [Reply("avant")])
    locks = ProcessLocks()
    outbox_claim = OutboxClaim(locks, CHAT)

    replies = DialogEngine(db.sessions).process(_arrival(51, outbox_claim))

    assert replies is not None
    assert locks.held_here(CHAT)
    assert outbox_claim.rows is not None
    assert [q.reply for q in outbox_claim.rows] == [Reply("avant"), *replies]
    outbox_claim.let_go()
    assert not locks.held_here(CHAT)


def test_a_turn_that_fails_after_claiming_its_chat_lets_go_of_it(db: Database) -> None:
    locks = ProcessLocks()
    outbox_claim = OutboxClaim(locks, CHAT)
    handlers = Handlers(_Failing(db), db.sessions, _now)

    with pytest.raises(RuntimeError):
        handlers._process(_arrival(52, outbox_claim), outbox_claim)

    assert not locks.held_here(CHAT)  # the sender may drain the chat again
    assert outbox_claim.rows is None
    with db.sessions() as session:
        assert outbox.pending(session, CHAT) == 0


def test_a_turn_seen_before_lets_go_of_its_chat(db: Database) -> None:
    engine = DialogEngine(db.sessions)
    first = OutboxClaim(ProcessLocks(), CHAT)
    engine.process(_arrival(53, first))
    first.let_go()
    locks = ProcessLocks()
    again = OutboxClaim(locks, CHAT)
    handlers = Handlers(engine, db.sessions, _now)

    assert handlers._process(_arrival(53, again), again) == (None, None)
    assert not locks.held_here(CHAT)


class _Failing:
    def __init__(self, db: Database) -> None:
        self.db = db

    def process(self, arrival: Arrival) -> list[Reply] | None:
        with self.db.sessions() as session:
            assert arrival.deliver is not None
            arrival.deliver(session, [Reply("jamais")])
            raise RuntimeError("the process dies before its commit")


def _now() -> datetime:
    return utcnow()
