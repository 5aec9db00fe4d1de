"""Résilier des licences — fiche « MetaCentrex – Résilier votre Starter Pack », onglet Détails."""

from __future__ import annotations

from typing import Any

from dialogs import commitment
from dialogs.procedures._portal import LOGIN, TO_THE_SERVICE
from dialogs.questions.base import Choice, Invalid, Question
from dialogs.questions.common import ClientQuestion, ServiceQuestion
from dialogs.spec import Ask, Branch, Outcome, Procedure, Step
from dialogs.turn import Turn
from dialogs.understanding import parse_licence_type, parse_quantity
from domain.catalog import LICENCE_TYPES
from domain.commands import CancelLicences
from domain.errors import InvalidField, LicencesHaveNumbers
from domain.services import cancel_licences, preview_cancellation
from domain.validation import whole_quantity
from domain.views import LicencesCancelled, LicenceView


class LicenceTypeQuestion(Question):
    """A licence type of the service that has active licences, with its counts."""

    prompt_key = "cancel_licences.ask.licence_type"

    def choices(self, turn: Turn) -> list[Choice]:
        details = turn.domain.service(turn.answers["service"])
        options = []
        for slug, count in details.counts.items():
            if count.active:
                free = len(details.cancellable(slug))
                label = turn.say(
                    "cancel_licences.type_choice",
                    label=LICENCE_TYPES[slug],
                    free=free,
                    active=count.active,
                    subscribed=count.subscribed,
                )
                options.append(Choice(slug, label))
        return options

    def parse(self, turn: Turn, text: str) -> Any:
        slug = parse_licence_type(text)
        return slug if slug is not None else super().parse(turn, text)

    def check(self, turn: Turn, value: Any) -> Any:
        value = super().check(turn, value)
        named = _named(turn)
        if named and {lic.type for lic in named} != {value}:  # another type chosen since
            turn.answers.pop("licences", None)
            turn.answers.pop("quantity", None)
            named = []
        # no cancellable licence of that type: the domain names the numbers in the way
        _preview(turn, value, len(named) or 1)
        return value


class QuantityQuestion(Question):
    """How many licences of the type: 1 to the number of active ones with no number."""

    prompt_key = "cancel_licences.ask.quantity"

    def _free(self, turn: Turn) -> int:
        details = turn.domain.service(turn.answers["service"])
        return len(details.cancellable(turn.answers["licence_type"]))

    def prompt(self, turn: Turn) -> str:
        return turn.say(
            self.prompt_key,
            label=LICENCE_TYPES[turn.answers["licence_type"]],
            free=self._free(turn),
        )

    def choices(self, turn: Turn) -> list[Choice]:
        return [Choice(n, str(n)) for n in range(1, min(self._free(turn), 8) + 1)]

    def parse(self, turn: Turn, text: str) -> Any:
        try:
            whole_quantity(text)
        except InvalidField:
            raise Invalid("cancel_licences.quantity_range", {"max": self._free(turn)}) from None
        quantity = parse_quantity(text)
        if quantity is None:
            raise Invalid("cancel_licences.quantity_expected", {"max": self._free(turn)})
        return quantity

    def check(self, turn: Turn, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise Invalid("cancel_licences.quantity_range", {"max": self._free(turn)})
        _preview(turn, turn.answers["licence_type"], value)
        return value


def _named(turn: Turn) -> list[LicenceView]:
    """The licences the user named by their id, as the service shows them now."""
    ids = turn.answers.get("licences") or []
    details = turn.domain.service(turn.answers["service"])
    return [lic for lic in details.licences if lic.id in ids]


def _preview(turn: Turn, licence_type: str, quantity: object) -> LicencesCancelled:
    """The licences named (when ``quantity`` is theirs), else ``quantity`` free ones of the type.

    A named licence that holds a number is refused by the domain with its number; the count of
    cancellable licences then shown is the type's, as in the Détails tab.
    """
    service = turn.answers["service"]
    named = tuple(turn.answers.get("licences") or ())
    if not (named and quantity == len(named)):
        return turn.domain.read(
            preview_cancellation, CancelLicences(service, licence_type, quantity)
        )
    try:
        return turn.domain.read(
            preview_cancellation, CancelLicences(service, licence_type, licence_ids=named)
        )
    except LicencesHaveNumbers as blocked:
        free = len(turn.domain.service(service).cancellable(licence_type))
        raise LicencesHaveNumbers(blocked.numbers_by_licence, free) from None


def summary(turn: Turn) -> str:
    a = turn.answers
    preview = _preview(turn, a["licence_type"], a["quantity"])
    details = turn.domain.service(a["service"])
    listed = [lic for i in preview.licence_ids for lic in details.licences if lic.id == i]
    commitment.bind(turn, details.ref, listed)
    return turn.say(
        "cancel_licences.summary",
        quantity=len(preview.licence_ids),
        label=LICENCE_TYPES[preview.licence_type],
        service=details.ref,
        client=details.client,
        ids=list(preview.licence_ids),
        active=preview.remaining.active,
    )


def perform(turn: Turn) -> Outcome:
    a = turn.answers
    cmd = CancelLicences(
        a["service"],
        a["licence_type"],
        licence_ids=commitment.ids(turn),
        expected=commitment.versions(turn),
    )
    done = turn.domain.change(cancel_licences, cmd)
    return Outcome(
        turn.say(
            "cancel_licences.done",
            ids=list(done.licence_ids),
            label=LICENCE_TYPES[done.licence_type],
            service=done.service_ref,
            active=done.remaining.active,
            subscribed=done.remaining.subscribed,
        ),
        record=turn.say("cancel_licences.record", ids=list(done.licence_ids)),
    )


PROCEDURE = Procedure(
    id="cancel_licences",
    menu=1,
    guide=(
        LOGIN,
        *TO_THE_SERVICE,
        Step(
            "details",
            branches=(Branch("whole_pack", call="cancel_starter_pack", call_mode="guide"),),
        ),
        Step("trash", branches=(Branch("icon_disabled", to="g_why_disabled"),)),
        Step("quantity"),
        Step("confirm"),
    ),
    guide_extra=(
        Step(
            "why_disabled",
            back_to="g_trash",
            branches=(Branch("dissociate_guide", call="dissociate_number", call_mode="guide"),),
        ),
    ),
    act=(
        Ask("client", ClientQuestion()),
        Ask("service", ServiceQuestion()),
        Ask("licence_type", LicenceTypeQuestion()),
        Ask("quantity", QuantityQuestion()),
    ),
    act_extra=(
        Step(
            "numbers_block",
            back_to="a_licence_type",
            branches=(
                Branch(
                    "dissociate_first",
                    call="dissociate_number",
                    call_mode="act",
                    give=("client", "service", "number"),  # a licence named: its number
                    resume="a_licence_type",
                    act_only=True,
                ),
                Branch("other_type", to="a_licence_type"),
            ),
        ),
    ),
    summary=summary,
    perform=perform,
    on_error={
        "licences_have_numbers": "a_numbers_block",
        "invalid_quantity": "a_quantity",
    },
)
