"""Reading the audit trail: the changes made, newest first, filtered by date, author and client."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from domain.access import Actor
from domain.model import AuditEntry, Client, as_utc
from domain.persistence.uow import UnitOfWork
from domain.queries import get_client


@dataclass(frozen=True)
class AuditQuery:
    """Which changes to list; every filter is optional."""

    since: datetime | None = None
    user: str | None = None  # the bot user handle that made the change
    client: str | None = None  # a client's name or account reference
    limit: int | None = None


@dataclass(frozen=True)
class AuditRecord:
    """One change as an operator reads it."""

    at: datetime
    actor: str
    action: str
    client: str | None
    account_ref: str | None
    objects: list[Any] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "client": self.client,
            "account_ref": self.account_ref,
            "objects": self.objects,
            "before": self.before,
            "after": self.after,
        }


def audit_log(uow: UnitOfWork, actor: Actor, query: AuditQuery) -> list[AuditRecord]:
    """The changes the actor may see that match ``query``, newest first.

    An unknown client raises ``NotFound``; a reseller sees only the changes of its clients.
    """
    session = uow.session
    stmt = select(AuditEntry, Client).outerjoin(Client, AuditEntry.client_id == Client.id)
    if not actor.sees_everything:
        stmt = stmt.where(Client.reseller_id == actor.reseller_id)
    if query.client is not None:
        stmt = stmt.where(AuditEntry.client_id == get_client(session, actor, query.client).id)
    if query.user is not None:
        stmt = stmt.where(AuditEntry.actor == query.user.strip())
    if query.since is not None:
        stmt = stmt.where(AuditEntry.at >= as_utc(query.since))
    stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(query.limit)
    return [_record(entry, client) for entry, client in session.execute(stmt)]


def _record(entry: AuditEntry, client: Client | None) -> AuditRecord:
    return AuditRecord(
        at=as_utc(entry.at),
        actor=entry.actor,
        action=entry.action,
        client=client.name if client else None,
        account_ref=client.account_ref if client else None,
        objects=list(entry.objects or []),
        before=dict(entry.before or {}),
        after=dict(entry.after or {}),
    )
