"""The outbox: replies commit with their turn or not at all, numbered in order per chat."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.database import Database
from dialogs import outbox
from dialogs.engine import Arrival, DialogEngine
from dialogs.events import Text
from dialogs.ledger import claim
from dialogs.records import OutboxMessage, ProcessedUpdate
from dialogs.reply import Button, Reply
from dialogs.turn import UserContext

CHAT = "tg:1001"


def _queued(db: Database, chat_key: str = CHAT) -> list[Reply]:
    with db.sessions() as session:
        return [q.reply for q in outbox.head(session, chat_key, limit=100)]


def test_replies_are_numbered_in_commit_order_and_keep_their_buttons(db: Database) -> None:
    buttons = ((Button("Oui", "n1:0"), Button("Non", "n1:1")),)
    with db.sessions.begin() as session:
        outbox.enqueue(session, CHAT, [Reply("un"), Reply("deux", buttons, multi_select=True)])
    with db.sessions.begin() as session:
        outbox.enqueue(session, "tg:2002", [Reply("ailleurs")])
        outbox.enqueue(session, CHAT, [Reply("trois")])

    assert _queued(db) == [Reply("un"), Reply("deux", buttons, multi_select=True), Reply("trois")]
    with db.sessions() as session:
        seqs = session.scalars(
            select(OutboxMessage.seq).where(OutboxMessage.chat_key == CHAT)
        ).all()
    assert sorted(seqs) == [1, 2, 3]
    assert _queued(db, "tg:2002") == [Reply("ailleurs")]


def test_replies_of_a_transaction_that_rolls_back_are_never_queued(db: Database) -> None:
    with db.sessions() as session:
        outbox.enqueue(session, CHAT, [Reply("jamais")])
        session.rollback()
    with db.sessions.begin() as session:
        outbox.enqueue(session, CHAT, [Reply("après")])

    assert _queued(db) == [Reply("après")]


def test_only_the_first_reply_of_a_press_on_the_current_step_replaces_the_pressed_message(
    db: Database,
) -> None:
    with db.sessions.begin() as session:
        outbox.enqueue(session, CHAT, [Reply("a", edit=True), Reply("b")], edit_of=77)
        outbox.enqueue(session, CHAT, [Reply("c")], edit_of=78)  # not an edit: a new message
    with db.sessions() as session:
        rows = outbox.head(session, CHAT)
    assert [(r.reply.text, r.edit_of) for r in rows] == [("a", 77), ("b", None), ("c", None)]


def test_a_chat_no_sender_delivers_to_is_refused(db: Database) -> None:
    with db.sessions() as session, pytest.raises(ValueError, match="no sender"):
        outbox.enqueue(session, "cli:operateur", [Reply("perdu")])


def test_a_turn_claims_its_update_and_queues_its_replies_in_one_transaction(
    db: Database,
) -> None:
    engine = DialogEngine(db.sessions)

    def arrival(update_id: int, text: str) -> Arrival:
        return Arrival(
            CHAT,
            Text(text),
            user=lambda _session: UserContext(lang_hint="fr"),
            claim=lambda session: claim(session, update_id),
            deliver=lambda session, replies: outbox.enqueue(session, CHAT, replies),
        )

    first = engine.process(arrival(41, "/start"))
    again = engine.process(arrival(41, "/start"))  # Telegram delivering it a second time

    assert first is not None
    assert first[0].text.startswith("Bonjour")
    assert again is None
    assert _queued(db) == first
    with db.sessions() as session:
        assert session.scalars(select(ProcessedUpdate.update_id)).all() == [41]
    assert engine.conversation(CHAT).turn == 1


def test_a_turn_that_fails_after_its_replies_keeps_neither_claim_nor_replies(
    db: Database,
) -> None:
    engine = DialogEngine(db.sessions)

    def deliver_then_fail(session: Session, replies: list[Reply]) -> None:
        outbox.enqueue(session, CHAT, replies)
        raise RuntimeError("the process dies before its commit")

    with pytest.raises(RuntimeError):
        engine.process(
            Arrival(
                CHAT,
                Text("/start"),
                user=lambda _session: UserContext(),
                claim=lambda session: claim(session, 42),
                deliver=deliver_then_fail,
            )
        )

    assert _queued(db) == []
    with db.sessions() as session:
        assert session.get(ProcessedUpdate, 42) is None  # Telegram's redelivery is handled
    assert engine.conversation(CHAT).turn == 0


def test_a_reply_that_made_a_change_says_so_once_queued_even_under_its_older_name() -> None:
    assert outbox.from_json(outbox.to_json(Reply("fait", changed=True))).changed
    assert outbox.from_json({"text": "fait", "busy": True}).changed  # queued by an older release
    assert not outbox.from_json({"text": "lu"}).changed
