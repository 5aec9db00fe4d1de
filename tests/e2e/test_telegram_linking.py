"""Deep-link invitations: ``/start TOKEN`` links a Telegram account once, within 15 minutes."""

from __future__ import annotations

from domain.access import OPERATOR
from domain.services.users import invite_user
from tests.e2e.conftest import Telegram
from tests.e2e.people import Person


def _invite(telegram: Telegram, handle: str) -> str:
    with telegram.db.uow() as uow:
        return invite_user(uow, OPERATOR, handle, telegram.clock()).token


def _linked_handle(telegram: Telegram, person: Person) -> str | None:
    from bot.telegram.identity import identify

    return identify(telegram.db.sessions, person.telegram_id, None).handle


async def test_an_invitation_link_links_the_telegram_account_and_shows_the_full_menu(
    telegram: Telegram,
) -> None:
    beta = Person(telegram.api, 2002, "Beta")
    token = _invite(telegram, "revendeur-beta")
    telegram.clock.advance(14)
    await telegram.say(beta, f"/start {token}")

    assert "lié à l'utilisateur « revendeur-beta »" in beta.texts()[0]
    assert _linked_handle(telegram, beta) == "revendeur-beta"
    await telegram.press(beta, "Résilier des licences")
    assert "Le faire pour moi" in beta.labels()  # act mode is offered to a linked reseller


async def test_an_invitation_works_once_and_not_a_second_time(telegram: Telegram) -> None:
    beta, intruder = Person(telegram.api, 2002, "Beta"), Person(telegram.api, 2003, "Eve")
    token = _invite(telegram, "revendeur-beta")
    await telegram.say(beta, f"/start {token}")
    await telegram.say(intruder, f"/start {token}")

    assert "n'est pas valable" in intruder.texts()[0]
    assert _linked_handle(telegram, intruder) is None
    assert _linked_handle(telegram, beta) == "revendeur-beta"


async def test_an_invitation_links_nothing_after_fifteen_minutes(telegram: Telegram) -> None:
    beta = Person(telegram.api, 2002, "Beta")
    token = _invite(telegram, "revendeur-beta")
    telegram.clock.advance(15)
    await telegram.say(beta, f"/start {token}")

    assert "n'est pas valable" in beta.texts()[0]
    assert _linked_handle(telegram, beta) is None


async def test_a_forged_token_links_nothing_and_the_user_still_gets_the_guide_menu(
    telegram: Telegram,
) -> None:
    eve = Person(telegram.api, 2003, "Eve", language_code="en")
    await telegram.say(eve, "/start not-a-real-token")

    refusal, welcome = eve.texts()
    assert "not valid" in refusal
    assert welcome.startswith("Hello")
    assert eve.labels()
    assert _linked_handle(telegram, eve) is None
