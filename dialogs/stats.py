"""Per-procedure statistics for the helpdesk: how many start, finish, cancel or abandon, and where.

Definitions (all counted since an optional date):

- *started*, *completed*, *cancelled*: the ``dialog_events`` of that kind (a procedure called from
  another one counts for itself too). *cancelled at* counts the step where people pressed stop.
- *abandoned*: a procedure still under way in a chat's saved conversation (the top procedure or one
  suspended under it) whose chat has been idle longer than the threshold; *abandoned at* counts
  the step it was left at. *under way*: the same, idle for less than the threshold.

A procedure left by a restart (its state renamed) or stopped while suspended under another one
has no closing event, so *started* may exceed the sum of the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dialogs.conversation import Conversation
from dialogs.records import ConversationRecord, DialogEvent
from domain.model import as_utc

KINDS = ("started", "completed", "cancelled")


@dataclass(frozen=True)
class EventCount:
    """How many events of a kind a procedure had at one step."""

    procedure: str
    kind: str
    step: str
    count: int


@dataclass(frozen=True)
class OpenFrame:
    """A procedure under way in a saved conversation, and when its chat last moved."""

    procedure: str
    step: str
    last_turn: datetime


@dataclass
class ProcedureStats:
    procedure: str
    started: int = 0
    completed: int = 0
    cancelled: int = 0
    abandoned: int = 0
    under_way: int = 0
    abandoned_at: Counter[str] = field(default_factory=Counter)
    cancelled_at: Counter[str] = field(default_factory=Counter)


def compute_stats(
    events: Iterable[EventCount],
    frames: Iterable[OpenFrame],
    *,
    now: datetime,
    idle: timedelta,
    known: Iterable[str] = (),
) -> list[ProcedureStats]:
    """The statistics of every known procedure and of every one met in the rows, by name."""
    table = {name: ProcedureStats(name) for name in known}

    def of(name: str) -> ProcedureStats:
        return table.setdefault(name, ProcedureStats(name))

    for event in events:
        stats = of(event.procedure)
        if event.kind in KINDS:
            setattr(stats, event.kind, getattr(stats, event.kind) + event.count)
        if event.kind == "cancelled":
            stats.cancelled_at[event.step] += event.count
    cutoff = as_utc(now) - idle
    for frame in frames:
        stats = of(frame.procedure)
        if as_utc(frame.last_turn) < cutoff:
            stats.abandoned += 1
            stats.abandoned_at[frame.step] += 1
        else:
            stats.under_way += 1
    return sorted(table.values(), key=lambda s: s.procedure)


def read_stats(
    session: Session,
    *,
    since: datetime | None = None,
    idle: timedelta = timedelta(minutes=60),
    now: datetime | None = None,
) -> list[ProcedureStats]:
    """Read the events and the conversations under way, and compute the statistics."""
    # no loop: loaded on use so that reading this module's types (``openip-bot audit`` does)
    # does not load every procedure
    from dialogs.procedures import PROCEDURES

    return compute_stats(
        event_counts(session, since),
        open_frames(session, since),
        now=now or datetime.now(UTC),
        idle=idle,
        known=PROCEDURES,
    )


def event_counts(session: Session, since: datetime | None = None) -> list[EventCount]:
    """The dialog events grouped by procedure, kind and step."""
    columns = (DialogEvent.procedure, DialogEvent.kind, DialogEvent.step)
    stmt = select(*columns, func.count()).group_by(*columns)
    if since is not None:
        stmt = stmt.where(DialogEvent.at >= as_utc(since))
    return [EventCount(p, k, s, n) for p, k, s, n in session.execute(stmt)]


def open_frames(session: Session, since: datetime | None = None) -> Iterable[OpenFrame]:
    """Every procedure under way in the saved conversations (top and suspended ones)."""
    stmt = select(ConversationRecord.data, ConversationRecord.updated_at).where(
        ConversationRecord.status != "idle"
    )
    if since is not None:
        stmt = stmt.where(ConversationRecord.updated_at >= as_utc(since))
    for data, updated_at in session.execute(stmt.execution_options(yield_per=1000)):
        conversation = Conversation.from_dict(data)
        for frame in (conversation.frame, *conversation.stack):
            if frame is not None:
                yield OpenFrame(frame.procedure, frame.state, updated_at)
