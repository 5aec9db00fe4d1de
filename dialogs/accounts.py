"""The edges' door to the bot users: who writes from a chat account, and linking one by invitation.

A channel asks here rather than in the domain: :func:`identify_in` reads the active user linked
to a Telegram account, :func:`redeem_in` links an account with an invitation's token (both in
the caller's transaction, the turn's, so that they commit with it or not at all);
:func:`user_context` is the user the terminal chats as.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.texts import Lang
from dialogs.turn import UserContext
from domain.errors import InviteRefused, NotFound, TelegramAccountTaken
from domain.model import BotUser, Role
from domain.persistence.uow import NestedUnitOfWork
from domain.services.users import find_user, redeem_invite

_USERS = cast(Table, BotUser.__table__)
# the active bot user linked to a Telegram account (as domain.services.users.find_by_telegram)
_LINKED = (
    select(_USERS.c.handle, _USERS.c.role, _USERS.c.reseller_id)
    .where(_USERS.c.telegram_id == bindparam("telegram_id"), _USERS.c.active.is_(True))
    .limit(1)
)
TAKEN = "taken"  # a refusal: the account is already linked to another user


def identify_in(session: Session, telegram_id: int, lang: Lang | None) -> UserContext:
    """The linked user's context, read in the caller's transaction (the turn's); an unknown or
    revoked account gets a context without a user (guide mode only)."""
    user = session.connection().execute(_LINKED, {"telegram_id": telegram_id}).first()
    if user is None:
        return UserContext(None, None, None, lang)
    return UserContext(user.handle, Role(user.role), user.reseller_id, lang)


def identify(sessions: sessionmaker[Session], telegram_id: int, lang: Lang | None) -> UserContext:
    """The linked user's context, read in a transaction of its own."""
    with sessions() as session:
        return identify_in(session, telegram_id, lang)


@dataclass(frozen=True)
class Linking:
    """What redeeming an invitation did: ``handle`` linked, or ``refused`` and why (``unknown``,
    ``used``, ``expired``: the invitation; :data:`TAKEN`: the account is another user's)."""

    handle: str | None = None
    refused: str | None = None


def redeem_in(session: Session, token: str, telegram_id: int, now: datetime) -> Linking:
    """Link the account to the invited user in the caller's transaction (a savepoint: a refusal
    undoes only the redemption, and the turn goes on)."""
    try:
        with NestedUnitOfWork(session) as nested:
            linked = redeem_invite(nested, token, telegram_id, now)
    except InviteRefused as refused:
        return Linking(refused=refused.reason)
    except TelegramAccountTaken:
        return Linking(refused=TAKEN)
    return Linking(handle=linked.handle)


class UnknownUser(LookupError):
    """No bot user has this handle."""


def user_context(sessions: sessionmaker[Session], handle: str, lang: Lang | None) -> UserContext:
    """The context of a bot user by handle (the terminal chats as one); :class:`UnknownUser`
    for a handle no user has."""
    with sessions() as session:
        try:
            user = find_user(session, handle)
        except NotFound:
            raise UnknownUser(handle) from None
        return UserContext(user.handle, Role(user.role), user.reseller_id, lang)
