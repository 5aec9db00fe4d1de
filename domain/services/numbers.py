"""Dissociating a number (SDA) from its licence (rule 6)."""

from __future__ import annotations

from sqlalchemy.orm.attributes import flag_modified

from domain.access import Actor
from domain.commands import DissociateNumber
from domain.errors import InvalidField, NumberNotAssociated
from domain.model import Licence
from domain.persistence.uow import UnitOfWork
from domain.phone import to_e164
from domain.queries import get_licences, get_number
from domain.rules import check_versions
from domain.services.audit import record
from domain.views import NumberDissociated


def dissociate_number(uow: UnitOfWork, actor: Actor, cmd: DissociateNumber) -> NumberDissociated:
    """Leave the number in the client's offer, unassigned; its licence becomes cancellable."""
    actor.require_change("dissociate_number")
    if cmd.number:
        number = get_number(uow.session, actor, to_e164(cmd.number))
    elif cmd.licence_id:
        licence = get_licences(uow.session, actor, [cmd.licence_id])[0]
        if licence.number is None:
            raise NumberNotAssociated(licence.id)
        number = licence.number
    else:
        raise InvalidField("number", "", "empty")
    licence_obj: Licence | None = number.licence
    if licence_obj is None:
        raise NumberNotAssociated(number.e164)
    check_versions([licence_obj], cmd.expected)
    flag_modified(licence_obj, "state")  # bump its version: concurrent changes conflict
    number.licence = None
    record(
        uow.session,
        actor,
        "dissociate_number",
        client_id=number.offer.service.client_id,
        objects=[number.e164, licence_obj.id],
        before={number.e164: licence_obj.id},
        after={number.e164: None},
    )
    uow.commit()
    return NumberDissociated(number.e164, licence_obj.id, number.offer.ref)
