"""Bad input to every service raises a typed error and changes nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from bot.database import Database
from domain import services
from domain.commands import CancelStarterPack
from domain.errors import (
    DomainError,
    DuplicateSite,
    EmptySelection,
    InvalidEmail,
    InvalidField,
    InvalidPhoneNumber,
    InvalidPostalCode,
    InvalidQuantity,
    LicencesHaveNumbers,
    LicencesNotInService,
    NotFound,
    NumberNotAssociated,
    OfferHasOtherProducts,
    SiteNotFound,
    UnknownLicenceType,
)
from domain.validation import ContactFields
from tests.conftest import ALPHA, OPERATOR_ACTOR
from tests.helpers import (
    Call,
    add_site,
    cancel,
    dissociate,
    move,
    pack,
    raises_and_changes_nothing,
)

AZUR_IT = "it@cabinet-azur.example"
GARAGE = "accueil@garage-du-port.example"


def new_contact(**fields: Any) -> ContactFields:
    values = {"name": "Marie Martin", "email": "marie@garage.example", "phone": "0612345678"}
    return ContactFields(**{**values, **fields})


def case(call: Call, error: type[DomainError], fields: dict[str, Any], name: str) -> Any:
    return pytest.param(call, error, fields, id=name)


CANCELLING = [
    case(cancel("full", 1, service_ref="SRV-9999"), NotFound, {"kind": "service"}, "no-service"),
    case(cancel("pro", 1), UnknownLicenceType, {"value": "pro"}, "unknown-type"),
    case(cancel(None, 1), UnknownLicenceType, {"value": ""}, "no-type"),
    *(
        case(cancel("full", q), InvalidQuantity, {"value": q, "maximum": 2}, f"quantity-{q!r}")
        for q in (0, -1, 7, 10**6, "2", 1.5, True, None)
    ),
    case(cancel("full", 3), LicencesHaveNumbers, {"cancellable": 2}, "quantity-above-free"),
    case(
        cancel(ids=("FPC367101",)),
        LicencesHaveNumbers,
        {"numbers_by_licence": {"FPC367101": "+33491000001"}},
        "named-with-number",
    ),
    case(cancel(ids=("FPC367105", "FPC999999")), NotFound, {"ref": "FPC999999"}, "unknown-id"),
    case(cancel(ids=("FPC367202",)), LicencesNotInService, {}, "licence-of-another-service"),
    case(cancel("svi", ids=("FPC367105",)), LicencesNotInService, {}, "named-wrong-type"),
    case(cancel(None, ids=("FPC367105", "FPC367123")), LicencesNotInService, {}, "mixed-types"),
]

MOVING = [
    case(move(("FPC367105",), "Agence Aix", "SRV-9999"), NotFound, {"kind": "service"}, "no-srv"),
    case(move(("FPC999999",), "Agence Aix"), NotFound, {"kind": "licence"}, "unknown-licence"),
    case(
        move(("FPC367105",), "Agence Nice"),
        SiteNotFound,
        {"site_name": "Agence Nice", "existing": ("Siège Social", "Agence Aix")},
        "missing-site",
    ),
    case(move(("FPC367105",), "Atelier"), SiteNotFound, {}, "site-of-another-client"),
    case(move((), "Agence Aix"), EmptySelection, {}, "nothing-selected"),
    case(
        move(("FPC367105", "FPC367201"), "Agence Aix"),
        LicencesNotInService,
        {"licence_ids": ("FPC367201",)},
        "licence-of-another-service",
    ),
]

SITES = [
    case(add_site("CA-9999"), NotFound, {"kind": "client", "ref": "CA-9999"}, "unknown-client"),
    *(
        case(add_site(postal_code=code), InvalidPostalCode, {"value": code}, f"postal-{code}")
        for code in ("1300", "00100", "96000", "ABCDE", "130010", "2A000")
    ),
    case(add_site(phone="04 93"), InvalidPhoneNumber, {"value": "04 93"}, "bad-phone"),
    case(add_site(name=""), InvalidField, {"field": "name"}, "empty-name"),
    case(add_site(street=" "), InvalidField, {"field": "street"}, "empty-street"),
    case(add_site(city=""), InvalidField, {"field": "city"}, "empty-city"),
    case(
        add_site(name="siège  SOCIAL"),
        DuplicateSite,
        {"site_name": "siège SOCIAL", "client": "Cabinet Azur"},
        "duplicate-name-in-another-case",
    ),
]

NUMBERS = [
    case(dissociate("04 91"), InvalidPhoneNumber, {"value": "04 91"}, "malformed"),
    case(dissociate("04 91 99 99 99"), NotFound, {"ref": "+33491999999"}, "unknown"),
    case(dissociate("+33491000102"), NumberNotAssociated, {}, "not-associated"),
    case(dissociate(licence_id="FPC367105"), NumberNotAssociated, {}, "licence-without-number"),
    case(dissociate(licence_id="FPC999999"), NotFound, {"kind": "licence"}, "unknown-licence"),
    case(dissociate(), InvalidField, {"field": "number"}, "nothing-named"),
]

ORDERS = [
    case(
        pack("SRV-1001", AZUR_IT),
        OfferHasOtherProducts,
        {"offer_ref": "OFF-1001", "other_products": ("Option enregistrement des appels",)},
        "offer-with-an-option",
    ),
    case(pack("SRV-9999", GARAGE), NotFound, {"kind": "service"}, "unknown-service"),
    case(pack("SRV-1002", AZUR_IT), NotFound, {"kind": "contact"}, "contact-of-another-client"),
    case(pack("SRV-1002"), InvalidField, {"field": "contact"}, "no-contact"),
    case(
        lambda uow: services.cancel_starter_pack(uow, ALPHA, CancelStarterPack("SRV-1002", 9999)),
        NotFound,
        {"kind": "contact", "ref": "9999"},
        "unknown-contact",
    ),
    case(pack("SRV-1002", new_contact=new_contact(email="marie@")), InvalidEmail, {}, "bad-email"),
    case(
        pack("SRV-1002", new_contact=new_contact(phone="06 12")),
        InvalidPhoneNumber,
        {},
        "bad-phone",
    ),
    case(pack("SRV-1002", new_contact=new_contact(name=" ")), InvalidField, {}, "no-name"),
    case(
        lambda uow: services.record_client_signature(uow, OPERATOR_ACTOR, "CMD-NOPE"),
        NotFound,
        {"kind": "order", "ref": "CMD-NOPE"},
        "signature-of-unknown-order",
    ),
]


def check(db: Database, call: Call, error: type[DomainError], fields: dict[str, Any]) -> None:
    raised = raises_and_changes_nothing(db, call, error)
    assert {k: vars(raised)[k] for k in fields} == fields


@pytest.mark.parametrize(("call", "error", "fields"), CANCELLING)
def test_cancelling_licences_with_bad_input_changes_nothing(
    db: Database, call: Call, error: type[DomainError], fields: dict[str, Any]
) -> None:
    check(db, call, error, fields)


@pytest.mark.parametrize(("call", "error", "fields"), MOVING)
def test_moving_licences_with_bad_input_changes_nothing(
    db: Database, call: Call, error: type[DomainError], fields: dict[str, Any]
) -> None:
    check(db, call, error, fields)


@pytest.mark.parametrize(("call", "error", "fields"), SITES)
def test_adding_a_site_with_bad_input_changes_nothing(
    db: Database, call: Call, error: type[DomainError], fields: dict[str, Any]
) -> None:
    check(db, call, error, fields)


@pytest.mark.parametrize(("call", "error", "fields"), NUMBERS)
def test_dissociating_a_number_with_bad_input_changes_nothing(
    db: Database, call: Call, error: type[DomainError], fields: dict[str, Any]
) -> None:
    check(db, call, error, fields)


@pytest.mark.parametrize(("call", "error", "fields"), ORDERS)
def test_ordering_a_starter_pack_cancellation_with_bad_input_changes_nothing(
    db: Database, call: Call, error: type[DomainError], fields: dict[str, Any]
) -> None:
    check(db, call, error, fields)


def test_licences_of_a_service_whose_cancellation_is_under_way_cannot_change(db: Database) -> None:
    from domain.commands import CancelLicences, CancelStarterPack, ChangeLicenceSite
    from domain.errors import ServiceNotActive
    from domain.services import cancel_licences, cancel_starter_pack, change_licence_site
    from tests.conftest import ALPHA

    with db.uow() as uow:
        contact = services.preview_starter_pack_cancellation(uow, ALPHA, "SRV-1002").contacts[0]
    with db.uow() as uow:
        cancel_starter_pack(uow, ALPHA, CancelStarterPack("SRV-1002", contact_id=contact.id))
    with db.uow() as uow, pytest.raises(ServiceNotActive):
        cancel_licences(uow, ALPHA, CancelLicences("SRV-1002", "full", 1))
    with db.uow() as uow, pytest.raises(ServiceNotActive):
        change_licence_site(uow, ALPHA, ChangeLicenceSite("SRV-1002", ("FPC367202",), "Atelier"))


def test_a_nine_digit_number_without_its_leading_zero_is_refused() -> None:
    from domain.errors import InvalidPhoneNumber
    from domain.phone import to_e164

    with pytest.raises(InvalidPhoneNumber):
        to_e164("491000001")
