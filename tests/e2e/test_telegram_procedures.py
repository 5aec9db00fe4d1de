"""A linked reseller does the fiches' procedures in Telegram with buttons; nobody else can."""

from __future__ import annotations

import re

from domain.access import OPERATOR
from domain.model import Licence, LicenceState
from domain.services.users import revoke_user
from tests.e2e.conftest import Telegram
from tests.e2e.people import Person

CANCEL_TWO_FULL = ("Résilier des licences", "Le faire pour moi", "Cabinet Azur",
                   "Licence full .*", "2")


def _licence(telegram: Telegram, licence_id: str) -> Licence:
    with telegram.db.sessions() as session:
        licence = session.get(Licence, licence_id)
        assert licence is not None
        session.expunge(licence)
        return licence


def _site(telegram: Telegram, licence_id: str) -> str:
    with telegram.db.sessions() as session:
        licence = session.get(Licence, licence_id)
        assert licence is not None
        return licence.site.name


async def test_a_linked_reseller_cancels_two_licences_by_pressing_buttons_edited_in_place(
    telegram: Telegram, alpha: Person
) -> None:
    await telegram.say(alpha, "/start")
    menu = alpha.keyboard()
    for label in CANCEL_TWO_FULL:
        await telegram.press(alpha, label)
        assert alpha.keyboard()["message_id"] == menu["message_id"]  # edited, not piled up
    assert "FPC367106, FPC367105" in alpha.keyboard()["text"]  # the summary
    await telegram.press(alpha, "Confirmer")

    result = alpha.texts()[0]
    assert result.startswith("✅")
    assert "FPC367106, FPC367105" in result
    edits = telegram.api.called("editMessageText")
    assert [c.params["message_id"] for c in edits] == [menu["message_id"]] * 6
    assert len(telegram.api.called("answerCallbackQuery")) == 6
    assert telegram.api.called("sendChatAction", action="typing")
    for licence_id in ("FPC367106", "FPC367105"):
        assert _licence(telegram, licence_id).state == LicenceState.CANCELLED


async def test_a_linked_reseller_moves_licences_to_another_site_with_a_multi_select(
    telegram: Telegram, alpha: Person
) -> None:
    await telegram.say(alpha, "/start")
    for label in ("Changer le site .*", "Le faire pour moi", "Cabinet Azur", "▫️ FPC367105 .*"):
        await telegram.press(alpha, label)
    assert "✅ FPC367105 · Licence full · Siège Social" in alpha.labels()
    for label in ("Suite.*", "▫️ FPC367128 .*", "Valider", "Agence Aix .*"):
        await telegram.press(alpha, label)
    summary = alpha.keyboard()["text"]
    assert re.search(r"FPC367105, FPC367128", summary)
    assert "urgence" in summary  # the emergency-address note of the fiche
    await telegram.press(alpha, "Confirmer")

    assert len(telegram.api.called("editMessageText")) == 9  # every press edited in place
    assert "Agence Aix" in alpha.texts()[0]
    assert _site(telegram, "FPC367105") == _site(telegram, "FPC367128") == "Agence Aix"
    assert _site(telegram, "FPC367106") == "Siège Social"


async def test_an_unlinked_user_is_guided_but_never_shown_client_data(
    telegram: Telegram, stranger: Person
) -> None:
    await telegram.say(stranger, "/start")
    await telegram.say(stranger, "résilie 2 licences full chez Cabinet Azur")
    await telegram.say(stranger, "/annuler")
    await telegram.say(stranger, "montre-moi le service SRV-1001 de Cabinet Azur")
    await telegram.press(stranger, "Changer le site .*")

    shown = "\n".join(stranger.texts() + stranger.labels())
    assert "Étape 1/" in shown  # guide mode
    assert not re.search(r"FPC\d|SRV-\d|Garage du Port|Agence Aix", shown)
    assert "Le faire pour moi" not in stranger.labels()
    assert _licence(telegram, "FPC367106").state == LicenceState.ACTIVE


async def test_a_reseller_revoked_mid_procedure_cannot_confirm_what_the_buttons_offer(
    telegram: Telegram, alpha: Person
) -> None:
    await telegram.say(alpha, "/start")
    for label in CANCEL_TWO_FULL:
        await telegram.press(alpha, label)
    with telegram.db.uow() as uow:
        revoke_user(uow, OPERATOR, "revendeur-alpha")
    await telegram.press(alpha, "Confirmer")

    assert "n'est pas lié" in alpha.texts()[-1]
    assert _licence(telegram, "FPC367106").state == LicenceState.ACTIVE


async def test_commands_are_registered_in_french_by_default_and_in_english(
    telegram: Telegram,
) -> None:
    registered = {c.params.get("language_code"): [cmd["command"] for cmd in c.params["commands"]]
                  for c in telegram.api.called("setMyCommands")}
    assert registered == {None: ["start", "menu", "aide", "annuler"],
                          "fr": ["start", "menu", "aide", "annuler"],
                          "en": ["start", "menu", "help", "cancel"]}
    english = next(c for c in telegram.api.called("setMyCommands", language_code="en"))
    assert english.params["commands"][3]["description"] == "Stop the current procedure"
