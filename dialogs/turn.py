"""One turn of a conversation: who speaks, in which language, with which database session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dialogs.conversation import Conversation, Frame
from dialogs.spec import Procedure
from dialogs.texts import Lang, say
from domain.access import Actor
from domain.model import Role
from domain.persistence.uow import NestedUnitOfWork, ReadingUnitOfWork, UnitOfWork
from domain.views import ClientView, ServiceDetails

T = TypeVar("T")


class NotLinked(Exception):
    """The user is not linked to a bot user: no client data for them."""


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
    uow: UnitOfWork
    procedures: dict[str, Procedure]
    chat_key: str = ""
    changed: bool = False
    pressed: bool = False  # a button of the current step was pressed: its message may be edited
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> Lang:
        return self.conv.lang

    def say(self, key: str, **params: object) -> str:
        return say(self.conv.lang, key, **params)

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

    @property
    def actor(self) -> Actor:
        actor = self.user.actor
        if actor is None:
            raise NotLinked()
        return actor

    def read(self, service: Callable[..., T], *args: Any) -> T:
        """Run a read-only domain service for this user in the turn's session."""
        return service(ReadingUnitOfWork(self.uow.session), self.actor, *args)

    def change(self, service: Callable[..., T], *args: Any) -> T:
        """Run a domain change in a savepoint: it lands with the turn's commit, or not at all."""
        try:
            with NestedUnitOfWork(self.uow.session) as nested:
                result = service(nested, self.actor, *args)
        finally:
            self.forget()  # what was read before may have changed, or be about to be re-read
        self.changed = True
        return result

    def forget(self) -> None:
        """Drop this turn's look-ups: the next read sees the database as it is now."""
        self._cache.clear()

    def cached(self, key: str, load: Callable[[], T]) -> T:
        """A look-up done once per turn."""
        if key not in self._cache:
            self._cache[key] = load()
        value: T = self._cache[key]
        return value

    def clients(self) -> list[ClientView]:
        from domain.services import list_clients

        return self.cached("clients", lambda: self.read(list_clients))

    def service(self, ref: str) -> ServiceDetails:
        from domain.services import service_details

        return self.cached(f"service:{ref}", lambda: self.read(service_details, ref))
