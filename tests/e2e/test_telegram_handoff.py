"""« Parler à un humain » in Telegram: the contact, and with the user's consent the conversation's
summary forwarded to the helpdesk's chat (through the outbox), and nothing without it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogs.handoff import configure_handoff, helpdesk_chat
from tests.e2e.conftest import ALPHA_TELEGRAM_ID, Telegram
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.people import Person

HELPDESK_CHAT = 7007


@pytest.fixture(autouse=True)
def helpdesk() -> Iterator[None]:
    """As ``openip-bot run`` does with the setting ``OPENIP_BOT_HELPDESK_CHAT``."""
    before = helpdesk_chat()
    configure_handoff(HELPDESK_CHAT)
    yield
    configure_handoff(before)


async def test_with_consent_the_summary_reaches_the_helpdesk_chat(
    telegram: Telegram, alpha: Person
) -> None:
    await telegram.say(alpha, "résilie 2 licences full chez Cabinet Azur")
    await telegram.say(alpha, "je voudrais parler à un conseiller")
    asked = alpha.keyboard()["text"]
    assert "01 84 78 78 80" in asked
    assert "commercial@openip.fr" in asked
    assert "transmette un résumé" in asked
    assert telegram.api.chat(HELPDESK_CHAT) == []  # nothing forwarded before the user agrees
    await telegram.press(alpha, "Oui, transmettre")

    forwarded = [m["text"] for m in telegram.api.chat(HELPDESK_CHAT)]
    assert len(forwarded) == 1
    assert "revendeur-alpha (reseller)" in forwarded[0]
    assert "« je voudrais parler à un conseiller »" in forwarded[0]
    assert "Résilier des licences" in forwarded[0]
    assert "client = CA-1001" in forwarded[0]
    told = alpha.texts()[-1]
    assert told.startswith("C'est noté : le résumé part au support OpenIP")
    assert "Confirmez-vous" in told  # the procedure under way goes on, its answers kept


async def test_without_consent_nothing_is_forwarded(telegram: Telegram, alpha: Person) -> None:
    await telegram.say(alpha, "je veux parler à un humain")
    await telegram.press(alpha, "Non merci")
    assert telegram.api.chat(HELPDESK_CHAT) == []
    assert alpha.texts()[-1].startswith("D'accord, je ne transmets rien.")


async def test_in_english_the_summary_reaches_the_helpdesk_chat_with_consent(
    telegram: Telegram, api: FakeBotApi
) -> None:
    anne = Person(api, ALPHA_TELEGRAM_ID, "Anne", language_code="en")
    await telegram.say(anne, "cancel 2 full licences at Cabinet Azur")
    await telegram.say(anne, "I'd like to talk to a real person")
    asked = anne.keyboard()["text"]
    assert asked.startswith("To talk to someone at OpenIP: +33 1 84 78 78 80")
    assert "forward a summary of our conversation" in asked
    assert telegram.api.chat(HELPDESK_CHAT) == []
    await telegram.press(anne, "Yes, forward it")

    forwarded = [m["text"] for m in telegram.api.chat(HELPDESK_CHAT)]
    assert len(forwarded) == 1
    assert forwarded[0].startswith("Request to talk to a person (MetaCentrex assistant)")
    assert "revendeur-alpha (reseller)" in forwarded[0]
    assert "“I'd like to talk to a real person”" in forwarded[0]
    assert "Procedure “Cancel licences”" in forwarded[0]
    told = anne.texts()[-1]
    assert told.startswith("Done: the summary is on its way to OpenIP's support on Telegram.")
    assert "Do you confirm" in told  # the procedure under way goes on, its answers kept
