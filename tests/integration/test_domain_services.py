"""Every service of ``domain.services`` on SQLite and PostgreSQL: results and audit entries."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.database import Database
from domain import services
from domain.commands import CancelLicences, ChangeLicenceSite
from domain.errors import DomainError, LicenceNotActive, LicencesHaveNumbers
from domain.model import Client, Number
from domain.views import (
    LicencesCancelled,
    NumberDissociated,
    ServiceSummary,
    TypeCount,
    ZoneWarning,
)
from tests.conftest import ALPHA, HELPDESK
from tests.helpers import (
    Call,
    FailingCommitUnitOfWork,
    add_site,
    audit_entries,
    cancel,
    details,
    dissociate,
    move,
    pack,
    raises_and_changes_nothing,
    run,
    snapshot,
)


def licence_sites(db: Database) -> dict[str, str]:
    return {lic.id: lic.site for lic in details(db).licences}


CHANGES = [
    pytest.param(
        cancel("full", 2), "cancel_licences", ["SRV-1001", "FPC367106", "FPC367105"], id="cancel"
    ),
    pytest.param(
        move(("FPC367128", "FPC367129"), "agence aix"),
        "change_licence_site",
        ["SRV-1001", "FPC367128", "FPC367129"],
        id="move",
    ),
    pytest.param(add_site(), "add_site", ["CA-1001", "Agence Nice"], id="add-site"),
    pytest.param(
        dissociate("04 91 00 00 01"),
        "dissociate_number",
        ["+33491000001", "FPC367101"],
        id="dissociate",
    ),
    pytest.param(
        pack("SRV-1002", "accueil@garage-du-port.example"),
        "cancel_starter_pack",
        ["SRV-1002", "OFF-1002"],
        id="starter-pack",
    ),
]


@pytest.mark.parametrize(("call", "action", "objects"), CHANGES)
def test_every_change_writes_one_audit_entry_naming_who_what_and_on_which_objects(
    db: Database, call: Call, action: str, objects: list[str]
) -> None:
    assert audit_entries(db) == []
    run(db, call)
    [entry] = audit_entries(db)
    assert (entry.actor, entry.action) == ("revendeur-alpha", action)
    assert entry.objects[: len(objects)] == objects
    assert entry.after
    assert entry.before != entry.after
    with db.sessions() as session:
        client = session.get(Client, entry.client_id)
        assert client is not None
        assert client.reseller_id == ALPHA.reseller_id


@pytest.mark.parametrize(("call", "action", "objects"), CHANGES)
def test_a_change_whose_commit_fails_keeps_neither_the_change_nor_its_audit_entry(
    db: Database, call: Call, action: str, objects: list[str]
) -> None:
    before = snapshot(db)
    with pytest.raises(DomainError), FailingCommitUnitOfWork(db.sessions) as uow:
        call(uow)
    assert uow.flushed_audit_entries == 1
    assert snapshot(db) == before


def test_cancelling_two_full_licences_takes_the_two_most_recent_without_number(
    db: Database,
) -> None:
    result = run(db, cancel("full", 2))
    assert result == LicencesCancelled(
        "SRV-1001", "full", ("FPC367106", "FPC367105"), TypeCount(active=4, subscribed=6)
    )
    after = details(db)
    assert after.counts["full"] == TypeCount(active=4, subscribed=6)
    states = {lic.id: lic.state for lic in after.licences}
    assert (states["FPC367105"], states["FPC367106"], states["FPC367104"]) == (
        "cancelled",
        "cancelled",
        "active",
    )


def test_previewing_a_cancellation_tells_which_licences_it_takes_and_changes_nothing(
    db: Database,
) -> None:
    before = snapshot(db)
    cmd = CancelLicences("SRV-1001", "full", 2)
    preview = run(db, lambda uow: services.preview_cancellation(uow, HELPDESK, cmd))
    assert preview == LicencesCancelled(
        "SRV-1001", "full", ("FPC367106", "FPC367105"), TypeCount(active=4, subscribed=6)
    )
    assert snapshot(db) == before
    bad = CancelLicences("SRV-1001", "full", 3)
    raises_and_changes_nothing(
        db, lambda uow: services.preview_cancellation(uow, ALPHA, bad), LicencesHaveNumbers
    )


def test_named_licences_are_cancelled_whatever_the_case_of_their_ids(db: Database) -> None:
    result = run(db, cancel(None, ids=("fpc367123",)))
    assert result == LicencesCancelled("SRV-1001", "svi", ("FPC367123",), TypeCount(0, 1))


def test_naming_the_same_licence_twice_cancels_it_once(db: Database) -> None:
    result = run(db, cancel("full", ids=("FPC367105", "fpc367105 ")))
    assert result.licence_ids == ("FPC367105",)
    assert result.remaining == TypeCount(active=5, subscribed=6)


def test_a_cancelled_licence_cannot_be_cancelled_again(db: Database) -> None:
    run(db, cancel("full", ids=("FPC367105",)))
    error = raises_and_changes_nothing(db, cancel("full", ids=("FPC367105",)), LicenceNotActive)
    assert error.licence_ids == ("FPC367105",)  # type: ignore[attr-defined]


def test_moving_licences_reports_the_address_emergency_services_will_receive(
    db: Database,
) -> None:
    moved = run(db, move(("FPC367128", "FPC367129"), "agence aix"))
    assert moved.preview.site.name == "Agence Aix"
    assert moved.preview.site.address == "5 cours Mirabeau, 13100 Aix-en-Provence"
    assert (moved.preview.warnings, moved.preview.already_there) == ((), ())
    sites = licence_sites(db)
    assert (sites["FPC367128"], sites["FPC367129"], sites["FPC367123"]) == (
        "Agence Aix",
        "Agence Aix",
        "Siège Social",
    )


def test_previewing_a_move_changes_nothing_and_tells_which_licences_are_already_there(
    db: Database,
) -> None:
    before = snapshot(db)
    cmd = ChangeLicenceSite("SRV-1001", ("FPC367105", "FPC367106"), "Siège Social")
    preview = run(db, lambda uow: services.preview_site_change(uow, ALPHA, cmd))
    assert preview.already_there == ("FPC367105", "FPC367106")
    assert snapshot(db) == before


def test_moving_a_04_number_to_a_new_paris_site_warns_without_blocking(db: Database) -> None:
    run(
        db,
        add_site(
            name="Agence Paris",
            street="1 rue de Rivoli",
            postal_code="75001",
            city="Paris",
            phone=None,
        ),
    )
    moved = run(db, move(("FPC367101", "FPC367105"), "Agence Paris"))
    assert moved.preview.warnings == (ZoneWarning("FPC367101", "+33491000001", 4, 1),)
    assert licence_sites(db)["FPC367101"] == "Agence Paris"


def test_adding_a_site_stores_it_normalised_for_the_client(db: Database) -> None:
    site = run(db, add_site(name=" Agence   Nice ", street=" 2 promenade des Anglais"))
    assert (site.name, site.phone) == ("Agence Nice", "+33493000002")
    assert site.address == "2 promenade des Anglais, 06000 Nice"
    client = run(db, lambda uow: services.client_details(uow, ALPHA, "CA-1001"))
    assert [s.name for s in client.sites] == ["Siège Social", "Agence Aix", "Agence Nice"]


def test_a_site_name_is_unique_per_client_only(db: Database) -> None:
    assert run(db, add_site(name="Atelier")).name == "Atelier"


def test_dissociating_a_number_leaves_it_in_the_offer_unassigned_and_the_licence_cancellable(
    db: Database,
) -> None:
    result = run(db, dissociate("0033491000001"))
    assert result == NumberDissociated("+33491000001", "FPC367101", "OFF-1001")
    with db.sessions() as session:
        number = session.scalars(select(Number).where(Number.e164 == "+33491000001")).one()
        assert (number.offer.ref, number.licence_id, number.state) == (
            "OFF-1001",
            None,
            "in_service",
        )
    after = details(db)
    assert "+33491000001" in after.numbers
    assert [lic.id for lic in after.cancellable("full")] == ["FPC367101", "FPC367105", "FPC367106"]
    assert run(db, cancel("full", ids=("FPC367101",))).licence_ids == ("FPC367101",)


def test_a_number_can_be_dissociated_by_naming_its_licence(db: Database) -> None:
    assert run(db, dissociate(licence_id="fpc367124")).number == "+33491000010"


def test_the_details_tab_shows_active_over_subscribed_counts_and_every_licence(
    db: Database,
) -> None:
    shown = details(db).as_json()
    assert (shown["ref"], shown["client"], shown["state"]) == ("SRV-1001", "Cabinet Azur", "Actif")
    assert shown["sites"] == ["Siège Social", "Agence Aix"]
    assert shown["counts"]["full"] == {"active": 6, "subscribed": 6}
    assert shown["counts"]["svi_avancee"] == {"active": 1, "subscribed": 1}
    assert shown["counts"]["simple"] == {"active": 0, "subscribed": 0}
    assert len(shown["licences"]) == 11
    assert shown["licences"][0] == {
        "id": "FPC367101",
        "type": "full",
        "state": "active",
        "site": "Siège Social",
        "sda": "+33491000001",
    }


def test_a_client_is_found_by_its_name_in_any_case_even_with_accented_capitals(
    db: Database,
) -> None:
    with db.sessions.begin() as session:
        session.add(Client(name="Étude Maître Ôde", account_ref="CA-1003", reseller_id=1))
    for typed in ("étude maître ôde", "ÉTUDE MAÎTRE ÔDE", "ca-1003"):
        client = run(db, lambda uow, t=typed: services.client_details(uow, ALPHA, t))
        assert client.account_ref == "CA-1003"


def test_the_services_of_a_client_are_listed_by_its_name(db: Database) -> None:
    listed = run(db, lambda uow: services.services_of(uow, ALPHA, "  garage DU port "))
    assert listed == [
        ServiceSummary("SRV-1002", "MetaCentrex Garage du Port", "Actif", "Garage du Port")
    ]
