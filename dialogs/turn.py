"""One turn of a conversation: who speaks, in which language, the procedure under way, and the
domain as this user sees it (:class:`~dialogs.gateway.Gateway`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs.conversation import Conversation, Frame
from dialogs.gateway import Gateway
from dialogs.spec import Procedure
from dialogs.texts import Lang, has, say
from domain.access import Actor
from domain.model import Role


@dataclass(frozen=True)
class UserContext:
    """Who is writing, as the server knows it (never what a button says)."""

    handle: str | None = None
    role: Role | None = None
    reseller_id: int | None = None
    lang_hint: Lang | None = None

    @property
    def actor(self) -> Actor | None:
        if self.handle is None or self.role is None:
            return None
        return Actor(self.handle, self.role, self.reseller_id)

    @property
    def may_act(self) -> bool:
        return self.role in (Role.OPERATOR, Role.RESELLER)


@dataclass
class Turn:
    conv: Conversation
    user: UserContext
    domain: Gateway  # reads, changes and look-ups, as this user
    procedures: dict[str, Procedure]
    chat_key: str = ""
    pressed: bool = False  # a button of the current step was pressed: its message may be edited

    @property
    def lang(self) -> Lang:
        return self.conv.lang

    def say(self, key: str, **params: object) -> str:
        return say(self.conv.lang, key, **params)

    def say_for_role(self, key: str, **params: object) -> str:
        """The text ``key_<role>`` where this language has one for the user's role (``unlinked``
        without a role), else the text ``key``."""
        role = self.user.role.value if self.user.role else "unlinked"
        specific = f"{key}_{role}"
        return self.say(specific if has(self.lang, specific) else key, **params)

    @property
    def frame(self) -> Frame:
        if self.conv.frame is None:
            raise RuntimeError("no procedure under way")
        return self.conv.frame

    @property
    def procedure(self) -> Procedure:
        return self.procedures[self.frame.procedure]

    @property
    def answers(self) -> dict[str, Any]:
        return self.frame.answers
