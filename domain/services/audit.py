"""Audit entries, written in the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from domain.access import Actor
from domain.model import AuditEntry


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    client_id: int | None,
    objects: list[str],
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """Add the audit entry of a change to the current transaction."""
    session.add(
        AuditEntry(
            actor=actor.handle,
            action=action,
            client_id=client_id,
            objects=objects,
            before=before,
            after=after,
        )
    )
