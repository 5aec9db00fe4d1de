"""Cancelling licences (rules 1, 2) and moving them to another site (rule 4)."""

from __future__ import annotations

from domain.access import Actor
from domain.commands import CancelLicences, ChangeLicenceSite
from domain.errors import (
    EmptySelection,
    LicenceNotActive,
    LicencesNotInService,
    ServiceNotActive,
    SiteNotFound,
)
from domain.model import Licence, LicenceState, Service, ServiceState
from domain.persistence.uow import UnitOfWork
from domain.queries import find_site, get_licences, get_service
from domain.rules import (
    check_named_for_cancellation,
    check_versions,
    select_for_cancellation,
    type_counts,
)
from domain.rules import zone_warnings as compute_zone_warnings
from domain.services import mapping
from domain.services.audit import record
from domain.views import LicencesCancelled, LicencesMoved, SiteChangePreview, TypeCount


def preview_cancellation(uow: UnitOfWork, actor: Actor, cmd: CancelLicences) -> LicencesCancelled:
    """Which licences a cancellation would take, or the error it would raise; changes nothing."""
    service, licence_type, chosen = _choose(uow, actor, cmd)
    counts = type_counts(service.licences)[licence_type]
    remaining = TypeCount(counts.active - len(chosen), counts.subscribed)
    return LicencesCancelled(service.ref, licence_type, tuple(c.id for c in chosen), remaining)


def cancel_licences(uow: UnitOfWork, actor: Actor, cmd: CancelLicences) -> LicencesCancelled:
    """Cancel licences of one type in a service's Détails tab, all of them or none."""
    actor.require_change("cancel_licences")
    service, licence_type, chosen = _choose(uow, actor, cmd)
    for licence in chosen:
        licence.state = LicenceState.CANCELLED
    ids = [lic.id for lic in chosen]
    record(
        uow.session,
        actor,
        "cancel_licences",
        client_id=service.client_id,
        objects=[service.ref, *ids],
        before={i: "active" for i in ids},
        after={i: "cancelled" for i in ids},
    )
    uow.commit()
    remaining = type_counts(service.licences)[licence_type]
    return LicencesCancelled(service.ref, licence_type, tuple(ids), remaining)


def _choose(
    uow: UnitOfWork, actor: Actor, cmd: CancelLicences
) -> tuple[Service, str, list[Licence]]:
    service = _active_service(uow, actor, cmd.service_ref)
    if cmd.licence_ids:
        chosen = get_licences(uow.session, actor, cmd.licence_ids)
        check_versions(chosen, cmd.expected)
        check_named_for_cancellation(chosen, service.id, service.ref)
        types = {lic.type for lic in chosen}
        if (cmd.licence_type and types != {cmd.licence_type}) or len(types) != 1:
            raise LicencesNotInService(tuple(lic.id for lic in chosen), service.ref)
        licence_type = types.pop()
    else:
        licence_type = cmd.licence_type or ""
        chosen = select_for_cancellation(service.licences, licence_type, cmd.quantity)
    return service, licence_type, chosen


def preview_site_change(uow: UnitOfWork, actor: Actor, cmd: ChangeLicenceSite) -> SiteChangePreview:
    """What moving the licences would do, without changing anything."""
    _, _, preview = _prepare_move(uow, actor, cmd)
    return preview


def change_licence_site(uow: UnitOfWork, actor: Actor, cmd: ChangeLicenceSite) -> LicencesMoved:
    """Move licences of a service to another existing site of the same client."""
    actor.require_change("change_licence_site")
    service, licences, preview = _prepare_move(uow, actor, cmd)
    site = find_site(service.client, cmd.site_name)
    assert site is not None  # checked by _prepare_move
    # a licence already on the site does not move: audited are the ones that do, if any
    before = {lic.id: lic.site.name for lic in licences if lic.site_id != site.id}
    for licence in licences:
        licence.site = site
    if before:
        record(
            uow.session,
            actor,
            "change_licence_site",
            client_id=service.client_id,
            objects=[service.ref, *before],
            before=before,
            after={i: site.name for i in before},
        )
    uow.commit()
    return LicencesMoved(preview)


def _prepare_move(
    uow: UnitOfWork, actor: Actor, cmd: ChangeLicenceSite
) -> tuple[Service, list[Licence], SiteChangePreview]:
    if not cmd.licence_ids:
        raise EmptySelection()
    service = _active_service(uow, actor, cmd.service_ref)
    licences = get_licences(uow.session, actor, list(dict.fromkeys(cmd.licence_ids)))
    check_versions(licences, cmd.expected)
    foreign = tuple(lic.id for lic in licences if lic.service_id != service.id)
    if foreign:
        raise LicencesNotInService(foreign, service.ref)
    inactive = tuple(lic.id for lic in licences if not lic.is_active)
    if inactive:
        raise LicenceNotActive(inactive)
    site = find_site(service.client, cmd.site_name)
    if site is None:
        existing = tuple(s.name for s in service.client.sites)
        raise SiteNotFound(cmd.site_name, service.client.name, existing)
    preview = SiteChangePreview(
        service_ref=service.ref,
        licence_ids=tuple(lic.id for lic in licences),
        site=mapping.site_view(site),
        already_there=tuple(lic.id for lic in licences if lic.site_id == site.id),
        warnings=tuple(compute_zone_warnings(licences, site.postal_code)),
    )
    return service, licences, preview


def _active_service(uow: UnitOfWork, actor: Actor, service_ref: str) -> Service:
    """A service the actor may see whose licences may still change (state « Actif »)."""
    service = get_service(uow.session, actor, service_ref)
    if service.state != ServiceState.ACTIVE:
        raise ServiceNotActive(service.ref, service.state)
    return service
