from bot.database import Database
from domain import services
from tests.conftest import OPERATOR_ACTOR


def test_the_demo_database_shows_cabinet_azur_service(db: Database) -> None:
    with db.uow() as uow:
        details = services.service_details(uow, OPERATOR_ACTOR, "SRV-1001")
    assert details.client == "Cabinet Azur"
    assert details.counts["full"].active == 6
