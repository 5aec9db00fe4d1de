"""Act mode through the real Telegram stack: what a user confirms is exactly what happens."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.database import Database
from domain.access import OPERATOR
from domain.model import Licence, LicenceState
from domain.services.users import link_telegram
from tests import helpers
from tests.e2e.conftest import ALPHA_TELEGRAM_ID, Clock, Telegram, start_bot, stop_bot
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.people import Person

OPERATOR_TELEGRAM_ID = 1002
CANCEL_ONE = "résilie 1 licence full chez Cabinet Azur"


@pytest.fixture
async def both(api: FakeBotApi, db: Database, clock: Clock) -> AsyncIterator[Telegram]:
    """The bot on SQLite and on PostgreSQL, with alpha and the operator linked."""
    with db.uow() as uow:
        link_telegram(uow, OPERATOR, "revendeur-alpha", ALPHA_TELEGRAM_ID)
        link_telegram(uow, OPERATOR, "operateur", OPERATOR_TELEGRAM_ID)
    bot = await start_bot(api, db, clock)
    yield bot
    await stop_bot(bot)


def _state(db: Database, licence_id: str) -> str:
    with db.sessions() as session:
        licence = session.get(Licence, licence_id)
        assert licence is not None
        return str(licence.state)


async def _to_summary(telegram: Telegram, person: Person) -> None:
    await telegram.say(person, CANCEL_ONE)
    if "Le faire pour moi" in person.labels()[-3:]:
        await telegram.press(person, "Le faire pour moi")
    assert "FPC367106" in person.keyboard()["text"]


async def _both_at_the_summary(telegram: Telegram, alpha: Person) -> Person:
    """Alpha and the operator, each before a summary listing FPC367106; the operator returned."""
    operator = Person(telegram.api, OPERATOR_TELEGRAM_ID, "Opé")
    await _to_summary(telegram, alpha)
    await _to_summary(telegram, operator)
    return operator


async def test_the_second_of_two_people_confirming_the_same_licence_gets_nothing_else_done(
    both: Telegram, alpha: Person
) -> None:
    telegram = both
    operator = await _both_at_the_summary(telegram, alpha)
    alphas_summary = alpha.keyboard()

    await telegram.press(operator, "Confirmer")
    await telegram.press(alpha, "Confirmer")

    told = alpha.keyboard()["text"]
    assert "C'est fait" not in "\n".join(alpha.texts())
    assert "rien n'a été fait" in told
    assert "FPC367106 a été résiliée" in told
    assert "FPC367105" in told  # the fresh summary, with a live Confirmer
    assert _state(telegram.db, "FPC367105") == LicenceState.ACTIVE
    assert len(helpers.audit_entries(telegram.db, "cancel_licences")) == 1

    await telegram.send(alpha.press("Confirmer", alphas_summary))  # the summary seen first
    assert _state(telegram.db, "FPC367105") == LicenceState.ACTIVE
    assert "expiré" in "\n".join(alpha.texts()[-2:])


async def test_two_people_pressing_confirmer_in_the_same_batch_cancel_the_licence_once(
    both: Telegram, alpha: Person
) -> None:
    telegram = both
    operator = await _both_at_the_summary(telegram, alpha)

    await telegram.send(alpha.press("Confirmer"), operator.press("Confirmer"))

    endings = [person.keyboard()["text"] for person in (alpha, operator)]
    everything = "\n".join(alpha.texts() + operator.texts())
    assert "inattendue" not in everything
    assert sum("C'est fait : FPC367106" in "\n".join(p.texts()) for p in (alpha, operator)) == 1
    assert any("rien n'a été fait" in text for text in endings), endings
    assert _state(telegram.db, "FPC367106") == LicenceState.CANCELLED
    assert _state(telegram.db, "FPC367105") == LicenceState.ACTIVE
    assert len(helpers.audit_entries(telegram.db, "cancel_licences")) == 1
