"""Who writes: the bot user linked to the Telegram account, looked up again at every update."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.texts import Lang
from dialogs.turn import UserContext
from domain.model import BotUser, Role

_USERS = cast(Table, BotUser.__table__)
# the active bot user linked to a Telegram account (as domain.services.users.find_by_telegram)
_LINKED = (
    select(_USERS.c.handle, _USERS.c.role, _USERS.c.reseller_id)
    .where(_USERS.c.telegram_id == bindparam("telegram_id"), _USERS.c.active.is_(True))
    .limit(1)
)


def lang_of(language_code: str | None) -> Lang | None:
    """Telegram's ``language_code`` (``fr``, ``en-GB``…) as one of ours, if it is one."""
    code = (language_code or "").split("-", 1)[0].casefold()
    if code == "fr":
        return "fr"
    if code == "en":
        return "en"
    return None


def identify_in(session: Session, telegram_id: int, lang: Lang | None) -> UserContext:
    """The linked user's context, read in the caller's transaction (the turn's)."""
    user = session.connection().execute(_LINKED, {"telegram_id": telegram_id}).first()
    if user is None:
        return UserContext(None, None, None, lang)
    return UserContext(user.handle, Role(user.role), user.reseller_id, lang)


def identify(sessions: sessionmaker[Session], telegram_id: int, lang: Lang | None) -> UserContext:
    """The linked user's context; an unknown or revoked account gets guide mode only."""
    with sessions() as session:
        return identify_in(session, telegram_id, lang)
