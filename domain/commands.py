"""What a caller asks the domain to do: plain frozen data, validated by the services."""

from __future__ import annotations

from dataclasses import dataclass

from domain.validation import ContactFields, SiteFields

Versions = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CancelLicences:
    """Cancel ``quantity`` licences of a type, or the licences named in ``licence_ids``."""

    service_ref: str
    licence_type: str | None = None
    quantity: object = None
    licence_ids: tuple[str, ...] = ()
    expected: Versions = ()  # (licence id, version) as the summary read them


@dataclass(frozen=True)
class ChangeLicenceSite:
    service_ref: str
    licence_ids: tuple[str, ...]
    site_name: str
    expected: Versions = ()


@dataclass(frozen=True)
class AddSite:
    client_ref: str
    site: SiteFields


@dataclass(frozen=True)
class DissociateNumber:
    """Dissociate a number, named by itself (any French form) or by its licence."""

    number: str | None = None
    licence_id: str | None = None
    expected: Versions = ()  # the licence that carries the number, with its version


@dataclass(frozen=True)
class CancelStarterPack:
    """Cancel a whole Starter Pack offer: an existing contact's id, or a new contact.

    ``request_by_email``: the assistant e-mails the signature request (an SMTP server is set);
    otherwise the reseller sends it from MyOpenIP.
    """

    service_ref: str
    contact_id: int | None = None
    new_contact: ContactFields | None = None
    request_by_email: bool = False


@dataclass(frozen=True)
class OrderAction:
    """Act on an order; ``expected_version`` is the version the user saw (None: any)."""

    order_ref: str
    expected_version: int | None = None
