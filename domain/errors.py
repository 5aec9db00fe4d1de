"""Typed domain errors: each carries what a dialog needs to explain it to the user."""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """Base of every error raised by the domain layer; nothing was changed when it is raised."""

    code = "domain_error"

    def __str__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{self.code}({fields})"


@dataclass(eq=False)
class NotFound(DomainError):
    """The object does not exist, or the user may not see it (both answer the same)."""

    kind: str
    ref: str
    code = "not_found"


@dataclass(eq=False)
class Forbidden(DomainError):
    """The user may see the object but not perform this action (helpdesk, reseller)."""

    action: str
    role: str
    code = "forbidden"


@dataclass(eq=False)
class Conflict(DomainError):
    """Another change on the same objects won the race; nothing of this one was applied."""

    refs: tuple[str, ...] = ()
    code = "conflict"


@dataclass(eq=False)
class ListedChanged(DomainError):
    """What a summary listed changed since it was read (``refs``): nothing was done."""

    refs: tuple[str, ...] = ()
    code = "listed_changed"


@dataclass(eq=False)
class InvalidPhoneNumber(DomainError):
    """Not a valid French telephone number."""

    value: str
    code = "invalid_phone"


@dataclass(eq=False)
class InvalidEmail(DomainError):
    """Not a valid e-mail address."""

    value: str
    code = "invalid_email"


@dataclass(eq=False)
class InvalidField(DomainError):
    """A required field is empty or malformed (``field`` names it, ``reason`` says why)."""

    field: str
    value: str
    reason: str
    code = "invalid_field"


@dataclass(eq=False)
class InvalidCharacters(DomainError):
    """The text holds invisible control or format characters (``characters``: U+… codes)."""

    field: str
    characters: str
    code = "invalid_characters"


@dataclass(eq=False)
class InvalidPostalCode(DomainError):
    """Not a 5-digit postal code of a real French department."""

    value: str
    code = "invalid_postal_code"


@dataclass(eq=False)
class UnknownLicenceType(DomainError):
    """The licence type is none of the MetaCentrex types."""

    value: str
    known: tuple[str, ...] = ()
    code = "unknown_licence_type"


@dataclass(eq=False)
class InvalidQuantity(DomainError):
    """The quantity to cancel is not a whole number between 1 and ``maximum``."""

    value: object
    maximum: int
    code = "invalid_quantity"


@dataclass(eq=False)
class LicencesHaveNumbers(DomainError):
    """Licences associated with a number (SDA) cannot be cancelled before dissociation."""

    numbers_by_licence: dict[str, str] = field(default_factory=dict)
    cancellable: int = 0
    code = "licences_have_numbers"


@dataclass(eq=False)
class LicenceNotActive(DomainError):
    """The licences are already cancelled (or otherwise not active)."""

    licence_ids: tuple[str, ...] = ()
    code = "licence_not_active"


@dataclass(eq=False)
class LicencesNotInService(DomainError):
    """The named licences do not belong to this service (or do not have the requested type)."""

    licence_ids: tuple[str, ...] = ()
    service_ref: str = ""
    code = "licences_not_in_service"


@dataclass(eq=False)
class SiteNotFound(DomainError):
    """The destination site does not exist for the client: it must be created first."""

    site_name: str
    client: str
    existing: tuple[str, ...] = ()
    code = "site_not_found"


@dataclass(eq=False)
class DuplicateSite(DomainError):
    """The client already has a site of that name (names compare case-insensitively)."""

    site_name: str
    client: str
    code = "duplicate_site"


@dataclass(eq=False)
class NumberNotAssociated(DomainError):
    """The number is not associated with any licence, so there is nothing to dissociate."""

    number: str
    code = "number_not_associated"


@dataclass(eq=False)
class OfferHasOtherProducts(DomainError):
    """The offer holds more than the Starter Pack: it cannot be cancelled as a whole this way."""

    offer_ref: str
    other_products: tuple[str, ...] = ()
    code = "offer_has_other_products"


@dataclass(eq=False)
class ServiceNotActive(DomainError):
    """The service (or its offer) is already cancelled or has a cancellation under way."""

    service_ref: str
    state: str
    code = "service_not_active"


@dataclass(eq=False)
class OrderNotAwaitingSignature(DomainError):
    """Only an order waiting for the client's signature can be signed, validated, withdrawn,
    expired or have its signature request sent again; ``status`` is where it ended."""

    order_ref: str
    status: str
    code = "order_not_awaiting_signature"


@dataclass(eq=False)
class OrderNotDue(DomainError):
    """The order is not old enough to expire: it may still be signed until ``expires_at``."""

    order_ref: str
    expires_at: str
    code = "order_not_due"


@dataclass(eq=False)
class EmptySelection(DomainError):
    """No licence was selected."""

    code = "empty_selection"


@dataclass(eq=False)
class UserExists(DomainError):
    """An active bot user already has this handle."""

    handle: str
    code = "user_exists"


@dataclass(eq=False)
class TelegramAccountTaken(DomainError):
    """This Telegram account is already linked to another bot user."""

    telegram_id: int
    handle: str
    code = "telegram_account_taken"


@dataclass(eq=False)
class InviteRefused(DomainError):
    """The invitation cannot be used: ``unknown``, ``used`` or ``expired``."""

    reason: str
    code = "invite_refused"


@dataclass(eq=False)
class UserRevoked(DomainError):
    """The user was revoked: linking or inviting it again must say it reactivates the user."""

    handle: str
    code = "user_revoked"
