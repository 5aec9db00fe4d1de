"""From a handle (terminal) to the user context the engine authorises with."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from dialogs.texts import Lang
from dialogs.turn import UserContext
from domain.model import Role
from domain.services.users import find_user


def user_context(sessions: sessionmaker[Session], handle: str, lang: Lang | None) -> UserContext:
    """The context of a bot user by handle; raises ``NotFound`` for an unknown one."""
    with sessions() as session:
        user = find_user(session, handle)
        return UserContext(user.handle, Role(user.role), user.reseller_id, lang)
