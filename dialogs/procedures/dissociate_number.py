"""Dissocier un numéro (SDA) d'une licence — fiche « Dissocier un numéro », absente des sources.

The guide follows the portal screens the two fiches show (« Paramétrer » › « Utilisateurs » ›
« Actions » › « Personnaliser vos licences »); its first step says so.
"""

from __future__ import annotations

import re
from typing import Any

from dialogs import commitment
from dialogs.procedures._portal import LOGIN, TO_THE_SERVICE
from dialogs.questions.base import Choice, Invalid, Question
from dialogs.questions.common import ClientQuestion, ServiceQuestion
from dialogs.spec import Ask, Branch, Outcome, Procedure, Step
from dialogs.turn import Turn
from domain.catalog import LICENCE_TYPES
from domain.commands import DissociateNumber
from domain.errors import InvalidPhoneNumber, NumberNotAssociated
from domain.model import LicenceState
from domain.phone import national_format, to_e164
from domain.services import dissociate_number
from domain.views import LicenceView

_LICENCE_ID = re.compile(r"fpc\s*\d+", re.IGNORECASE)


def _numbered(turn: Turn) -> list[LicenceView]:
    """The service's active licences that carry a number, as the « Utilisateurs » tab lists them."""
    details = turn.domain.service(turn.answers["service"])
    return [
        lic for lic in details.licences if lic.state == LicenceState.ACTIVE and lic.sda is not None
    ]


def _licence_of(turn: Turn, number: str) -> LicenceView:
    """The licence carrying the number; if it lost it meanwhile, the domain's error says so."""
    found = next((lic for lic in _numbered(turn) if lic.sda == number), None)
    if found is None:
        raise NumberNotAssociated(number)  # routed back to the question (``on_error``)
    return found


class NumberQuestion(Question):
    """The number to dissociate: stored in E.164, chosen by its licence or typed in any form."""

    prompt_key = "dissociate_number.ask.number"
    auto_single = False  # a change: the user always sees which licence loses its number

    def prompt(self, turn: Turn) -> str:
        if not _numbered(turn):
            return turn.say("dissociate_number.ask.none", service=turn.answers["service"])
        return turn.say(self.prompt_key)

    def choices(self, turn: Turn) -> list[Choice]:
        options = []
        for lic in _numbered(turn):
            number = lic.sda or ""
            label = turn.say(
                "dissociate_number.choice",
                id=lic.id,
                label=LICENCE_TYPES[lic.type],
                number=national_format(number),
            )
            options.append(Choice(number, label))
        return options

    def parse(self, turn: Turn, text: str) -> Any:
        for choice in self.choices(turn):
            if text.strip().casefold() == choice.label.casefold():
                return choice.value
        found = _LICENCE_ID.search(text)
        if found:
            return found.group().replace(" ", "").upper()
        if not any(c.isdigit() for c in text):
            raise Invalid("dissociate_number.number_expected")
        try:
            return to_e164(text)
        except InvalidPhoneNumber:
            raise Invalid("dissociate_number.invalid_number", {"value": text.strip()}) from None

    def check(self, turn: Turn, value: Any) -> Any:
        text = str(value).strip()
        if _LICENCE_ID.fullmatch(text):
            return self._by_licence(turn, text.replace(" ", "").upper())
        number = to_e164(text)  # InvalidPhoneNumber: the engine explains it, same question
        if any(lic.sda == number for lic in _numbered(turn)):
            return number
        details = turn.domain.service(turn.answers["service"])
        key = "not_associated" if number in details.numbers else "not_on_service"
        raise Invalid(
            f"dissociate_number.{key}", {"number": national_format(number), "service": details.ref}
        )

    def _by_licence(self, turn: Turn, licence_id: str) -> str:
        details = turn.domain.service(turn.answers["service"])
        licence = next((lic for lic in details.licences if lic.id == licence_id), None)
        if licence is None:
            raise Invalid(
                "dissociate_number.unknown_licence", {"id": licence_id, "service": details.ref}
            )
        if licence.state != LicenceState.ACTIVE:
            raise Invalid("dissociate_number.licence_not_active", {"id": licence_id})
        if licence.sda is None:
            raise Invalid("dissociate_number.licence_without_number", {"id": licence_id})
        return licence.sda


def summary(turn: Turn) -> str:
    details = turn.domain.service(turn.answers["service"])
    licence = _licence_of(turn, turn.answers["number"])
    commitment.bind(turn, details.ref, [licence], {"number": turn.answers["number"]})
    return turn.say(
        "dissociate_number.summary",
        client=details.client,
        service=details.ref,
        number=national_format(turn.answers["number"]),
        id=licence.id,
        label=LICENCE_TYPES[licence.type],
        site=licence.site,
        offer=details.offer_ref or "-",
    )


def perform(turn: Turn) -> Outcome:
    cmd = DissociateNumber(
        number=commitment.extra(turn)["number"], expected=commitment.versions(turn)
    )
    done = turn.domain.change(dissociate_number, cmd)
    text = turn.say(
        "dissociate_number.done",
        number=national_format(done.number),
        id=done.licence_id,
        offer=done.offer_ref,
    )
    record = turn.say(
        "dissociate_number.record", number=national_format(done.number), id=done.licence_id
    )
    return Outcome(text, {"dissociated_licence": done.licence_id}, record)


PROCEDURE = Procedure(
    id="dissociate_number",
    menu=4,
    guide=(
        LOGIN,
        *TO_THE_SERVICE,
        Step("utilisateurs"),
        Step("filter_sda", branches=(Branch("no_licence", to="g_no_licence"),)),
        Step("select"),
        Step("actions"),
        Step("parameter"),
        Step("validate"),
    ),
    guide_extra=(Step("no_licence", back_to="g_filter_sda"),),
    act=(
        Ask("client", ClientQuestion()),
        Ask("service", ServiceQuestion()),
        Ask("number", NumberQuestion()),
    ),
    summary=summary,
    perform=perform,
    on_error={"number_not_associated": "a_number"},
)
