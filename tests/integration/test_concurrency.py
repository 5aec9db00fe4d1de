"""Rule 8: two real concurrent sessions on the same objects cannot both succeed.

On PostgreSQL both sessions read before either writes, so the loser's write finds a newer version
(or the same unique key) and gets a :class:`Conflict`. On SQLite ``BEGIN IMMEDIATE`` serialises
them, so the loser reads the winner's commit and gets the rule's own error. Either way exactly one
succeeds, the loser gets a typed domain error, and nothing of the loser is written.
"""

from __future__ import annotations

from bot.database import Database
from domain import services
from domain.errors import (
    Conflict,
    DomainError,
    DuplicateSite,
    LicenceNotActive,
    LicencesHaveNumbers,
    NumberNotAssociated,
    OrderNotAwaitingSignature,
    ServiceNotActive,
)
from domain.model import AuditEntry, Licence, LicenceState, Number, Order, Site
from domain.persistence.uow import UnitOfWork
from domain.views import OrderView
from tests.conftest import OPERATOR_ACTOR
from tests.helpers import (
    add_site,
    audit_entries,
    cancel,
    count,
    details,
    dissociate,
    pack,
    race,
    run,
    winner_and_loser,
)

GARAGE = "accueil@garage-du-port.example"


def expected_loss(db: Database, rule_error: type[DomainError]) -> type[DomainError]:
    """What the loser raises: a conflict when it read before the winner wrote, else the rule."""
    return Conflict if db.engine.dialect.name == "postgresql" else rule_error


def cancelled_ids(db: Database) -> set[str]:
    return {lic.id for lic in details(db).licences if lic.state == "cancelled"}


def test_two_cancellations_of_the_same_free_licences_cannot_both_succeed(db: Database) -> None:
    won, lost = winner_and_loser(race(db, cancel("full", 2), cancel("full", 2)))
    assert isinstance(lost, expected_loss(db, LicencesHaveNumbers))
    assert won.licence_ids == ("FPC367106", "FPC367105")
    assert cancelled_ids(db) == {"FPC367105", "FPC367106"}
    assert len(audit_entries(db, "cancel_licences")) == 1


def test_overlapping_named_cancellations_leave_nothing_of_the_loser(db: Database) -> None:
    outcomes = race(db, cancel(ids=("FPC367105",)), cancel(ids=("FPC367105", "FPC367106")))
    won, lost = winner_and_loser(outcomes)
    assert isinstance(lost, expected_loss(db, LicenceNotActive))
    assert cancelled_ids(db) == set(won.licence_ids)
    [entry] = audit_entries(db)
    assert entry.objects == ["SRV-1001", *won.licence_ids]


def test_two_dissociations_of_the_same_number_cannot_both_succeed(db: Database) -> None:
    outcomes = race(db, dissociate("04 91 00 00 01"), dissociate(licence_id="FPC367101"))
    won, lost = winner_and_loser(outcomes)
    assert isinstance(lost, expected_loss(db, NumberNotAssociated))
    assert (won.number, won.licence_id) == ("+33491000001", "FPC367101")
    assert count(db, Number, Number.licence_id.is_(None)) == 2  # with +33491000102
    assert count(db, AuditEntry) == 1


def test_the_same_site_name_added_twice_at_once_is_created_once(db: Database) -> None:
    won, lost = winner_and_loser(race(db, add_site(), add_site(name="agence NICE")))
    assert isinstance(lost, DuplicateSite)
    assert lost.client == "Cabinet Azur"
    assert count(db, Site, Site.name_key == "agence nice") == 1
    assert count(db, Site) == 5
    [entry] = audit_entries(db)
    assert entry.after["site"] == won.name


def test_two_starter_pack_orders_for_the_same_offer_cannot_both_be_placed(db: Database) -> None:
    operator = pack("SRV-1002", GARAGE, actor=OPERATOR_ACTOR)
    won, lost = winner_and_loser(race(db, pack("SRV-1002", GARAGE), operator))
    assert isinstance(lost, expected_loss(db, ServiceNotActive))
    assert count(db, Order) == 1
    assert count(db, AuditEntry) == 1
    assert details(db, "SRV-1002").state == ("Résilié" if won.final else "Résiliation en cours")


def test_a_client_signature_recorded_twice_at_once_validates_the_order_once(
    db: Database,
) -> None:
    order = run(db, pack("SRV-1002", GARAGE))

    def sign(uow: UnitOfWork) -> OrderView:
        return services.record_client_signature(uow, OPERATOR_ACTOR, order.ref)

    won, lost = winner_and_loser(race(db, sign, sign))
    assert isinstance(lost, expected_loss(db, OrderNotAwaitingSignature))
    assert won.final
    assert len(audit_entries(db, "record_client_signature")) == 1
    assert details(db, "SRV-1002").state == "Résilié"


def test_a_starter_pack_order_and_a_licence_cancellation_on_the_same_licence_exclude_each_other(
    db: Database,
) -> None:
    order = pack("SRV-1002", GARAGE, actor=OPERATOR_ACTOR)
    one = cancel(ids=("FPC367202",), service_ref="SRV-1002")
    won, lost = winner_and_loser(race(db, order, one))
    assert isinstance(lost, expected_loss(db, ServiceNotActive))
    [entry] = audit_entries(db)
    garage = details(db, "SRV-1002")
    if entry.action == "cancel_starter_pack":
        assert garage.state == "Résilié"
        assert count(db, Licence, Licence.state == LicenceState.CANCELLED) == 3
    else:
        assert garage.state == "Actif"
        assert [lic.id for lic in garage.licences if lic.state == "cancelled"] == ["FPC367202"]
    assert count(db, Order) == (1 if entry.action == "cancel_starter_pack" else 0)
    assert won is not None


def test_concurrent_changes_of_different_objects_both_succeed(db: Database) -> None:
    outcomes = race(db, cancel("svi", 1), add_site())
    assert [o.error for o in outcomes] == [None, None]
    assert cancelled_ids(db) == {"FPC367123"}
    assert count(db, Site) == 5
    assert len(audit_entries(db)) == 2
