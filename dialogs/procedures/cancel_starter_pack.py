"""Résilier tout un Starter Pack — fiche « MetaCentrex – Résilier votre Starter Pack », Catalogue.

Act mode: the quote comes from the domain's preview, which also refuses an offer holding other
products (routed to an information step). The contact is an existing one, or a new one whose
fields are checked by ``domain.validation``; the new contact's questions are skipped (answered
``None``, as a single choice) when an existing contact is chosen, and « Précédent » walks past them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dialogs import commitment
from dialogs.order_settings import order_settings
from dialogs.questions.base import Choice, Question
from dialogs.questions.common import ClientQuestion, ServiceQuestion
from dialogs.spec import Ask, Branch, Outcome, Procedure, Step
from dialogs.turn import Turn
from domain.access import Actor
from domain.commands import CancelStarterPack
from domain.errors import ListedChanged
from domain.model import LicenceState
from domain.persistence.uow import UnitOfWork
from domain.phone import national_format
from domain.queries import get_licences
from domain.rules import check_versions
from domain.services import cancel_starter_pack, preview_starter_pack_cancellation
from domain.validation import ContactFields, clean_contact, email, required_text
from domain.views import ContactView, OrderView, QuoteLine, QuotePreview

P = "cancel_starter_pack"
NEW = "new"


def _quote(turn: Turn) -> QuotePreview:
    service = turn.answers["service"]
    return turn.domain.cached(
        f"quote:{service}", lambda: turn.domain.read(preview_starter_pack_cancellation, service)
    )


class StarterPackClientQuestion(ClientQuestion):
    """The client; choosing another one forgets the service chosen for the previous one."""

    def check(self, turn: Turn, value: Any) -> Any:
        client = super().check(turn, value)
        if turn.answers.get("client") != client:
            turn.answers.pop("service", None)
        return client


class ContactQuestion(Question):
    """A contact of the client for the order, or « Nouveau contact »."""

    prompt_key = f"{P}.ask.contact"
    auto_single = False

    def prompt(self, turn: Turn) -> str:
        quote = _quote(turn)
        return turn.say(self.prompt_key, client=quote.client, service=quote.service_ref)

    def choices(self, turn: Turn) -> list[Choice]:
        options = [
            Choice(c.id, turn.say(f"{P}.contact_choice", name=c.name, email=c.email))
            for c in _quote(turn).contacts
        ]  # the preview refuses a mixed offer here
        return [*options, Choice(NEW, turn.say(f"{P}.new_contact"))]

    def parse(self, turn: Turn, text: str) -> Any:
        typed = text.strip().casefold()
        for contact in _quote(turn).contacts:
            if typed in (contact.name.casefold(), contact.email.casefold()):
                return contact.id
        return super().parse(turn, text)


class NewContactQuestion(Question):
    """One field of the new contact, typed and checked by the domain's validation."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.prompt_key = f"{P}.ask.contact_{field}"

    def prompt(self, turn: Turn) -> str:
        return turn.say(self.prompt_key, name=turn.answers.get("contact_name") or "")

    def choices(self, turn: Turn) -> list[Choice]:
        return [] if turn.answers.get("contact") == NEW else [Choice(None, "—")]

    def parse(self, turn: Turn, text: str) -> Any:
        return text

    def check(self, turn: Turn, value: Any) -> Any:
        if turn.answers.get("contact") != NEW:
            return None
        if self.field == "name":
            return required_text("name", value)
        if self.field == "email":
            return email(value)
        a = turn.answers
        return clean_contact(ContactFields(a["contact_name"], a["contact_email"], str(value))).phone


def _contact(turn: Turn) -> ContactView:
    a = turn.answers
    if a["contact"] == NEW:
        return ContactView(0, a["contact_name"], a["contact_email"], a["contact_phone"])
    return next(c for c in _quote(turn).contacts if c.id == a["contact"])


def _refs(lines: Iterable[QuoteLine], kind: str) -> list[str]:
    return [national_format(q.ref) if kind == "number" else q.ref for q in lines if q.kind == kind]


def summary(turn: Turn) -> str:
    quote, contact = _quote(turn), _contact(turn)
    line = f"{P}.contact_line_new" if turn.answers["contact"] == NEW else f"{P}.contact_line"
    described = turn.say(
        line, name=contact.name, email=contact.email, phone=national_format(contact.phone)
    )
    listed = [
        lic
        for lic in turn.domain.service(quote.service_ref).licences
        if lic.state == LicenceState.ACTIVE
    ]
    commitment.bind(turn, quote.service_ref, listed, {"lines": _lines(quote.lines)})
    effect = turn.say_for_role(
        f"{P}.effect",
        name=contact.name,
        email=contact.email,
        service=quote.service_ref,
    )
    return turn.say(
        f"{P}.summary",
        offer=quote.offer_ref,
        service=quote.service_ref,
        client=quote.client,
        sheets=_refs(quote.lines, "product_sheet"),
        numbers=_refs(quote.lines, "number"),
        licences=_refs(quote.lines, "licence"),
        contact=described,
        effect=effect,
    )


def _lines(lines: Iterable[QuoteLine]) -> list[str]:
    return [f"{q.kind}:{q.ref}" for q in lines]


def _as_quoted(
    uow: UnitOfWork,
    actor: Actor,
    cmd: CancelStarterPack,
    lines: list[str],
    expected: tuple[tuple[str, int], ...],
) -> OrderView:
    """The order of exactly the quote shown (same lines, licences unchanged), or nothing."""
    quote = preview_starter_pack_cancellation(uow, actor, cmd.service_ref)
    licences = get_licences(uow.session, actor, [i for i, _ in expected])
    check_versions(licences, expected)
    if _lines(quote.lines) != lines:
        raise ListedChanged((quote.offer_ref,))
    return cancel_starter_pack(uow, actor, cmd)


def perform(turn: Turn) -> Outcome:
    a = turn.answers
    mail = order_settings().mail
    if a["contact"] == NEW:
        new = ContactFields(a["contact_name"], a["contact_email"], a["contact_phone"])
        cmd = CancelStarterPack(a["service"], new_contact=new, request_by_email=mail)
    else:
        cmd = CancelStarterPack(a["service"], contact_id=int(a["contact"]), request_by_email=mail)
    order = turn.domain.change(
        _as_quoted, cmd, commitment.extra(turn)["lines"], commitment.versions(turn)
    )
    state = turn.domain.service(order.service_ref).state
    how = "" if order.final else f"_{order.request_channel}"  # never claims what was not sent
    return Outcome(
        turn.say(
            f"{P}.done_{order.status}{how}",
            order=order.ref,
            offer=order.offer_ref,
            service=order.service_ref,
            state=state,
            contact=order.contact.name,
            notified_to=order.notified_to or "—",
            numbers=_refs(order.lines, "number"),
            licences=_refs(order.lines, "licence"),
        ),
        record=turn.say(f"{P}.record", order=order.ref, offer=order.offer_ref),
    )


PROCEDURE = Procedure(
    id=P,
    menu=2,
    guide=(
        Step("login", branches=(Branch("has_other_products", to="g_not_only_pack"),)),
        Step("catalogue"),
        Step("offres"),
        Step("search"),
        Step("detail"),
        Step("fiche_produit"),
        Step("uncheck"),
        Step("finalise"),
        Step("contacts", branches=(Branch("contact_missing", to="g_new_contact"),)),
        Step("poursuivre"),
        Step("quote"),
        Step("validate"),  # texts per role: validate_reseller, validate_operator
    ),
    guide_extra=(
        Step(
            "not_only_pack",
            back_to="g_login",
            branches=(Branch("licences_guide", call="cancel_licences", call_mode="guide"),),
        ),
        Step(
            "new_contact",
            back_to="g_contacts",
            branches=(Branch("contact_created", to="g_poursuivre"),),
        ),
    ),
    act=(
        Ask("client", StarterPackClientQuestion()),
        Ask("service", ServiceQuestion()),
        Ask("contact", ContactQuestion()),
        Ask("contact_name", NewContactQuestion("name")),
        Ask("contact_email", NewContactQuestion("email")),
        Ask("contact_phone", NewContactQuestion("phone")),
    ),
    act_extra=(
        Step(
            "other_products",
            back_to="a_service",
            branches=(
                Branch(
                    "licences_instead",
                    call="cancel_licences",
                    call_mode="act",
                    give=("client", "service"),
                    act_only=True,
                ),
                Branch("other_service", to="a_service"),
            ),
        ),
    ),
    summary=summary,
    perform=perform,
    on_error={"offer_has_other_products": "a_other_products", "service_not_active": "a_service"},
)
