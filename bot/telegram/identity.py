"""Who writes: the bot user linked to the Telegram account, looked up again at every update."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from dialogs.texts import Lang
from dialogs.turn import UserContext
from domain.model import Role
from domain.services.users import find_by_telegram


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
    user = find_by_telegram(session, telegram_id)
    if user is None:
        return UserContext(None, None, None, lang)
    return UserContext(user.handle, Role(user.role), user.reseller_id, lang)


def identify(sessions: sessionmaker[Session], telegram_id: int, lang: Lang | None) -> UserContext:
    """The linked user's context; an unknown or revoked account gets guide mode only."""
    with sessions() as session:
        return identify_in(session, telegram_id, lang)
