"""Questions shared by several procedures: client, service, licences, site."""

from __future__ import annotations

import re
from typing import Any

from dialogs.questions.base import Choice, Invalid, Question
from dialogs.turn import Turn
from dialogs.understanding import match_name
from domain.catalog import LICENCE_TYPES
from domain.model import LicenceState, ServiceState
from domain.views import ServiceSummary

SERVICE_REF = re.compile(r"\bSRV-\d+\b", re.IGNORECASE)


class ClientQuestion(Question):
    """Which client (among those the user may see)."""

    prompt_key = "common.ask.client"

    def choices(self, turn: Turn) -> list[Choice]:
        return [Choice(c.account_ref, c.name) for c in turn.domain.clients()]

    def check(self, turn: Turn, value: Any) -> Any:
        options = self.choices(turn)
        text = str(value).strip().casefold()
        for choice in options:
            if text in (choice.value.casefold(), choice.label.casefold()):
                return choice.value
        found = match_name(str(value), [c.label for c in options])
        if found is None:
            raise Invalid("common.unknown_client", {"value": value})
        return next(c.value for c in options if c.label == found)

    def parse(self, turn: Turn, text: str) -> Any:
        return self.check(turn, text)


class ServiceQuestion(Question):
    """Which active MetaCentrex service of the client; the others say why they are not offered
    (an order cancelling the offer, awaiting the client's signature, names itself)."""

    prompt_key = "common.ask.service"

    def _services(self, turn: Turn) -> tuple[ServiceSummary, ...]:
        return turn.domain.client(turn.answers["client"]).services

    def prompt(self, turn: Turn) -> str:
        unavailable = [
            _why_not(turn, s) for s in self._services(turn) if s.state != ServiceState.ACTIVE
        ]
        return "\n".join([*unavailable, super().prompt(turn)])

    def choices(self, turn: Turn) -> list[Choice]:
        services = self._services(turn)
        return [
            Choice(s.ref, f"{s.ref} · {s.name}") for s in services if s.state == ServiceState.ACTIVE
        ]

    def check(self, turn: Turn, value: Any) -> Any:
        wanted = str(value).strip().upper()
        for choice in self.choices(turn):
            if choice.value.upper() == wanted:
                return choice.value
        for service in self._services(turn):
            if service.ref.upper() == wanted:
                raise Invalid("common.service_unavailable", {"why": _why_not(turn, service)})
        raise Invalid("common.unknown_service", {"value": value})

    def parse(self, turn: Turn, text: str) -> Any:
        named = SERVICE_REF.search(text)
        if named:  # checked when accepted: an inactive one is explained there
            return named.group().upper()
        try:
            return self.check(turn, text.split("·")[0])
        except Invalid:
            return super().parse(turn, text)


def _why_not(turn: Turn, service: ServiceSummary) -> str:
    """Why a service of the client is not offered: the order cancelling it, or its state."""
    from domain.services import pending_order_of

    order = turn.domain.read(pending_order_of, service.ref)
    if order is not None:
        return turn.say("common.service_pending", service=service.ref, order=order.ref)
    return turn.say("common.service_inactive", service=service.ref, state=service.state)


class LicencesQuestion(Question):
    """Several active licences of the service, toggled then validated."""

    prompt_key = "common.ask.licences"
    multi = True
    auto_single = False

    def __init__(self, *, with_number: bool | None = None) -> None:
        self.with_number = with_number

    def choices(self, turn: Turn) -> list[Choice]:
        details = turn.domain.service(turn.answers["service"])
        options = []
        for lic in details.licences:
            if lic.state != LicenceState.ACTIVE:
                continue
            if self.with_number is not None and (lic.sda is not None) != self.with_number:
                continue
            label = f"{lic.id} · {LICENCE_TYPES[lic.type]} · {lic.site}"
            options.append(Choice(lic.id, label))
        return options

    def check(self, turn: Turn, value: Any) -> Any:
        ids = [value] if isinstance(value, str) else list(value or [])
        known = {c.value for c in self.choices(turn)}
        wanted = [str(i).strip().upper() for i in ids]
        unknown = [i for i in wanted if i not in known]
        if unknown:
            raise Invalid("common.unknown_licences", {"ids": ", ".join(unknown)})
        if not wanted:
            raise Invalid("common.empty_selection")
        return list(dict.fromkeys(wanted))

    def parse(self, turn: Turn, text: str) -> Any:
        import re

        ids = re.findall(r"fpc\s*\d+", text, flags=re.IGNORECASE)
        if not ids:
            raise Invalid("common.licences_expected")
        return self.check(turn, [i.replace(" ", "") for i in ids])


class SiteQuestion(Question):
    """A site of the client (the destination of a move)."""

    prompt_key = "common.ask.site"
    auto_single = False

    def choices(self, turn: Turn) -> list[Choice]:
        client = turn.domain.client(turn.answers["client"])
        return [Choice(s.name, f"{s.name} ({s.postal_code} {s.city})") for s in client.sites]

    def check(self, turn: Turn, value: Any) -> Any:
        options = self.choices(turn)
        text = " ".join(str(value).split()).casefold()
        for choice in options:
            if text in (choice.value.casefold(), choice.label.casefold()):
                return choice.value
        found = match_name(str(value), [c.value for c in options])
        if found is None:
            raise Invalid("common.unknown_site", {"value": value})
        return found

    def parse(self, turn: Turn, text: str) -> Any:
        return self.check(turn, text)
