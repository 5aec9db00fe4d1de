"""Read models returned by the services: plain frozen data, usable after the session closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.model import LicenceState, OrderStatus


@dataclass(frozen=True)
class SiteView:
    id: int
    name: str
    street: str
    postal_code: str
    city: str
    phone: str | None

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


@dataclass(frozen=True)
class ContactView:
    id: int
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class LicenceView:
    id: str
    type: str
    state: str
    site: str
    sda: str | None
    version: int = 0  # what a summary read: a change of the licence since then is detected

    @property
    def cancellable(self) -> bool:
        return self.state == LicenceState.ACTIVE and self.sda is None


@dataclass(frozen=True)
class TypeCount:
    active: int
    subscribed: int


@dataclass(frozen=True)
class ServiceSummary:
    ref: str
    name: str
    state: str
    client: str


@dataclass(frozen=True)
class ClientView:
    id: int
    name: str
    account_ref: str
    reseller: str
    sites: tuple[SiteView, ...]
    contacts: tuple[ContactView, ...]
    services: tuple[ServiceSummary, ...]


@dataclass(frozen=True)
class ServiceDetails:
    """A service as the portal's Détails and Utilisateurs tabs show it."""

    ref: str
    name: str
    client: str
    client_ref: str
    state: str
    site: str
    sites: tuple[str, ...]
    counts: dict[str, TypeCount]
    licences: tuple[LicenceView, ...]
    offer_ref: str | None
    products: tuple[str, ...]
    numbers: tuple[str, ...]

    def cancellable(self, licence_type: str) -> tuple[LicenceView, ...]:
        """Active licences of ``licence_type`` with no number: those the trash icon can cancel."""
        return tuple(lic for lic in self.licences if lic.type == licence_type and lic.cancellable)

    def as_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "name": self.name,
            "client": self.client,
            "state": self.state,
            "sites": list(self.sites),
            "counts": {
                t: {"active": c.active, "subscribed": c.subscribed} for t, c in self.counts.items()
            },
            "licences": [
                {"id": v.id, "type": v.type, "state": v.state, "site": v.site, "sda": v.sda}
                for v in self.licences
            ],
        }


@dataclass(frozen=True)
class LicencesCancelled:
    service_ref: str
    licence_type: str
    licence_ids: tuple[str, ...]
    remaining: TypeCount


@dataclass(frozen=True)
class ZoneWarning:
    licence_id: str
    number: str
    number_zone: int
    site_zone: int


@dataclass(frozen=True)
class SiteChangePreview:
    """What moving licences to a site will do: the new emergency address and zone warnings."""

    service_ref: str
    licence_ids: tuple[str, ...]
    site: SiteView
    already_there: tuple[str, ...]
    warnings: tuple[ZoneWarning, ...]


@dataclass(frozen=True)
class LicencesMoved:
    preview: SiteChangePreview


@dataclass(frozen=True)
class NumberDissociated:
    number: str
    licence_id: str
    offer_ref: str


@dataclass(frozen=True)
class QuoteLine:
    kind: str  # product_sheet | number | licence
    ref: str


@dataclass(frozen=True)
class QuotePreview:
    """The quote summary (récapitulatif du devis) of cancelling a whole Starter Pack offer."""

    service_ref: str
    offer_ref: str
    client: str
    lines: tuple[QuoteLine, ...]
    contacts: tuple[ContactView, ...]


@dataclass(frozen=True)
class OrderView:
    """An order as the follow-up shows it: what it removes, where it is, who did what."""

    ref: str
    status: str
    offer_ref: str
    service_ref: str
    contact: ContactView
    lines: tuple[QuoteLine, ...]
    notified_to: str | None
    client: str = ""
    service_state: str = ""
    placed_by: str = ""
    placed_at: datetime | None = None
    request_channel: str = "portal"
    request_sent_at: datetime | None = None
    request_attempts: int = 0
    request_error: str | None = None
    ended_by: str | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    version: int = 0

    @property
    def final(self) -> bool:
        return self.status == OrderStatus.FINAL

    @property
    def pending(self) -> bool:
        return self.status == OrderStatus.AWAITING_SIGNATURE

    def as_json(self) -> dict[str, Any]:
        """The line of ``openip-bot orders list --json``."""
        return {
            "ref": self.ref,
            "offer": self.offer_ref,
            "service": self.service_ref,
            "client": self.client,
            "state": self.status,
            "placed_by": self.placed_by,
            "placed_at": self.placed_at.isoformat() if self.placed_at else None,
            "contact": self.contact.email,
        }


@dataclass(frozen=True)
class OrderNotice:
    """An order ended: what its placer is told (``telegram_id`` None: not reachable)."""

    order: OrderView
    telegram_id: int | None
