"""Ajouter un site à un client — fiche « Ajouter un site » (absente de nos sources).

The guide relies on what the fiche « Changer l'adresse d'une licence » shows of the company page.
When called by another procedure, the created site's name is handed back as ``site_created``.
"""

from __future__ import annotations

from typing import Any

from dialogs.questions.common import ClientQuestion
from dialogs.questions.site_fields import (
    PhoneQuestion,
    PostalCodeQuestion,
    RequiredTextQuestion,
    StreetQuestion,
)
from dialogs.spec import Ask, Branch, Outcome, Procedure, Step
from dialogs.turn import Turn
from domain.commands import AddSite
from domain.phone import national_format
from domain.services import add_site, check_site_name
from domain.validation import SiteFields
from domain.views import ClientView


def _client(turn: Turn) -> ClientView:
    return turn.domain.client(turn.answers["client"])


class SiteNameQuestion(RequiredTextQuestion):
    """The new site's name; the prompt lists the client's sites (the domain refuses a twin)."""

    def __init__(self) -> None:
        super().__init__("add_site.ask.name", "name")

    def prompt(self, turn: Turn) -> str:
        existing = ", ".join(s.name for s in _client(turn).sites) or "—"
        return turn.say(self.prompt_key, client=_client(turn).name, existing=existing)

    def check(self, turn: Turn, value: Any) -> Any:
        return turn.domain.read(check_site_name, turn.answers["client"], value)


def _fields(answers: dict[str, Any]) -> SiteFields:
    return SiteFields(
        answers["name"],
        answers["street"],
        answers["postal_code"],
        answers["city"],
        answers.get("phone"),
    )


def _phone(turn: Turn, phone: str | None) -> str:
    return national_format(phone) if phone else turn.say("add_site.no_phone")


def summary(turn: Turn) -> str:
    fields = _fields(turn.answers)
    return turn.say(
        "add_site.summary",
        client=_client(turn).name,
        name=fields.name,
        street=fields.street,
        postal_code=fields.postal_code,
        city=fields.city,
        phone=_phone(turn, fields.phone),
    )


def perform(turn: Turn) -> Outcome:
    client = _client(turn)
    site = turn.domain.change(add_site, AddSite(client.account_ref, _fields(turn.answers)))
    text = turn.say(
        "add_site.done",
        name=site.name,
        address=site.address,
        client=client.name,
        phone=_phone(turn, site.phone),
    )
    record = turn.say("add_site.record", name=site.name, client=client.name)
    return Outcome(text, answers={"site_created": site.name}, record=record)


PROCEDURE = Procedure(
    id="add_site",
    menu=5,
    guide=(
        Step("sources"),
        Step("company_page"),
        Step("sites_table", branches=(Branch("already_listed", to="g_already_listed"),)),
        Step("new_site"),
        Step("fields"),
        Step("save"),
    ),
    guide_extra=(Step("already_listed", back_to="g_sites_table"),),
    act=(
        Ask("client", ClientQuestion()),
        Ask("name", SiteNameQuestion()),
        Ask("street", StreetQuestion("add_site.ask.street")),
        Ask("postal_code", PostalCodeQuestion("add_site.ask.postal_code")),
        Ask("city", RequiredTextQuestion("add_site.ask.city", "city")),
        Ask("phone", PhoneQuestion("add_site.ask.phone")),
    ),
    summary=summary,
    perform=perform,
    on_error={"duplicate_site": "a_name"},
)
