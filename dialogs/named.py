"""Named means named: what a first sentence names is resolved, or reported and then asked.

The recogniser fills slots only with what this user may see. Here the sentence is read again for
what it names that did not resolve — a client after « chez », a service reference, a licence id,
a number, a licence type, a destination site — and each is reported with the same words whether it
belongs to someone else or does not exist. Those questions are then asked, never answered on the
user's behalf with the single remaining choice (``Unresolved`` lists them for ``flow.advance``).
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.conversation import Unresolved
from dialogs.questions.common import SERVICE_REF
from dialogs.turn import Turn
from dialogs.understanding import Understanding, parse_licence_type
from dialogs.understanding.new_site import find_new_site
from domain.phone import national_format

_NAME = r"(?P<name>[^,;:!?.\"«»]+?)"
_END = (
    r"(?=\s+(?:du|de\s+la|pour|sur|vers|avec|sans|et|qui|dont|svp|stp|please|on|to)\b"
    r"|\s*[,;:!?.]|\s*$)"
)
_CLIENT_FR = re.compile(rf"\b(?:chez|client)\s+(?:le\s+client\s+)?{_NAME}{_END}", re.IGNORECASE)
_CAPITALISED = r"[A-ZÀ-Ý][\w'’&-]*(?:\s+(?:de|des|du|d'|[A-ZÀ-Ý][\w'’&-]*))*"
_CLIENT_EN = re.compile(rf"\b(?:at|for)\s+(?:the\s+client\s+)?(?P<name>{_CAPITALISED})")
_SITE = re.compile(
    rf"\b(?:sur|vers|to|onto)\s+(?:le\s+site\s+|the\s+site\s+)?(?P<name>{_CAPITALISED})"
)
_TYPE_FR = re.compile(r"\blicences?\s+(?P<word>[^\W\d_][\w-]*)", re.IGNORECASE)
_TYPE_EN = re.compile(
    r"\b(?:\d+|a|an|one|two|three|the)\s+(?P<word>[^\W\d_][\w-]*)\s+licen[cs]es?\b", re.IGNORECASE
)
_NOT_A_TYPE = frozenset(
    [
        *("chez", "du", "de", "des", "d", "sur", "pour", "a", "à", "au", "aux", "la", "le"),
        *("les", "l", "qui", "que", "dont", "avec", "sans", "et", "ou", "en", "dans", "vers"),
        *("par", "une", "un", "mes", "ma", "mon", "ces", "cette", "ce", "leur", "leurs"),
        *("active", "actives", "libre", "libres", "numero", "numéro", "svp", "of", "at", "for"),
        *("on", "to", "the", "an", "and", "or", "from", "in", "with", "without", "my", "these"),
        *("those", "that", "its", "their", "all", "free", "toutes", "tous", "here", "there"),
        *("this", "mobile", "please", "site"),
        # politeness and adverbs: « 2 licences stp », « 1 licence seulement », "2 licences only"
        *("stp", "merci", "juste", "only", "just"),
    ]
)
_PRONOUNS = frozenset(["moi", "nous", "vous", "eux", "lui", "elle", "me", "us", "you", "them"])


def resolve(
    turn: Turn, text: str, result: Understanding, answers: dict[str, Any]
) -> Unresolved:
    """Check ``answers`` (pre-filled from ``result``) against what ``text`` names: what was not
    found is dropped from them, and said, and its questions asked."""
    if turn.user.actor is None:
        return Unresolved()
    notes: list[str] = []
    unresolved: set[str] = set()
    _services(turn, text, answers, notes, unresolved)
    _licences(turn, answers, notes, unresolved)
    _number(turn, answers, notes, unresolved)
    asked = turn.procedures.get(result.procedure or "")
    asks_client = asked is None or any(a.name == "client" for a in asked.act)
    if "client" not in answers and asks_client:  # « le client a signé ? » names no client
        name = _client_named(text)
        if name:
            notes.append(turn.say("named.not_found", value=name))
            unresolved |= {"client", "service"}
    procedure = result.procedure
    if procedure == "cancel_licences" and "licence_type" not in answers:
        word = _type_named(text)
        if word:
            notes.append(turn.say("errors.unknown_licence_type", value=word))
            unresolved.add("licence_type")
    if procedure == "change_licence_site" and "site" not in answers:
        site = find_new_site(text) or _match(_SITE, text)
        if site and not site.upper().startswith(("FPC", "SRV")):
            answers["name"] = site  # handed to « Ajouter un site » if the user creates it
            notes.append(turn.say("named.site", value=site))
    return Unresolved("\n".join(notes), tuple(sorted(unresolved)))


def unknown_client(turn: Turn, text: str, answers: dict[str, Any]) -> str:
    """What to say of a client ``text`` names that ``answers`` (pre-filled) did not resolve (a
    correction « non, chez Cabinet Zeta » in the middle of a procedure); "" when there is none."""
    name = _client_named(text) if turn.user.actor is not None and "client" not in answers else None
    return turn.say("named.not_found", value=name) if name else ""


def _services(
    turn: Turn, text: str, answers: dict[str, Any], notes: list[str], unresolved: set[str]
) -> None:
    visible = {s.ref.upper(): (c.account_ref, s) for c in turn.domain.clients() for s in c.services}
    for ref in dict.fromkeys(r.upper() for r in SERVICE_REF.findall(text)):
        found = visible.get(ref)
        if found is None:
            notes.append(turn.say("named.not_found", value=ref))
            unresolved |= {"client", "service"}
            continue
        client_ref, service = found
        answers.setdefault("client", client_ref)
        if answers["client"] in (client_ref, _client_name(turn, client_ref)):
            answers["client"] = client_ref
            answers["service"] = service.ref


def _licences(turn: Turn, answers: dict[str, Any], notes: list[str], unresolved: set[str]) -> None:
    from domain.services import locate

    ids: list[str] = list(answers.get("licences") or [])
    if not ids:
        return
    unknown = [i for i in ids if turn.domain.read(locate, [i], []) is None]
    if unknown:
        notes.extend(turn.say("named.not_found", value=i) for i in unknown)
        unresolved |= {"client", "service", "licences", "licence_type", "quantity", "number"}
        answers.pop("licences", None)
        if answers.get("number") in unknown:
            answers.pop("number")
        return
    found = turn.domain.read(locate, ids, [])
    if found is None:  # spread over several services: the client is asked
        return
    answers.setdefault("client", found[0])
    answers.setdefault("service", found[1])
    licences = [lic for lic in turn.domain.service(found[1]).licences if lic.id in ids]
    types = {lic.type for lic in licences}
    if len(types) == 1 and answers.get("service") == found[1]:
        answers.setdefault("licence_type", types.pop())
        answers.setdefault("quantity", len(ids))


def _number(turn: Turn, answers: dict[str, Any], notes: list[str], unresolved: set[str]) -> None:
    from domain.services import locate

    number = answers.get("number")
    if not isinstance(number, str) or not number.startswith("+") or answers.get("licences"):
        return
    found = turn.domain.read(locate, [], [number])
    if found is None:
        notes.append(turn.say("named.not_found", value=national_format(number)))
        unresolved |= {"client", "service", "number"}
        answers.pop("number")
        return
    answers.setdefault("client", found[0])
    answers.setdefault("service", found[1])


def _client_name(turn: Turn, client_ref: str) -> str:
    return next((c.name for c in turn.domain.clients() if c.account_ref == client_ref), "")


def _client_named(text: str) -> str | None:
    for pattern in (_CLIENT_FR, _CLIENT_EN):
        name = _match(pattern, text)
        if name and name.split()[0].casefold() not in _PRONOUNS and len(name.split()) <= 5:
            return name
    return None


def _type_named(text: str) -> str | None:
    for pattern in (_TYPE_FR, _TYPE_EN):
        for match in pattern.finditer(text):
            word = match.group("word")
            folded = word.casefold()
            if folded in _NOT_A_TYPE or folded.endswith("ment") or folded.startswith("fpc"):
                continue
            if parse_licence_type(word) is None and parse_licence_type(text) is None:
                return word
    return None


def _match(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    return found.group("name").strip() if found else None
