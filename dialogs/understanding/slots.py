"""Slot extractors that need no candidate list: licence ids, numbers, quantity, licence type."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from dialogs.understanding.normalise import wordlist
from domain.errors import InvalidPhoneNumber
from domain.phone import to_e164

_LICENCE_ID = re.compile(r"(?<![A-Za-z0-9])fpc[\s-]?(\d{3,})(?!\d)", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?!\d)"
)
_WEAK = frozenset(("un", "une", "one", "single", "seule", "seul"))
_NUMBER_WORDS = {
    **dict.fromkeys(_WEAK, 1),
    **{w: n for n, w in enumerate(wordlist("zero un deux trois quatre cinq six sept huit neuf"))},
    **{w: n for n, w in enumerate(wordlist("zero one two three four five six seven eight nine"))},
    "dix": 10, "ten": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "eleven": 11,
    "twelve": 12, "twenty": 20, "deus": 2, "troi": 3, "trios": 3, "quatres": 4,
}  # fmt: skip
_TIMES = re.compile(r"x(\d{1,3})|(\d{1,3})x")
_NOT_A_COUNT = frozenset(
    (
        ("pas", "seulement"),
        ("pas", "qu"),
        ("plus", "d"),
        ("not", "only"),
        ("not", "just"),
        ("more", "than"),
        ("moins", "de"),
        ("less", "than"),
        ("fewer", "than"),
    )
)
_CORRECTIONS = frozenset(("non", "mais", "plutot", "but", "rather", "no", "instead"))
LICENCE_WORDS = frozenset(wordlist("licence licences license licenses lic licenc licens"))
_TYPE_WORDS = {
    **dict.fromkeys(wordlist("full fulls"), "full"),
    **dict.fromkeys(wordlist("simple simples basic basique"), "simple"),
    **dict.fromkeys(wordlist("meeting meetings"), "meet"),
    **dict.fromkeys(wordlist("conferencing conference conferences conf"), "conf"),
    **dict.fromkeys(wordlist("fax faxes fax2mail telecopie"), "fax"),
    **dict.fromkeys(wordlist("svi ivr"), "svi"),
    **dict.fromkeys(wordlist("avancee avance avancees avances advanced advance"), "adv"),
    **dict.fromkeys(wordlist("entreprise enterprise business"), "ent"),
}
_TYPE_VOCABULARY = tuple(w for w in _TYPE_WORDS if len(w) >= 5)
KNOWN_WORDS = frozenset(_NUMBER_WORDS) | frozenset(_TYPE_WORDS) | LICENCE_WORDS
_NEEDS_CONTEXT = frozenset(("full", "simple", "meet"))


def find_licence_ids(text: str) -> list[tuple[str, int, int]]:
    """Licence ids (``FPC367128``, uppercased) with their character spans."""
    return [(f"FPC{m.group(1)}", m.start(), m.end()) for m in _LICENCE_ID.finditer(text)]


def find_numbers(text: str) -> list[tuple[str, int, int]]:
    """Valid French numbers in E.164 with their character spans; invalid ones are skipped."""
    found: list[tuple[str, int, int]] = []
    for match in _PHONE.finditer(text):
        try:
            found.append((to_e164(match.group()), match.start(), match.end()))
        except InvalidPhoneNumber:
            continue
    return found


def _number_value(word: str) -> int | None:
    if word.isdigit() and len(word) <= 3:
        return int(word)
    if "x" in word and (match := _TIMES.fullmatch(word)):
        return int(match.group(1) or match.group(2))
    return _NUMBER_WORDS.get(word)


def find_quantity(words: list[str], *, weak: bool) -> tuple[int, int] | None:
    """The quantity asked for and its position; ``weak`` also reads "une", "one" on their own.

    Without ``weak``, an article counts only before a licence word or type ("une licence full").
    After a correction word ("non", "mais", "but"), the last number wins.
    """
    candidates: list[tuple[int, int]] = []
    for position, word in enumerate(words):
        value = _number_value(word)
        if value is None:
            continue
        if word in _WEAK and not weak and not _before_licence(words, position):
            continue
        if tuple(words[max(0, position - 2) : position]) in _NOT_A_COUNT:
            continue  # « pas seulement une licence », "more than one": not a quantity
        candidates.append((value, position))
    if not candidates:
        return None
    corrections = [i for i, word in enumerate(words) if word in _CORRECTIONS]
    after = [c for c in candidates if corrections and c[1] > corrections[-1]]
    return after[-1] if after else candidates[0]


def _before_licence(words: list[str], position: int) -> bool:
    following = [w for w in words[position + 1 : position + 3] if w not in _WEAK][:1]
    return any(w in LICENCE_WORDS or _type_word(w) is not None for w in following)


@lru_cache(maxsize=4096)
def _type_word(word: str) -> str | None:
    if word in _TYPE_WORDS:
        return _TYPE_WORDS[word]
    if len(word) < 5 or not word.isalpha():
        return None
    distance = 2 if len(word) >= 9 else 1
    best = process.extractOne(
        word, _TYPE_VOCABULARY, scorer=DamerauLevenshtein.distance, score_cutoff=distance
    )
    return _TYPE_WORDS[best[0]] if best else None


def _classify(parts: set[str]) -> str | None:
    advanced = "adv" in parts
    if "meet" in parts:
        return "full_meeting_avancee" if advanced else "full_meeting"
    if "conf" in parts:
        return "full_conferencing"
    if "svi" in parts:
        return "svi_avancee" if advanced else "svi"
    if "fax" in parts:
        return "fax_entreprise"
    if "full" in parts:
        return "full_avancee" if advanced else "full"
    return "simple" if "simple" in parts else None


def find_licence_type(words: list[str], *, strict: bool) -> tuple[str, int, int] | None:
    """The first licence type named in ``words`` and its token span ``[start, end)``.

    ``strict`` (inside a whole sentence) asks that a bare "full", "simple" or "meeting" stand
    next to a licence word or a quantity, so "the full procedure" names no licence type.
    """
    position = 0
    while position < len(words):
        if _type_word(words[position]) is None:
            position += 1
            continue
        start, parts, licence_word = position, set[str](), False
        while position < len(words):
            word = words[position]
            kind = _type_word(word)
            if kind is None and word not in LICENCE_WORDS and word not in ("de", "d"):
                break
            if kind:
                parts.add(kind)
            licence_word = licence_word or word in LICENCE_WORDS
            position += 1
        end = position
        while end > start + 1 and words[end - 1] in ("de", "d"):
            end -= 1  # « 2 licences SVI de plus »: « de » belongs to what follows
        position = end
        slug = _classify(parts)
        before = words[start - 1] if start else ""
        context = licence_word or (before in LICENCE_WORDS) or _number_value(before) is not None
        if slug and (not strict or context or not parts <= _NEEDS_CONTEXT):
            return slug, start, position
    return None
