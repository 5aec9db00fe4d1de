"""Resellers: the smallest start of a real database (``openip-bot resellers add``)."""

from __future__ import annotations

from sqlalchemy import select

from domain.access import Actor
from domain.errors import InvalidField
from domain.model import Reseller
from domain.persistence.uow import UnitOfWork
from domain.services.audit import record
from domain.validation import required_text


def add_reseller(uow: UnitOfWork, actor: Actor, name: str) -> str:
    """Create a reseller (names compare case-insensitively); its name as stored."""
    actor.require_operator("add_reseller")
    clean = required_text("name", name, 200)
    for existing in uow.session.scalars(select(Reseller.name)):
        if existing.casefold() == clean.casefold():
            raise InvalidField("name", clean, f"is already the reseller {existing!r}")
    uow.session.add(Reseller(name=clean))
    record(
        uow.session,
        actor,
        "add_reseller",
        client_id=None,
        objects=[clean],
        before={},
        after={"reseller": clean},
    )
    uow.commit()
    return clean


def reseller_names(uow: UnitOfWork) -> list[str]:
    """Every reseller's name, alphabetically."""
    return list(uow.session.scalars(select(Reseller.name).order_by(Reseller.name)))
