"""Adding a site to a client (rule 5)."""

from __future__ import annotations

from domain.access import Actor
from domain.commands import AddSite
from domain.errors import Conflict, DuplicateSite
from domain.model import Site
from domain.persistence.uow import UnitOfWork
from domain.queries import find_site, get_client, site_key
from domain.services import mapping
from domain.services.audit import record
from domain.validation import clean_site, required_text
from domain.views import SiteView


def add_site(uow: UnitOfWork, actor: Actor, cmd: AddSite) -> SiteView:
    """Create a site after checking every field; a name already used is refused."""
    actor.require_change("add_site")
    client = get_client(uow.session, actor, cmd.client_ref)
    fields = clean_site(cmd.site)
    if find_site(client, fields.name) is not None:
        raise DuplicateSite(fields.name, client.name)
    site = Site(
        client=client,
        name=fields.name,
        name_key=site_key(fields.name),
        street=fields.street,
        postal_code=fields.postal_code,
        city=fields.city,
        phone=fields.phone,
    )
    uow.session.add(site)
    try:
        uow.flush()
    except Conflict as exc:  # the same name added by a concurrent request
        raise DuplicateSite(fields.name, client.name) from exc
    record(
        uow.session,
        actor,
        "add_site",
        client_id=client.id,
        objects=[client.account_ref, fields.name],
        before={},
        after={"site": fields.name, "address": site.address, "phone": fields.phone},
    )
    view = mapping.site_view(site)
    try:
        uow.commit()
    except Conflict as exc:
        raise DuplicateSite(fields.name, client.name) from exc
    return view


def check_site_name(uow: UnitOfWork, actor: Actor, client_ref: str, name: str) -> str:
    """The cleaned name of a new site, or :class:`DuplicateSite` if the client has it already."""
    client = get_client(uow.session, actor, client_ref)
    cleaned = required_text("name", name)
    if find_site(client, cleaned) is not None:
        raise DuplicateSite(cleaned, client.name)
    return cleaned
