"""Rules 1, 2, 3, 4, 6 and 7 on model objects built in memory: no database."""

from __future__ import annotations

import pytest

from domain.access import OPERATOR, Actor
from domain.catalog import LICENCE_TYPES, STARTER_PACK, check_licence_type, licence_label
from domain.errors import (
    Forbidden,
    InvalidQuantity,
    LicenceNotActive,
    LicencesHaveNumbers,
    LicencesNotInService,
    OfferHasOtherProducts,
    UnknownLicenceType,
)
from domain.model import Licence, LicenceState, Offer, ProductSheet, Role
from domain.rules import (
    check_named_for_cancellation,
    check_only_starter_pack,
    select_for_cancellation,
    type_counts,
    zone_warnings,
)
from domain.views import TypeCount, ZoneWarning
from tests.helpers import make_licence

CANCELLED = LicenceState.CANCELLED


def azur_full_licences() -> list[Licence]:
    """Six full licences as at Cabinet Azur: four hold a number, two do not."""
    return [
        make_licence("FPC367101", sda="+33491000001"),
        make_licence("FPC367102", sda="+33491000002"),
        make_licence("FPC367103", sda="+33491000003"),
        make_licence("FPC367104", sda="+33491000004"),
        make_licence("FPC367105"),
        make_licence("FPC367106"),
    ]


# Rule 1 -------------------------------------------------------------------------------------


def test_a_licence_with_a_number_cannot_be_cancelled() -> None:
    licence = make_licence("FPC367101", sda="+33491000001")
    with pytest.raises(LicencesHaveNumbers) as caught:
        check_named_for_cancellation([licence], 1, "SRV-1001")
    assert caught.value.numbers_by_licence == {"FPC367101": "+33491000001"}
    assert caught.value.cancellable == 0


def test_the_refusal_names_every_number_among_the_named_licences() -> None:
    chosen = [make_licence("FPC367105"), *azur_full_licences()[:2]]
    with pytest.raises(LicencesHaveNumbers) as caught:
        check_named_for_cancellation(chosen, 1, "SRV-1001")
    assert caught.value.numbers_by_licence == {
        "FPC367101": "+33491000001",
        "FPC367102": "+33491000002",
    }
    assert caught.value.cancellable == 1


def test_licences_without_number_of_the_service_may_be_named_for_cancellation() -> None:
    check_named_for_cancellation([make_licence("FPC367105"), make_licence("FPC367106")], 1, "S")


def test_a_licence_of_another_service_cannot_be_named() -> None:
    chosen = [make_licence("FPC367105"), make_licence("FPC367202", service_id=2)]
    with pytest.raises(LicencesNotInService) as caught:
        check_named_for_cancellation(chosen, 1, "SRV-1001")
    assert (caught.value.licence_ids, caught.value.service_ref) == (("FPC367202",), "SRV-1001")


def test_a_cancelled_licence_cannot_be_cancelled_again() -> None:
    with pytest.raises(LicenceNotActive) as caught:
        check_named_for_cancellation([make_licence("FPC367105", state=CANCELLED)], 1, "S")
    assert caught.value.licence_ids == ("FPC367105",)


def test_dissociating_the_number_makes_the_licence_cancellable() -> None:
    licence = make_licence("FPC367101", sda="+33491000001")
    number = licence.number
    licence.number = None
    check_named_for_cancellation([licence], 1, "SRV-1001")
    assert number is not None
    assert number.licence is None


# Rule 2 -------------------------------------------------------------------------------------


def test_cancelling_by_quantity_takes_the_most_recent_licences_without_number() -> None:
    chosen = select_for_cancellation(azur_full_licences(), "full", 2)
    assert [lic.id for lic in chosen] == ["FPC367106", "FPC367105"]


def test_cancelling_by_quantity_skips_other_types_and_cancelled_licences() -> None:
    licences = [
        make_licence("FPC367107", state=CANCELLED),
        make_licence("FPC367123", "svi"),
        make_licence("FPC367105"),
    ]
    assert [lic.id for lic in select_for_cancellation(licences, "full", 1)] == ["FPC367105"]


@pytest.mark.parametrize("quantity", [0, -1, -100])
def test_a_quantity_below_one_is_refused_with_the_maximum(quantity: int) -> None:
    with pytest.raises(InvalidQuantity) as caught:
        select_for_cancellation(azur_full_licences(), "full", quantity)
    assert (caught.value.value, caught.value.maximum) == (quantity, 2)


@pytest.mark.parametrize("quantity", ["2", 2.0, 1.5, None, True, False, [2]])
def test_a_quantity_that_is_not_a_whole_number_is_refused(quantity: object) -> None:
    with pytest.raises(InvalidQuantity) as caught:
        select_for_cancellation(azur_full_licences(), "full", quantity)
    assert caught.value.value is quantity
    assert caught.value.maximum == 2


@pytest.mark.parametrize("quantity", [7, 10**9])
def test_a_quantity_above_the_active_licences_is_refused(quantity: int) -> None:
    with pytest.raises(InvalidQuantity) as caught:
        select_for_cancellation(azur_full_licences(), "full", quantity)
    assert caught.value.maximum == 2


def test_a_quantity_reachable_only_with_numbered_licences_names_their_numbers() -> None:
    with pytest.raises(LicencesHaveNumbers) as caught:
        select_for_cancellation(azur_full_licences(), "full", 3)
    assert caught.value.cancellable == 2
    assert sorted(caught.value.numbers_by_licence) == [
        "FPC367101",
        "FPC367102",
        "FPC367103",
        "FPC367104",
    ]
    assert caught.value.numbers_by_licence["FPC367104"] == "+33491000004"


def test_a_type_with_no_licence_has_nothing_to_cancel() -> None:
    with pytest.raises(InvalidQuantity) as caught:
        select_for_cancellation(azur_full_licences(), "simple", 1)
    assert caught.value.maximum == 0


@pytest.mark.parametrize("licence_type", ["pro", "Licence full", "FULL", ""])
def test_an_unknown_licence_type_is_refused_with_the_known_ones(licence_type: str) -> None:
    with pytest.raises(UnknownLicenceType) as caught:
        select_for_cancellation(azur_full_licences(), licence_type, 1)
    assert caught.value.value == licence_type
    assert caught.value.known == tuple(LICENCE_TYPES)


def test_counts_are_active_over_subscribed_for_every_type() -> None:
    licences = [
        *azur_full_licences(),
        make_licence("FPC367107", state=CANCELLED),
        make_licence("FPC367123", "svi", state=CANCELLED),
        make_licence("FPC367124", "svi_avancee", "+33491000010"),
    ]
    counts = type_counts(licences)
    assert list(counts) == list(LICENCE_TYPES)
    assert counts["full"] == TypeCount(active=6, subscribed=7)
    assert counts["svi"] == TypeCount(active=0, subscribed=1)
    assert counts["svi_avancee"] == TypeCount(active=1, subscribed=1)
    assert counts["simple"] == TypeCount(active=0, subscribed=0)


def test_every_licence_type_has_the_portal_label() -> None:
    assert licence_label("full_meeting_avancee") == "Licence full meeting avancée"
    assert licence_label("svi") == "Licence SVI"
    assert len(LICENCE_TYPES) == 9
    assert all(check_licence_type(slug) == slug for slug in LICENCE_TYPES)


# Rule 3 -------------------------------------------------------------------------------------


def offer_with(*products: tuple[str, bool]) -> Offer:
    return Offer(ref="OFF-1", products=[ProductSheet(name=n, active=a) for n, a in products])


def test_an_offer_of_only_the_starter_pack_can_be_cancelled_as_a_whole() -> None:
    check_only_starter_pack(offer_with((STARTER_PACK, True)))


def test_an_offer_with_an_option_is_refused_naming_the_option() -> None:
    offer = offer_with((STARTER_PACK, True), ("Option enregistrement des appels", True))
    with pytest.raises(OfferHasOtherProducts) as caught:
        check_only_starter_pack(offer)
    assert caught.value.offer_ref == "OFF-1"
    assert caught.value.other_products == ("Option enregistrement des appels",)


def test_an_option_already_removed_does_not_prevent_the_cancellation() -> None:
    check_only_starter_pack(offer_with((STARTER_PACK, True), ("Option fax", False)))


# Rule 4 -------------------------------------------------------------------------------------


def test_a_04_number_moved_to_a_paris_site_warns_of_the_zones() -> None:
    licence = make_licence("FPC367101", sda="+33491000001")
    assert zone_warnings([licence], "75008") == [
        ZoneWarning("FPC367101", "+33491000001", number_zone=4, site_zone=1)
    ]


def test_a_04_number_moved_to_a_bouches_du_rhone_site_does_not_warn() -> None:
    assert zone_warnings([make_licence("FPC367101", sda="+33491000001")], "13100") == []


@pytest.mark.parametrize("sda", ["+33612345678", "+33712345678", "+33912345678", None])
def test_a_non_geographic_number_or_no_number_never_warns(sda: str | None) -> None:
    assert zone_warnings([make_licence("FPC367105", sda=sda)], "75008") == []


def test_only_the_licences_of_another_zone_are_warned_about() -> None:
    licences = [make_licence("A", sda="+33145000001"), make_licence("B", sda="+33491000001")]
    assert [w.licence_id for w in zone_warnings(licences, "20000")] == ["A"]


# Rule 7 -------------------------------------------------------------------------------------


def test_the_helpdesk_may_read_everything_and_change_nothing() -> None:
    helpdesk = Actor("helpdesk", Role.HELPDESK)
    assert helpdesk.sees_everything
    with pytest.raises(Forbidden) as caught:
        helpdesk.require_change("add_site")
    assert (caught.value.action, caught.value.role) == ("add_site", "helpdesk")


def test_a_reseller_sees_only_its_own_and_cannot_validate_orders_finally() -> None:
    reseller = Actor("revendeur-alpha", Role.RESELLER, 1)
    assert not reseller.sees_everything
    reseller.require_change("add_site")
    with pytest.raises(Forbidden):
        reseller.require_operator("record_client_signature")


def test_the_operator_does_everything() -> None:
    assert OPERATOR.sees_everything
    OPERATOR.require_change("cancel_licences")
    OPERATOR.require_operator("record_client_signature")
