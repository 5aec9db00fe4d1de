"""Language understanding, offline and instant: procedure, mode, question and slots (FR/EN)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from dialogs.understanding.analysis import analyse
from dialogs.understanding.chat import near_miss
from dialogs.understanding.cues import QUESTION_PROCEDURE, detect_mode, detect_question
from dialogs.understanding.language import detect_language
from dialogs.understanding.names import match_name as _match_name
from dialogs.understanding.new_site import find_new_site
from dialogs.understanding.normalise import tokens
from dialogs.understanding.recogniser import CONVERSATION, Decision, decide, scores
from dialogs.understanding.slots import (
    find_licence_ids,
    find_licence_type,
    find_numbers,
    find_quantity,
)

__all__ = [
    "Slots",
    "Understanding",
    "detect_language",
    "match_name",
    "parse_licence_type",
    "parse_quantity",
    "understand",
]


@dataclass(frozen=True)
class Slots:
    """What the sentence names; ``client`` and ``site`` are candidates exactly as given."""

    quantity: int | None = None
    licence_type: str | None = None
    licence_ids: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()  # E.164
    client: str | None = None
    site: str | None = None
    new_site: str | None = None  # add_site only: the name of a site that does not exist yet
    street: str | None = None  # add_site only: the new site's address, when the sentence gives it
    postal_code: str | None = None
    city: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The non-empty slots (tuples as lists)."""
        found: dict[str, object] = {}
        for name, value in vars(self).items():
            if value is None or value == ():
                continue
            found[name] = list(value) if isinstance(value, tuple) else value
        return found


@dataclass(frozen=True)
class Understanding:
    """The recogniser's reading of one message.

    ``intent``: a procedure id (``order_followup`` included), ``data_question``, ``greeting``,
    ``thanks`` or ``handoff``; None when out of scope or unsure. ``procedure`` is the intent when
    it is a procedure. ``confidence`` is the probability of the answer given: of ``intent``, or,
    when it is None, of the message being out of scope. ``ambiguous``: two procedures too close
    to choose. ``suggestions``: when nothing is sure, the one or two plausible intents to offer
    (« Vouliez-vous dire … ? »); when ``ambiguous``, the two close procedures. ``near_miss``:
    out of scope, but a request the assistant can name as one it does not do
    (``order_licence``, ``password``…).
    """

    intent: str | None
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    slots: Slots = field(default_factory=Slots)
    lang: Literal["fr", "en"] = "fr"
    mode: Literal["guide", "act"] | None = None
    question: str | None = None
    ambiguous: bool = False
    suggestions: tuple[str, ...] = ()
    near_miss: str | None = None

    @property
    def procedure(self) -> str | None:
        """The intent when it is a procedure: any labelled intent but the conversation ones."""
        return self.intent if self.intent not in CONVERSATION else None

    def offers(self) -> tuple[str, ...]:
        """The intents the user would see as buttons (one or two): the two close procedures,
        or the suggestions."""
        return self.suggestions

    def as_json(self) -> dict[str, object]:
        """A JSON-ready dict, as ``openip-bot intent`` prints it."""
        return {
            "intent": self.intent,
            "procedure": self.procedure,
            "confidence": self.confidence,
            "alternatives": [
                {"procedure": name, "confidence": score} for name, score in self.alternatives
            ],
            "slots": self.slots.as_dict(),
            "lang": self.lang,
            "mode": self.mode,
            "question": self.question,
            "ambiguous": self.ambiguous,
            "suggestions": list(self.suggestions),
            "near_miss": self.near_miss,
        }


def understand(
    text: str,
    *,
    clients: Sequence[str] = (),
    sites: Sequence[str] = (),
    fallback_lang: Literal["fr", "en"] = "fr",
) -> Understanding:
    """Read ``text``: its procedure (None when out of scope), mode, question and slots."""
    analysis = analyse(text, tuple(clients), tuple(sites))
    question = detect_question(analysis.tagged, analysis.site is not None)
    mode = detect_mode(analysis.tagged, concrete=analysis.concrete, question=question)
    decision = decide(scores(analysis, question), question)
    if question and decision.intent != QUESTION_PROCEDURE[question]:  # the model overruled it
        question = None
        mode = detect_mode(analysis.tagged, concrete=analysis.concrete, question=None)
    if not any(w.isalpha() and not w.startswith("zz") for w in analysis.raw_words):
        decision = Decision(None, 1.0, (), False)  # « 1234 », « FPC367128 »: no words, no intent
    keep_quantity = not analysis.quantity_from_article or mode == "act"
    new_site = None
    if decision.intent == "add_site" and analysis.site is None:
        cut = analysis.address
        new_site = find_new_site(text[: cut.start] + text[cut.end :] if cut else text)
        if new_site and analysis.client and _match_name(new_site, (analysis.client.name,)):
            new_site = None
    address = analysis.address if decision.intent == "add_site" else None
    slots = Slots(
        quantity=analysis.quantity if keep_quantity else None,
        licence_type=analysis.licence_type,
        licence_ids=analysis.licence_ids,
        numbers=analysis.numbers,
        client=analysis.client.name if analysis.client else None,
        site=analysis.site.name if analysis.site else None,
        new_site=new_site,
        street=address.street if address else None,
        postal_code=address.postal_code if address else None,
        city=address.city if address else None,
    )
    return Understanding(
        intent=decision.intent,
        confidence=decision.confidence,
        alternatives=decision.alternatives,
        slots=slots,
        lang=detect_language(analysis.language_text, fallback_lang),
        mode=mode,
        question=question,
        ambiguous=decision.ambiguous,
        suggestions=decision.suggestions,
        near_miss=near_miss(analysis.tagged) if decision.intent is None else None,
    )


def parse_quantity(text: str) -> int | None:
    """The quantity in a typed answer: "3", "trois", "three", "non, 3 licences", "une seule"."""
    masked = text
    spans = find_licence_ids(text) + find_numbers(text)
    for _, start, end in sorted(spans, key=lambda span: -span[1]):
        masked = masked[:start] + " " + masked[end:]
    found = find_quantity(tokens(masked), weak=True)
    return found[0] if found else None


def parse_licence_type(text: str) -> str | None:
    """The licence type in a typed answer ("full avancée", "svi", "meeting avancée")."""
    found = find_licence_type(tokens(text), strict=False)
    return found[0] if found else None


def match_name(text: str, candidates: Sequence[str]) -> str | None:
    """The candidate ``text`` names, fuzzily ("agence d'aix" → "Agence Aix"), or None."""
    return _match_name(text, tuple(candidates))
