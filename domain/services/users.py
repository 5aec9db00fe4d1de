"""Bot users: who may use the assistant, with which role, from which Telegram account.

An operator adds users and links their Telegram account, directly or through a single-use
invitation whose token is stored hashed and expires after 15 minutes. Every change is audited.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.errors import (
    InvalidField,
    InviteRefused,
    NotFound,
    TelegramAccountTaken,
    UserExists,
    UserRevoked,
)
from domain.model import BotUser, Reseller, Role, as_utc
from domain.persistence.records import InviteToken
from domain.persistence.uow import UnitOfWork
from domain.services.audit import record

INVITE_LIFETIME = timedelta(minutes=15)
_HANDLE = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")


@dataclass(frozen=True)
class UserView:
    handle: str
    role: Role
    reseller: str | None
    telegram_id: int | None
    active: bool


@dataclass(frozen=True)
class Invite:
    """A fresh invitation: the clear token exists only here, the database keeps its hash."""

    handle: str
    token: str
    expires_at: datetime


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


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    uow: UnitOfWork, actor: Actor, handle: str, role: Role, reseller: str | None = None
) -> UserView:
    """Create a bot user (or reactivate a revoked one); a reseller user names its reseller."""
    actor.require_operator("add_user")
    handle = _clean_handle(handle)
    session = uow.session
    user = session.scalars(select(BotUser).where(BotUser.handle == handle)).first()
    if user is not None and user.active:
        raise UserExists(handle)
    company = _reseller_for(session, Role(role), reseller)
    before = _state(user) if user is not None else {}
    if user is None:
        user = BotUser(handle=handle)
        session.add(user)
    user.role, user.reseller, user.active, user.telegram_id = Role(role), company, True, None
    uow.flush()
    return _commit(uow, actor, "add_user", user, before)


def invite_user(
    uow: UnitOfWork, actor: Actor, handle: str, now: datetime, *, reactivate: bool = False
) -> Invite:
    """A single-use deep-link token, valid for 15 minutes; a revoked user needs ``reactivate``
    (it is active again at once, with no Telegram account until the link is used)."""
    actor.require_operator("invite_user")
    user = _user_to_link(uow, actor, handle, reactivate)
    token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]: a valid /start payload
    expires = as_utc(now) + INVITE_LIFETIME
    uow.session.add(
        InviteToken(
            token_hash=hash_token(token), handle=user.handle, expires_at=expires, used_at=None
        )
    )
    record(
        uow.session,
        actor,
        "invite_user",
        client_id=None,
        objects=[user.handle],
        before={},
        after={"expires_at": expires.isoformat()},
    )
    uow.commit()
    return Invite(user.handle, token, expires)


def redeem_invite(uow: UnitOfWork, token: str, telegram_id: int, now: datetime) -> UserView:
    """Link the Telegram account to the invited user, once, before the token expires."""
    session = uow.session
    invite = session.scalars(
        select(InviteToken).where(InviteToken.token_hash == hash_token(token)).with_for_update()
    ).first()
    if invite is None:
        raise InviteRefused("unknown")
    if invite.used_at is not None:
        raise InviteRefused("used")
    if as_utc(invite.expires_at) <= as_utc(now):
        raise InviteRefused("expired")
    try:
        user = find_user(session, invite.handle)
    except NotFound:
        raise InviteRefused("unknown") from None
    invite.used_at = as_utc(now)
    return _link(uow, actor_of(user), user, telegram_id, "redeem_invite")


def link_telegram(
    uow: UnitOfWork, actor: Actor, handle: str, telegram_id: int, *, reactivate: bool = False
) -> UserView:
    """Link a Telegram account to a user directly (an operator at the server); a revoked user
    needs ``reactivate``."""
    actor.require_operator("link_telegram")
    if telegram_id <= 0:
        raise InvalidField("telegram_id", str(telegram_id), "a Telegram user id is positive")
    user = _user_to_link(uow, actor, handle, reactivate)
    return _link(uow, actor, user, telegram_id, "link_telegram")


def _user_to_link(uow: UnitOfWork, actor: Actor, handle: str, reactivate: bool) -> BotUser:
    """The user by handle; a revoked one is made active again (audited) only if asked."""
    name = handle.strip().casefold()
    user = uow.session.scalars(select(BotUser).where(BotUser.handle == name)).first()
    if user is None:
        raise NotFound("user", handle)
    if not user.active:
        if not reactivate:
            raise UserRevoked(user.handle)
        before = _state(user)
        user.active = True
        record(
            uow.session,
            actor,
            "reactivate_user",
            client_id=None,
            objects=[user.handle],
            before=before,
            after=_state(user),
        )
    return user


def list_users(uow: UnitOfWork) -> list[UserView]:
    """Every bot user, revoked ones included, by handle."""
    return [_view(u) for u in uow.session.scalars(select(BotUser).order_by(BotUser.handle))]


def revoke_user(uow: UnitOfWork, actor: Actor, handle: str) -> UserView:
    """Deactivate a user: unlinked from Telegram, pending invitations void, effective at once."""
    actor.require_operator("revoke_user")
    user = find_user(uow.session, handle)
    before = _state(user)
    user.active, user.telegram_id = False, None
    uow.session.execute(delete(InviteToken).where(InviteToken.handle == user.handle))
    return _commit(uow, actor, "revoke_user", user, before)


def _link(uow: UnitOfWork, actor: Actor, user: BotUser, telegram_id: int, action: str) -> UserView:
    holder = find_by_telegram(uow.session, telegram_id)
    if holder is not None and holder.id != user.id:
        raise TelegramAccountTaken(telegram_id, holder.handle)
    before = _state(user)
    user.telegram_id = telegram_id
    return _commit(uow, actor, action, user, before)


def _commit(
    uow: UnitOfWork, actor: Actor, action: str, user: BotUser, before: dict[str, object]
) -> UserView:
    record(
        uow.session,
        actor,
        action,
        client_id=None,
        objects=[user.handle],
        before=before,
        after=_state(user),
    )
    view = _view(user)
    uow.commit()
    return view


def _reseller_for(session: Session, role: Role, name: str | None) -> Reseller | None:
    if role != Role.RESELLER:
        if name:
            raise InvalidField("reseller", name, f"a {role.value} user belongs to no reseller")
        return None
    if not name:
        raise InvalidField("reseller", "", "a reseller user needs its reseller's name")
    key = " ".join(name.split()).casefold()
    for company in session.scalars(select(Reseller).order_by(Reseller.id)):
        if company.name.casefold() == key:
            return company
    raise NotFound("reseller", name)


def _clean_handle(handle: str) -> str:
    cleaned = handle.strip().casefold()
    if not _HANDLE.fullmatch(cleaned):
        raise InvalidField("handle", handle, "letters, digits, '.', '_' or '-', 80 at most")
    return cleaned


def _view(user: BotUser) -> UserView:
    reseller = user.reseller.name if user.reseller is not None else None
    return UserView(user.handle, Role(user.role), reseller, user.telegram_id, user.active)


def _state(user: BotUser) -> dict[str, object]:
    view = _view(user)
    return {
        "role": view.role.value,
        "reseller": view.reseller,
        "telegram_id": view.telegram_id,
        "active": view.active,
    }
