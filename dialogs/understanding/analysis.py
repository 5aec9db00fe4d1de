"""One pass over an utterance: slots are found and masked, then the rest is tagged."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.understanding.address import Address, find_address
from dialogs.understanding.concepts import Tagged, correct, tag
from dialogs.understanding.language import language_words
from dialogs.understanding.names import NameMatch, pick_client_and_site, resembles
from dialogs.understanding.negation import PUNCTUATION, drop_negated, drop_states
from dialogs.understanding.normalise import fold, tokens
from dialogs.understanding.slots import (
    find_licence_ids,
    find_licence_type,
    find_numbers,
    find_quantity,
)

_CAPITALISED = re.compile(r"(?<=[\w,;:] )[^\W\d_][^\W_]*")
_CLAUSE_END = re.compile(r"[,;:!?.](?!\d)")
_ARTICLES = frozenset(("un", "une", "one", "single", "seule", "seul"))
_SERVICE_REF = re.compile(r"\bSRV[- ]?\d+\b", re.IGNORECASE)  # a service: the Starter Pack
_NAME_WORD = r"[A-ZÀ-Ý][\w'’&.-]*"
_LINKS = r"(?:\s+(?:de|des|du|la|le|les|of|the|and|et|&)|\s+d['’]|\s+l['’])*"
_NAME_RUN = rf"{_NAME_WORD}(?:{_LINKS}\s*{_NAME_WORD})*"
# A client named after its cue (« chez Studio Prisme », "for Ridgeway Motors"), or a name of two
# capitalised words after « de » ("the licences of Lemaire Consulting"), that is none of the
# user's: it still names a client, so it is read as one (« Port » of « Hôtel du Port » is then no
# porting). Resolved or reported later (dialogs.named), never filled in as a slot here.
_UNKNOWN_CLIENT = re.compile(
    rf"(?i:\b(?:chez|pour|client|cliente|customer|for|at)\s+(?:(?:le|the)\s+(?:client|customer)\s+)?)"
    rf"(?P<name>{_NAME_RUN})"
    rf"|(?i:\b(?:de|of)\s+)(?P<pair>{_NAME_WORD}{_LINKS}\s*{_NAME_WORD}(?:{_LINKS}\s*{_NAME_WORD})*)"
)
_NOT_NAMES = frozenset(
    [
        *("svi", "full", "starter", "pack", "licence", "licences", "license", "licenses"),
        *("site", "sites", "myopenip", "metacentrex", "openip", "sda", "did", "mes"),
        *("services", "standard", "meeting"),
    ]
)


@dataclass(frozen=True)
class Analysis:
    """What one utterance says, before any decision about its procedure."""

    tagged: Tagged
    licence_ids: tuple[str, ...]
    numbers: tuple[str, ...]
    client: NameMatch | None
    site: NameMatch | None
    quantity: int | None
    quantity_from_article: bool  # "une licence": a quantity only when the user asks to act
    licence_type: str | None
    language_text: str  # the text without the names, whose words belong to no language
    raw_words: tuple[str, ...] = ()  # the folded words as typed, slots masked, uncorrected
    address: Address | None = None
    negated_raw: frozenset[int] = frozenset()  # positions in raw_words of clauses asking nothing
    asked: bool = False  # the sentence ends on a question mark

    @property
    def concrete(self) -> bool:
        """Whether the user named something precise: a client, site, licence, number or count."""
        explicit_quantity = self.quantity is not None and not self.quantity_from_article
        return bool(
            self.client or self.site or self.licence_ids or self.numbers or explicit_quantity
        )


def _mask(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    spans = [(s, e, "zzlicid") for _, s, e in find_licence_ids(text)]
    spans += [(m.start(), m.end(), "zzservice") for m in _SERVICE_REF.finditer(text)]
    address = find_address(text)
    if address is not None:
        spans.append((address.start, address.end, "zzaddress"))
    numbers = [n for n in find_numbers(text) if not any(s <= n[1] < e for s, e, _ in spans)]
    spans += [(s, e, "zzphone") for _, s, e in numbers]
    masked = text
    for start, end, placeholder in sorted(spans, reverse=True):
        masked = f"{masked[:start]} {placeholder} {masked[end:]}"
    ids = tuple(dict.fromkeys(i for i, _, _ in find_licence_ids(text)))
    return masked, ids, tuple(dict.fromkeys(n for n, _, _ in numbers))


def _proper_nouns(text: str) -> frozenset[str]:
    """Capitalised words inside a sentence ("Agence Nimes"): names, never spelling mistakes.

    Words in capitals are shouted, not names; the first word of a sentence is any word.
    """
    return frozenset(
        fold(word)
        for word in _CAPITALISED.findall(text)
        if word[0].isupper() and not word.isupper()
    )


def _unknown_clients(text: str, known: tuple[str, ...]) -> str:
    """``text`` with each client name it gives that is none of ``known`` masked as ``zzclient``."""

    def mask(found: re.Match[str]) -> str:
        group = "name" if found.group("name") else "pair"
        name = found.group(group)
        first = fold(name.split()[0])
        if first in _NOT_NAMES or (name.isupper() and len(name) <= 4):
            return found.group(0)
        if resembles(name, known):
            return found.group(0)
        return found.group(0)[: found.start(group) - found.start()] + " zzclient "

    return _UNKNOWN_CLIENT.sub(mask, text)


def _replace(words: list[str], start: int, end: int, placeholder: str) -> None:
    words[start:end] = [placeholder]


def analyse(text: str, clients: tuple[str, ...], sites: tuple[str, ...]) -> Analysis:
    """Find the slots of ``text``, replace them by placeholders and tag the remaining words."""
    masked, ids, numbers = _mask(text)
    masked = _unknown_clients(masked, clients + sites)
    words = tokens(_CLAUSE_END.sub(f" {PUNCTUATION} ", masked))
    client, site = pick_client_and_site(words, clients, sites)
    for match in sorted((m for m in (client, site) if m), key=lambda m: -m.start):
        _replace(words, match.start, match.end, f"zz{match.kind}")
    proper = _proper_nouns(masked)
    raw_words = tuple(words)
    words = [word if word in proper else correct(word) for word in words]
    found_type = find_licence_type(words, strict=True)
    found_quantity = find_quantity(words, weak=False)
    edits: list[tuple[int, int, str]] = []
    if found_type:
        edits.append((found_type[1], found_type[2], "zztype"))
    if found_quantity:
        edits.append((found_quantity[1], found_quantity[1] + 1, "zzqty"))
    article = bool(found_quantity and words[found_quantity[1]] in _ARTICLES)
    origin = list(range(len(words)))  # position in raw_words of each word, after the edits
    for start, end, placeholder in sorted(edits, reverse=True):
        _replace(words, start, end, placeholder)
        origin[start:end] = [origin[start]]
    name_words = {w for m in (client, site) if m for w in tokens(m.name)}
    language_text = " ".join(w for w in language_words(masked) if fold(w) not in name_words)
    tagged = drop_states(drop_negated(tag(words, proper)))
    negated_raw = frozenset(origin[i] for start, end in tagged.negated for i in range(start, end))
    return Analysis(
        tagged=tagged,
        licence_ids=ids,
        numbers=numbers,
        client=client,
        site=site,
        quantity=found_quantity[0] if found_quantity else None,
        quantity_from_article=article,
        licence_type=found_type[0] if found_type else None,
        language_text=language_text,
        raw_words=raw_words,
        address=find_address(text),
        negated_raw=negated_raw,
        asked=text.rstrip().endswith("?"),
    )
