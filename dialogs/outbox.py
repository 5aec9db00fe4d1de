"""The transactional outbox: replies written in the caller's transaction, delivered later.

A turn (or any change that must tell someone: an order notification, a handoff) calls
:func:`enqueue` in the transaction that makes its change, so the change and what will be said
about it commit together or not at all. A sender of the channel (``openip-bot run`` for
Telegram) delivers each chat's messages in ``seq`` order, retries, and marks them sent: changes
happen once, what is said about them is delivered at least once, in order per chat.

Chat keys name their channel: ``tg:<chat id>`` is a Telegram chat (a linked user's private chat
id is their ``telegram_id``). Only channels with a sender take messages; the terminal and
replay show a turn's replies directly, in the process that made them, and use no outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import BigInteger, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from dialogs.records import OutboxChat, OutboxMessage
from dialogs.reply import Button, Reply
from domain.model import utcnow
from domain.persistence.database import reading

_TABLE = cast(Table, OutboxMessage.__table__)
_INSERT = insert(_TABLE)
_HEAD = (
    select(_TABLE.c.id, _TABLE.c.chat_key, _TABLE.c.seq, _TABLE.c.reply, _TABLE.c.edit_of,
           _TABLE.c.sent_parts, _TABLE.c.attempts, _TABLE.c.not_before)
    .where(_TABLE.c.chat_key == bindparam("chat_key"), _TABLE.c.state == "pending")
    .order_by(_TABLE.c.seq)
    .limit(bindparam("limit"))
)
TELEGRAM = "tg:"
CHANNELS = (TELEGRAM,)  # the chat key prefixes a sender delivers
PENDING, SENT, FAILED = "pending", "sent", "failed"


@dataclass(frozen=True)
class Queued:
    """One outbox message as a sender sees it."""

    id: int
    chat_key: str
    seq: int
    reply: Reply
    edit_of: int | None
    sent_parts: int
    attempts: int
    not_before: datetime | None


def enqueue(
    session: Session, chat_key: str, replies: Sequence[Reply], *, edit_of: int | None = None
) -> None:
    """Queue ``replies`` for ``chat_key`` in the caller's transaction, after the chat's others.

    ``edit_of`` is the channel's message the first reply may replace (when its ``edit`` is set:
    a press on the current step); a reply that cannot replace it is sent as a new message.
    """
    if not chat_key.startswith(CHANNELS):
        raise ValueError(f"no sender delivers to {chat_key!r} (known: {', '.join(CHANNELS)})")
    if not replies:
        return
    last = _allocate(session, chat_key, len(replies))
    first = last - len(replies) + 1
    now = utcnow()
    session.connection().execute(  # Core: no ORM objects to flush for rows never read back
        _INSERT,
        [
            {
                "chat_key": chat_key,
                "seq": first + index,
                "reply": to_json(reply),
                "edit_of": edit_of if index == 0 and reply.edit else None,
                "state": PENDING,
                "sent_parts": 0,
                "attempts": 0,
                "created_at": now,
            }
            for index, reply in enumerate(replies)
        ],
    )


def _allocate(session: Session, chat_key: str, count: int) -> int:
    """Take ``count`` sequence numbers for the chat; its counter row stays locked until commit,
    so concurrent writers to one chat get their numbers in commit order."""
    connection = session.connection()
    statement = _ALLOCATE[connection.dialect.name == "postgresql"]
    return int(connection.execute(statement, {"chat_key": chat_key, "count": count}).scalar_one())


def _allocation(insert: Any) -> Any:
    """``count`` more sequence numbers for a chat, in one statement (built once per dialect)."""
    chats = cast(Table, OutboxChat.__table__)
    count = bindparam("count", type_=BigInteger)
    return (
        insert(chats)
        .values(chat_key=bindparam("chat_key"), last_seq=count)
        .on_conflict_do_update(
            index_elements=[chats.c.chat_key], set_={"last_seq": chats.c.last_seq + count}
        )
        .returning(chats.c.last_seq)
    )


_ALLOCATE = (_allocation(sqlite.insert), _allocation(postgresql.insert))  # [is PostgreSQL]


def to_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "buttons": [[[b.label, b.token] for b in row] for row in reply.buttons],
        "multi_select": reply.multi_select,
        "edit": reply.edit,
        "changed": reply.changed,
    }


def from_json(data: dict[str, Any]) -> Reply:
    return Reply(
        text=str(data["text"]),
        buttons=tuple(
            tuple(Button(str(label), str(token)) for label, token in row)
            for row in data.get("buttons", [])
        ),
        multi_select=bool(data.get("multi_select", False)),
        edit=bool(data.get("edit", False)),
        # "busy": the name of "changed" in a reply queued by an older release
        changed=bool(data.get("changed", data.get("busy", False))),
    )


# --- what senders use ---------------------------------------------------------------------------
def readers(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for a sender's looks at the outbox: on SQLite they take no write lock."""
    return reading(sessions)


def due_chats(session: Session, channel: str, limit: int = 100) -> list[str]:
    """Chats of ``channel`` with a pending message (the head may still be waiting to retry)."""
    rows = session.scalars(
        select(OutboxMessage.chat_key)
        .where(OutboxMessage.state == PENDING, OutboxMessage.chat_key.startswith(channel))
        .distinct()
        .limit(limit)
    )
    return list(rows)


def head(session: Session, chat_key: str, limit: int = 20) -> list[Queued]:
    """The chat's pending messages, oldest first: only the first may be sent now."""
    rows = session.connection().execute(_HEAD, {"chat_key": chat_key, "limit": limit})
    return [
        Queued(
            row.id,
            row.chat_key,
            row.seq,
            from_json(row.reply),
            row.edit_of,
            row.sent_parts,
            row.attempts,
            row.not_before,
        )
        for row in rows
    ]


_BY_ID = _TABLE.c.id == bindparam("message_id")
_SENT = update(_TABLE).where(_BY_ID).values(state=SENT, done_at=bindparam("done"))
_FAILED = (
    update(_TABLE)
    .where(_BY_ID)
    .values(state=FAILED, last_error=bindparam("error"), done_at=bindparam("done"))
)
_PROGRESS = update(_TABLE).where(_BY_ID).values(sent_parts=bindparam("parts"))
_POSTPONED = (
    update(_TABLE)
    .where(_BY_ID)
    .values(not_before=bindparam("until"), last_error=bindparam("error"),
            attempts=_TABLE.c.attempts + 1)
)
_PENDING = select(func.count()).select_from(_TABLE).where(_TABLE.c.state == PENDING)
_PENDING_OF = _PENDING.where(_TABLE.c.chat_key == bindparam("chat_key"))


def mark_sent(session: Session, message_id: int, now: datetime | None = None) -> None:
    _set(session, _SENT, message_id=message_id, done=now or utcnow())


def mark_failed(session: Session, message_id: int, error: str, now: datetime | None = None) -> None:
    """Refused for good (the user blocked the bot, the chat is gone): never tried again."""
    _set(session, _FAILED, message_id=message_id, error=error[:200], done=now or utcnow())


def mark_progress(session: Session, message_id: int, sent_parts: int) -> None:
    """The first ``sent_parts`` parts of a long reply are delivered (not sent again)."""
    _set(session, _PROGRESS, message_id=message_id, parts=sent_parts)


def postpone(session: Session, message_id: int, until: datetime, error: str) -> None:
    """A failed attempt: try again at ``until`` (the chat's later messages wait for it)."""
    _set(session, _POSTPONED, message_id=message_id, until=until, error=error[:200])


def _set(session: Session, statement: Any, **values: Any) -> None:
    """One of the statements above, built once (Core: no ORM statement compilation per call)."""
    session.connection().execute(statement, values)


def pending(session: Session, chat_key: str | None = None) -> int:
    """How many messages wait (of one chat, or of all)."""
    if chat_key is None:
        return int(session.connection().execute(_PENDING).scalar_one())
    return int(session.connection().execute(_PENDING_OF, {"chat_key": chat_key}).scalar_one())


def prune(session: Session, before: datetime) -> int:
    """Forget messages delivered or refused before ``before``; how many were dropped."""
    result = session.execute(
        delete(OutboxMessage).where(OutboxMessage.state != PENDING, OutboxMessage.done_at < before)
    )
    return int(getattr(result, "rowcount", 0) or 0)
