"""Bot users: who may use the assistant, with which role, from which Telegram account."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.errors import NotFound
from domain.model import BotUser


def find_user(session: Session, handle: str) -> BotUser:
    """An active bot user by handle."""
    user = session.scalars(
        select(BotUser).where(BotUser.handle == handle.strip(), BotUser.active.is_(True))
    ).first()
    if user is None:
        raise NotFound("user", handle)
    return user


def find_by_telegram(session: Session, telegram_id: int) -> BotUser | None:
    """The active bot user linked to a Telegram account, if any."""
    return session.scalars(
        select(BotUser).where(BotUser.telegram_id == telegram_id, BotUser.active.is_(True))
    ).first()


def actor_of(user: BotUser) -> Actor:
    return Actor(user.handle, user.role, user.reseller_id)
