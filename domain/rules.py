"""Business rules that need no database: pure functions over model objects and values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from domain.catalog import LICENCE_TYPES, STARTER_PACK, check_licence_type
from domain.errors import (
    InvalidQuantity,
    LicenceNotActive,
    LicencesHaveNumbers,
    LicencesNotInService,
    ListedChanged,
    OfferHasOtherProducts,
)
from domain.geography import zone_of_postal_code
from domain.model import Licence, LicenceState, Offer
from domain.phone import geographic_zone
from domain.views import TypeCount, ZoneWarning


class Counted(Protocol):
    """A licence as counted: its type and state (an ORM licence or a view of one)."""

    @property
    def type(self) -> str: ...

    @property
    def state(self) -> str: ...


def type_counts(licences: Iterable[Counted]) -> dict[str, TypeCount]:
    """Counts per licence type as the Détails tab shows them: active / subscribed.

    ``subscribed`` counts every licence the service ever held of the type, cancelled ones included;
    ``active`` those still active.
    """
    active = dict.fromkeys(LICENCE_TYPES, 0)
    subscribed = dict.fromkeys(LICENCE_TYPES, 0)
    for licence in licences:
        subscribed[licence.type] += 1
        if licence.state == LicenceState.ACTIVE:
            active[licence.type] += 1
    return {t: TypeCount(active[t], subscribed[t]) for t in LICENCE_TYPES}


def select_for_cancellation(
    licences: Sequence[Licence], licence_type: str, quantity: object
) -> list[Licence]:
    """Pick ``quantity`` cancellable licences of a type (rule 2), the most recent ids first.

    Raises :class:`InvalidQuantity` outside 1..cancellable, or :class:`LicencesHaveNumbers` when
    the quantity asked could only be reached by licences that still hold a number (rule 1).
    """
    check_licence_type(licence_type)
    of_type = [lic for lic in licences if lic.type == licence_type and lic.is_active]
    cancellable = sorted((lic for lic in of_type if lic.number is None), key=lambda x: x.id)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise InvalidQuantity(quantity, len(cancellable))
    if quantity > len(of_type):
        raise InvalidQuantity(quantity, len(cancellable))
    if quantity > len(cancellable):
        numbered = {lic.id: lic.sda for lic in of_type if lic.sda is not None}
        raise LicencesHaveNumbers(
            {k: v for k, v in numbered.items() if v}, cancellable=len(cancellable)
        )
    return cancellable[len(cancellable) - quantity :][::-1]


def check_named_for_cancellation(
    licences: Sequence[Licence], service_id: int, service_ref: str
) -> None:
    """Named licences must belong to the service, be active and hold no number (rules 1, 2)."""
    foreign = tuple(lic.id for lic in licences if lic.service_id != service_id)
    if foreign:
        raise LicencesNotInService(foreign, service_ref)
    inactive = tuple(lic.id for lic in licences if not lic.is_active)
    if inactive:
        raise LicenceNotActive(inactive)
    numbered = {lic.id: lic.sda for lic in licences if lic.sda is not None}
    if numbered:
        cancellable = sum(1 for lic in licences if lic.sda is None)
        raise LicencesHaveNumbers({k: v for k, v in numbered.items() if v}, cancellable)


def zone_warnings(licences: Iterable[Licence], postal_code: str) -> list[ZoneWarning]:
    """Licences whose geographic number (01–05) is of another zone than the site (rule 4)."""
    site_zone = zone_of_postal_code(postal_code)
    warnings: list[ZoneWarning] = []
    if site_zone is None:
        return warnings
    for licence in licences:
        sda = licence.sda
        zone = geographic_zone(sda) if sda else None
        if sda and zone is not None and zone != site_zone:
            warnings.append(ZoneWarning(licence.id, sda, zone, site_zone))
    return warnings


def check_only_starter_pack(offer: Offer) -> None:
    """An offer can be cancelled as a whole only when it holds nothing but the Starter Pack."""
    others = tuple(p.name for p in offer.products if p.active and p.name != STARTER_PACK)
    if others:
        raise OfferHasOtherProducts(offer.ref, others)


def check_versions(licences: Iterable[Licence], expected: Sequence[tuple[str, int]]) -> None:
    """The licences are exactly those listed, each as it was read; else :class:`ListedChanged`."""
    if not expected:
        return
    now = {lic.id: lic.version for lic in licences}
    changed = tuple(i for i, v in expected if now.get(i) != v)
    changed += tuple(i for i in now if i not in dict(expected))
    if changed:
        raise ListedChanged(changed)
