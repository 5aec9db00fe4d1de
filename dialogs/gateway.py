"""The domain as one turn sees it: reads and changes for the user who writes, in the turn's
session, and the look-ups kept until a change makes them stale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from domain.access import Actor
from domain.persistence.uow import NestedUnitOfWork, ReadingUnitOfWork
from domain.services import list_clients, service_details
from domain.views import ClientView, ServiceDetails

T = TypeVar("T")


class NotLinked(Exception):
    """The user is not linked to a bot user: no client data for them."""


@dataclass
class Gateway:
    """Every domain service a turn runs goes through here, as ``user`` (None: not linked)."""

    session: Session
    user: Actor | None
    changed: bool = False  # a change was made in this turn
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def actor(self) -> Actor:
        if self.user is None:
            raise NotLinked()
        return self.user

    def read(self, service: Callable[..., T], *args: Any) -> T:
        """Run a read-only domain service for this user in the turn's session."""
        return service(ReadingUnitOfWork(self.session), self.actor, *args)

    def change(self, service: Callable[..., T], *args: Any) -> T:
        """Run a domain change in a savepoint: it lands with the turn's commit, or not at all."""
        try:
            with NestedUnitOfWork(self.session) as nested:
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
        """The clients this user may see."""
        return self.cached("clients", lambda: self.read(list_clients))

    def client(self, account_ref: str) -> ClientView:
        """The client of that account among those this user may see (StopIteration if none)."""
        return next(c for c in self.clients() if c.account_ref == account_ref)

    def service(self, ref: str) -> ServiceDetails:
        """A service as its « Détails » tab shows it."""
        return self.cached(f"service:{ref}", lambda: self.read(service_details, ref))
