"""Questions about one's own data, answered read-only and scoped like every look-up.

« il reste combien de licences SVI chez Cabinet Azur ? », « quels numéros sont libres chez
Garage du Port ? », « quels sites a Cabinet Azur ? », « les commandes en attente de … »: licences
by type, state and site (counts or lists), free numbers, sites, pending orders — of the client
or service named, else of every client the user may see.
"""

from __future__ import annotations

import re

from dialogs.questions.common import SERVICE_REF
from dialogs.render import render_menu
from dialogs.reply import Reply
from dialogs.turn import Turn
from dialogs.understanding import Understanding
from dialogs.understanding.normalise import tokens, wordlist
from domain.catalog import LICENCE_TYPES
from domain.errors import NotFound
from domain.model import LicenceState
from domain.phone import national_format
from domain.views import ClientView, LicenceView, ServiceDetails

MAX_LINES = 40
# « chez Boulangerie Martin », "for Hotel Bleu": a client named, whether or not it is known
_NAMED = re.compile(
    r"\b(?:chez|for|at|client)\s+"
    r"(?P<name>[A-ZÀ-Ý][\w’'-]*(?:\s+(?:(?:du|des|de|la|le|d’|d')\s*)?[A-ZÀ-Ý][\w’'-]*)*)"
)
_LICENCES = frozenset(
    wordlist("licence licences license licenses lic lics poste postes seat seats")
)
_NUMBERS = frozenset(wordlist("numero numeros sda sdas did dids number numbers"))
_SERVICES = frozenset(wordlist("srv srvs reference references ref refs"))
_ORDERS = frozenset(wordlist("commande commandes order orders devis quote quotes"))
_SITES = frozenset(wordlist("site sites adresse adresses location locations agences"))
_FREE = frozenset(wordlist("libre libres free disponible disponibles dispo dispos unassigned"))
_COUNT = frozenset(wordlist("combien nombre nb nbre many reste restent left remaining total"))
_ACTIVE = frozenset(wordlist("active actives actif actifs"))
_CANCELLED = frozenset(
    wordlist("resiliee resiliees resilie resilies cancelled canceled terminated")
)


_ASKING = _COUNT | frozenset(
    wordlist("""
    quels quelles quel quelle liste lister montre montrer affiche afficher voir donne which what
    show list display see give tell
    """)
)


def asks(text: str) -> bool:
    """Whether ``text`` asks to see or count something (not a bare name typed as an answer)."""
    return bool(_ASKING.intersection(tokens(text))) or text.rstrip().endswith("?")


def subject(words: list[str]) -> str:
    """What the question is about: ``licences``, ``services`` (a reference asked: « quel est
    le SRV de … ? », ``words`` read without the references given), ``numbers``, ``orders`` or
    ``sites``."""
    for name, vocabulary in (
        ("licences", _LICENCES),
        ("services", _SERVICES),
        ("numbers", _NUMBERS),
        ("orders", _ORDERS),
        ("sites", _SITES),
    ):
        if vocabulary.intersection(words):
            return name
    return "licences"


def answer(turn: Turn, text: str, result: Understanding) -> Reply:
    """The answer, under the menu (nothing is changed)."""
    if turn.user.actor is None:
        return render_menu(turn, "common.not_linked")
    words = tokens(text)
    clients = turn.domain.clients()
    if result.slots.client:
        clients = [c for c in clients if c.name == result.slots.client]
    elif named := _NAMED.search(text):  # named means named: an unknown client is reported
        return render_menu(turn, "errors.not_found", ref=named.group("name"))
    refs = SERVICE_REF.findall(text)
    try:
        services = [turn.domain.service(ref.upper()) for ref in refs]
    except NotFound as missing:
        return render_menu(turn, "errors.not_found", ref=missing.ref)
    if services:
        clients = [c for c in clients if c.name in {s.client for s in services}]
    ids, numbers = result.slots.licence_ids, result.slots.numbers
    if ids or numbers:  # « la licence FPC… est sur quel site ? », « le 04… est à qui ? »
        details = services or [turn.domain.service(s.ref) for c in clients for s in c.services]
        return _named(turn, details, ids, numbers)
    about = subject(tokens(SERVICE_REF.sub(" ", text)))
    if about == "sites":
        lines = _sites(turn, clients)
    elif about == "services":
        lines = _services(turn, clients)
    elif about == "orders":
        lines = _orders(turn, clients)
    else:
        details = services or [turn.domain.service(s.ref) for c in clients for s in c.services]
        if about == "numbers":
            lines = _numbers(turn, details, free=bool(_FREE.intersection(words)))
        else:
            lines = _licences(turn, details, words, result)
    if len(lines) > MAX_LINES:
        more = len(lines) - MAX_LINES
        lines = [*lines[:MAX_LINES], turn.say("data_questions.more", count=more)]
    scope = ", ".join(c.name for c in clients) or "—"
    if about == "licences" and (chosen := _filters(turn, words, result)):
        scope = turn.say("data_questions.filtered", scope=scope, filters=chosen)
    lead = "\n".join([turn.say(f"data_questions.{about}_header", scope=scope), *lines])
    return render_menu(turn, "common.menu_after", lead=lead)


def _named(
    turn: Turn, services: list[ServiceDetails], ids: tuple[str, ...], numbers: tuple[str, ...]
) -> Reply:
    """The licences and numbers the question names, each with its site and number (a name the
    user may not see is reported as not found, like a look-up)."""
    lines, named = [], []
    for wanted in (*ids, *numbers):
        held = [
            (details, lic)
            for details in services
            for lic in details.licences
            if wanted in (lic.id, lic.sda)
        ]
        lines += [_licence_line(turn, details, lic) for details, lic in held]
        free = [d for d in services if wanted in d.numbers] if not held else []
        lines += [
            turn.say("data_questions.number_free", client=d.client, number=national_format(wanted))
            for d in free
        ]
        if not held and not free:
            ref = wanted if wanted in ids else national_format(wanted)
            return render_menu(turn, "errors.not_found", ref=ref)
        named += [d.client for d, _ in held] + [d.client for d in free]
    scope = ", ".join(dict.fromkeys(named))
    lead = "\n".join([turn.say("data_questions.licences_header", scope=scope), *lines])
    return render_menu(turn, "common.menu_after", lead=lead)


def _licence_line(turn: Turn, details: ServiceDetails, lic: LicenceView) -> str:
    sda = national_format(lic.sda) if lic.sda else turn.say("lookup.no_number")
    label, state_label = LICENCE_TYPES[lic.type], turn.say(f"lookup.state_{lic.state}")
    return f"• {details.client} — {lic.id}  {label}, {state_label}, {lic.site}, {sda}"[:200]


def _sites(turn: Turn, clients: list[ClientView]) -> list[str]:
    lines = [
        turn.say("data_questions.line", client=c.name, what=s.name, detail=s.address)
        for c in clients
        for s in c.sites
    ]
    return lines or [turn.say("data_questions.none")]


def _services(turn: Turn, clients: list[ClientView]) -> list[str]:
    lines = [
        turn.say("data_questions.line", client=c.name, what=s.ref, detail=f"{s.name}, {s.state}")
        for c in clients
        for s in c.services
    ]
    return lines or [turn.say("data_questions.none")]


def _orders(turn: Turn, clients: list[ClientView]) -> list[str]:
    from domain.services.pending_orders import pending_orders

    wanted = {c.name for c in clients}
    found = [o for o in turn.domain.read(pending_orders) if o.client in wanted]
    lines = [
        turn.say(
            "data_questions.order",
            ref=o.ref,
            client=o.client,
            service=o.service_ref,
            placed_by=o.placed_by,
            placed_at=o.placed_at.strftime("%Y-%m-%d"),
        )
        for o in found
    ]
    return lines or [turn.say("data_questions.no_orders")]


def _numbers(turn: Turn, services: list[ServiceDetails], *, free: bool) -> list[str]:
    lines = []
    for details in services:
        used = {lic.sda for lic in details.licences if lic.sda and lic.state == LicenceState.ACTIVE}
        shown = [n for n in details.numbers if not free or n not in used]
        if shown:
            numbers = ", ".join(national_format(n) for n in shown)
            lines.append(
                turn.say(
                    "data_questions.line", client=details.client, what=details.ref, detail=numbers
                )
            )
    key = "data_questions.no_free_numbers" if free else "data_questions.none"
    header = [turn.say("data_questions.free_numbers")] if free else []
    return [*header, *lines] if lines else [turn.say(key)]


def _state(words: list[str]) -> LicenceState | None:
    state = LicenceState.ACTIVE if _ACTIVE.intersection(words) else None
    return LicenceState.CANCELLED if _CANCELLED.intersection(words) else state


def _filters(turn: Turn, words: list[str], result: Understanding) -> str:
    """What the licences listed were chosen by (« site Agence Aix, Licence full, résiliées »),
    so that « Aucune. » says of what."""
    kind, site, state = result.slots.licence_type, result.slots.site, _state(words)
    chosen = [turn.say("data_questions.filter_site", site=site)] if site else []
    chosen += [LICENCE_TYPES[kind]] if kind else []
    chosen += [turn.say(f"data_questions.filter_{state}")] if state else []
    return ", ".join(chosen)


def _licences(
    turn: Turn, services: list[ServiceDetails], words: list[str], result: Understanding
) -> list[str]:
    state = _state(words)
    kind, site = result.slots.licence_type, result.slots.site
    counting = bool(_COUNT.intersection(words))
    lines = []
    for details in services:
        chosen = [
            lic
            for lic in details.licences
            if (kind is None or lic.type == kind)
            and (state is None or lic.state == state)
            and (site is None or lic.site == site)
        ]
        if counting:
            lines += _counts(turn, details, chosen)
            continue
        lines += [_licence_line(turn, details, lic) for lic in chosen]
    return lines or [turn.say("data_questions.none")]


def _counts(turn: Turn, details: ServiceDetails, chosen: list[LicenceView]) -> list[str]:
    per_type: dict[str, list[int]] = {}
    for lic in details.licences:
        if lic in chosen:
            counts = per_type.setdefault(lic.type, [0, 0])
            counts[0 if lic.state == LicenceState.ACTIVE else 1] += 1
    return [
        turn.say(
            "data_questions.count",
            client=details.client,
            service=details.ref,
            type=LICENCE_TYPES[slug],
            active=active,
            cancelled=cancelled,
        )
        for slug, (active, cancelled) in sorted(per_type.items())
    ]
