"""Footprint benchmark, storage side: real conversations driven through the engine, then copied.

A few hundred chats talk to the real engine (random walks through the menus, never confirming or
stopping), so each ends mid-procedure with the ``data`` the engine really saves; their
conversation rows and dialog events are then bulk-copied under distinct chat keys.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, String, cast, func, insert, select, text

from bot.database import Database
from bot.replay import ChatSession
from dialogs.accounts import user_context
from dialogs.engine import DialogEngine
from dialogs.records import ConversationRecord, DialogEvent
from domain.model import utcnow

HANDLES = ("revendeur-alpha", "revendeur-beta", "helpdesk", "operateur")
_LEAVING = re.compile(r"annuler|arr[êe]ter|confirmer|menu|aide|valider", re.IGNORECASE)
BATCH = 5_000
COPY_PREFIX = "tg:"


@dataclass(frozen=True)
class Seed:
    """A conversation the engine saved mid-procedure, with the events it wrote."""

    data: dict[str, Any]
    nonce: str
    status: str
    events: list[tuple[str, str, str, str]]  # procedure, mode, kind, step


def seed_conversations(db: Database, chats: int, rng: random.Random) -> list[Seed]:
    """Drive ``chats`` conversations through the engine; keep those left mid-procedure."""
    engine = DialogEngine(db.sessions)
    users = {h: user_context(db.sessions, h, None) for h in HANDLES}
    for index in range(chats):
        session = ChatSession(engine, f"seed:{index}", users[rng.choice(HANDLES)])
        session.say("/menu")
        for _ in range(rng.randint(1, 8)):
            keyboard = session.last_keyboard()
            buttons = [b for row in keyboard.buttons for b in row] if keyboard else []
            buttons = [b for b in buttons if not _LEAVING.search(b.label)]
            if not buttons:
                break  # a question answered by typing: the chat waits there
            button = rng.choice(buttons)
            session.press_token(button.token, button.label)
    return _saved_seeds(db)


def _saved_seeds(db: Database) -> list[Seed]:
    with db.sessions() as session:
        records = session.scalars(
            select(ConversationRecord).where(ConversationRecord.status != "idle")
        ).all()
        events: dict[str, list[tuple[str, str, str, str]]] = {}
        for e in session.scalars(select(DialogEvent).order_by(DialogEvent.id)):
            events.setdefault(e.chat_key, []).append((e.procedure, e.mode, e.kind, e.step))
        return [Seed(r.data, r.nonce, r.status, events.get(r.chat_key, [])) for r in records]


def fill(db: Database, seeds: list[Seed], target: int) -> int:
    """Copy the seeds under new chat keys until ``target`` copies are stored; return how many."""
    with db.sessions() as session:
        done = session.scalar(
            select(func.count()).where(ConversationRecord.chat_key.startswith(COPY_PREFIX))
        )
    start = int(done or 0)
    for first in range(start, target, BATCH):
        rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        now = utcnow()
        for index in range(first, min(first + BATCH, target)):
            seed, key = seeds[index % len(seeds)], copy_key(index)
            rows.append(
                {
                    "chat_key": key,
                    "data": seed.data,
                    "nonce": seed.nonce,
                    "status": seed.status,
                    "updated_at": now,
                    "version": 1,
                }
            )
            events.extend(
                {"chat_key": key, "procedure": p, "mode": m, "kind": k, "step": s, "at": now}
                for p, m, k, s in seed.events
            )
        with db.engine.begin() as connection:
            connection.execute(insert(ConversationRecord), rows)
            if events:
                connection.execute(insert(DialogEvent), events)
    return target


def copy_key(index: int) -> str:
    """A Telegram-like chat key, distinct for every copy."""
    return f"{COPY_PREFIX}{7_000_000_000 + index}"


def table_bytes(engine: Engine) -> dict[str, int]:
    """Bytes used by the conversations and the dialog events (tables and their indexes)."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(
                text(
                    "SELECT tbl_name, SUM(pgsize) FROM dbstat JOIN sqlite_schema USING (name) "
                    "GROUP BY tbl_name"
                )
            ).all()
        else:
            rows = connection.execute(
                text(
                    "SELECT relname, pg_total_relation_size(oid) FROM pg_class "
                    "WHERE relname IN ('conversations', 'dialog_events')"
                )
            ).all()
    sizes = {str(name): int(size) for name, size in rows}
    return {t: sizes.get(t, 0) for t in ("conversations", "dialog_events")}


def average_data_bytes(engine: Engine) -> float:
    """The mean length of the saved ``data`` JSON of the copies."""
    with engine.connect() as connection:
        value = connection.execute(
            select(func.avg(func.length(cast(ConversationRecord.data, String)))).where(
                ConversationRecord.chat_key.startswith(COPY_PREFIX)
            )
        ).scalar()
    return float(value or 0)
