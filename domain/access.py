"""Who may see and change what (rule 7)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import Forbidden
from domain.model import Role


@dataclass(frozen=True)
class Actor:
    """The bot user on whose behalf a service runs, as the server knows it."""

    handle: str
    role: Role
    reseller_id: int | None = None

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.OPERATOR, Role.HELPDESK)

    @property
    def may_change(self) -> bool:
        return self.role in (Role.OPERATOR, Role.RESELLER)

    def require_change(self, action: str) -> None:
        """Raise :class:`Forbidden` unless this actor may change client data."""
        if not self.may_change:
            raise Forbidden(action, self.role.value)

    def require_operator(self, action: str) -> None:
        """Raise :class:`Forbidden` unless this actor is the operator."""
        if self.role != Role.OPERATOR:
            raise Forbidden(action, self.role.value)


OPERATOR = Actor("operateur", Role.OPERATOR)
