"""Labelled examples collected from « Vouliez-vous dire » choices, for the operator's review."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.persistence.records import IntentExample


def record_choice(
    session: Session,
    *,
    handle: str | None,
    text: str,
    lang: str,
    offered: Sequence[str],
    chosen: str | None,
) -> None:
    """Store one choice in the caller's transaction (it lands with the turn, or not at all)."""
    session.add(
        IntentExample(
            handle=handle, text=text[:500], lang=lang[:2], offered=list(offered), chosen=chosen
        )
    )


def examples(session: Session, *, reviewed: bool = False) -> Sequence[IntentExample]:
    """The examples not yet reviewed (or the reviewed ones), oldest first."""
    stmt = select(IntentExample).where(IntentExample.reviewed == reviewed)
    return session.scalars(stmt.order_by(IntentExample.at, IntentExample.id)).all()


def mark_reviewed(session: Session, ids: Sequence[int]) -> int:
    """Mark examples as reviewed; returns how many were."""
    rows = session.scalars(select(IntentExample).where(IntentExample.id.in_(list(ids)))).all()
    for row in rows:
        row.reviewed = True
    return len(rows)
