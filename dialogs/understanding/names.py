"""Fuzzy matching of client and site names against the candidates the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from dialogs.understanding.normalise import STOPWORDS, content_tokens, tokens, wordlist

# A window of the sentence must score this much (rapidfuzz ratio, 0..100) against a name.
# Measured on the train utterances: the names they contain score 100 once folded (accents,
# case, "d'", "l'"), one-letter typos of the demo names score 90..97 ("garage prot" 90.9,
# "depot nise" 90.0); the best window against a wrong name scores at most 80 ("agence gap"
# against "Agence Aix"), then 78.6 and 76.2.
MIN_SCORE = 84.0
_SHORT_MIN_SCORE = 95.0  # windows under 6 letters: one letter off is already another word
_PARTIAL_SCORE = 80.0  # one distinctive word of a single name ("chez Azur")
_GENERIC = frozenset(
    wordlist("""
    agence cabinet garage hotel site siege social societe entreprise bureau depot entrepot
    atelier annexe boulangerie pharmacie clinique transports transport menuiserie restaurant
    sarl sas groupe centre nord sud est ouest saint sainte port
    """)
)
CLIENT_CUES = frozenset(wordlist("chez pour client cliente societe for customer company at of"))
SITE_CUES = frozenset(wordlist("sur vers site au to on into onto en adresse location"))
Kind = Literal["client", "site"]


@dataclass(frozen=True)
class NameMatch:
    """A candidate name found in a sentence, on the token span ``[start, end)``."""

    kind: Kind
    name: str
    start: int
    end: int
    score: float


@lru_cache(maxsize=256)
def _prepared(
    candidates: tuple[str, ...],
) -> tuple[tuple[str, ...], dict[str, str], frozenset[str], int]:
    """Each candidate's folded content words, its distinctive words (used by one only), and
    the first two letters of every word (a window starting otherwise names none)."""
    folded = tuple(" ".join(content_tokens(tokens(name))) for name in candidates)
    owners: dict[str, list[str]] = {}
    for name, words in zip(candidates, folded, strict=True):
        for word in set(words.split()):
            owners.setdefault(word, []).append(name)
    distinctive = {
        word: names[0]
        for word, names in owners.items()
        if len(names) == 1 and len(word) >= 3 and word not in _GENERIC and not word.isdigit()
    }
    starts = frozenset(word[:2] for name in folded for word in name.split())
    longest = max(len(name.split()) for name in folded) + 2
    return folded, distinctive, starts, longest


def _windows(
    words: list[str], longest: int, starts: frozenset[str]
) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for start, first in enumerate(words):
        if first[:2] not in starts or first in STOPWORDS or first.startswith("zz"):
            continue
        for end in range(start + 1, min(len(words), start + longest) + 1):
            last = words[end - 1]
            if last.startswith("zz"):
                break
            if last not in STOPWORDS:
                text = " ".join(content_tokens(words[start:end]))
                spans.setdefault(text, []).append((start, end))
    return spans


def find_names(
    words: list[str], candidates: tuple[str, ...], kind: Kind, *, cue_needed: bool
) -> list[NameMatch]:
    """Every window of ``words`` close enough to one of ``candidates``, best first."""
    if not candidates or not words:
        return []
    folded, distinctive, starts, longest = _prepared(candidates)
    found: list[NameMatch] = []
    for text, spans in _windows(words, longest, starts).items():
        minimum = _SHORT_MIN_SCORE if len(text) < 6 else MIN_SCORE
        best = process.extractOne(text, folded, scorer=fuzz.ratio, score_cutoff=minimum)
        if best:
            found.extend(NameMatch(kind, candidates[best[2]], s, e, best[1]) for s, e in spans)
        elif text in distinctive:
            cues = CLIENT_CUES | SITE_CUES
            found.extend(
                NameMatch(kind, distinctive[text], s, e, _PARTIAL_SCORE)
                for s, e in spans
                if not cue_needed or (s > 0 and words[s - 1] in cues)
            )
    return sorted(found, key=lambda m: (-m.score, m.start - m.end, m.start))


def match_name(text: str, candidates: tuple[str, ...]) -> str | None:
    """The candidate that ``text`` names (a typed answer or a sentence), if one is close enough.

    Equal once folded wins; then the best fuzzy window; then the one candidate holding every
    word typed ("agence aix" for "Agence Aix (13090 Aix-en-Provence)").
    """
    typed = tokens(text)
    exact = [name for name in candidates if tokens(name) == typed]
    if typed and len(exact) == 1:
        return exact[0]
    found = find_names(typed, candidates, "client", cue_needed=False)
    if found:
        return found[0].name
    wanted = set(content_tokens(typed))
    holding = [name for name in candidates if wanted and wanted <= set(tokens(name))]
    return holding[0] if len(holding) == 1 else None


def resembles(text: str, candidates: tuple[str, ...]) -> bool:
    """Whether ``text`` as a whole is one of ``candidates``, give or take a typo (« Garage Martin »
    is no « Boulangerie Martin », though « Martin » alone would name it)."""
    if not candidates:
        return False
    folded = _prepared(candidates)[0]
    typed = " ".join(content_tokens(tokens(text)))
    return process.extractOne(typed, folded, scorer=fuzz.ratio, score_cutoff=MIN_SCORE) is not None


def pick_client_and_site(
    words: list[str], clients: tuple[str, ...], sites: tuple[str, ...]
) -> tuple[NameMatch | None, NameMatch | None]:
    """The best client and the best site, on spans that do not overlap.

    A span close to both a client and a site goes to the kind its cue word announces
    ("chez", "pour" for a client; "sur", "vers", "site" for a site), else to the better score.
    """
    matches = find_names(words, clients, "client", cue_needed=True)
    matches += find_names(words, sites, "site", cue_needed=True)
    matches.sort(key=lambda m: (-m.score, -_cue_bonus(words, m), m.start - m.end, m.start))
    # « de l'Agence Aix vers le Siège Social »: of two sites, the destination is the one asked
    if any(m.kind == "site" and _destination(words, m) for m in matches):
        matches.sort(key=lambda m: m.kind == "site" and not _destination(words, m))
    chosen: dict[Kind, NameMatch] = {}
    for match in matches:
        if match.kind in chosen:
            continue
        if any(m.start < match.end and match.start < m.end for m in chosen.values()):
            continue
        chosen[match.kind] = match
    return chosen.get("client"), chosen.get("site")


def _cue_bonus(words: list[str], match: NameMatch) -> int:
    before = words[match.start - 2 : match.start]
    cues = CLIENT_CUES if match.kind == "client" else SITE_CUES
    return int(any(word in cues for word in before))


DESTINATION_CUES = frozenset(wordlist("vers sur to into onto au a dans en"))
ORIGIN_CUES = frozenset(wordlist("de du des depuis from d"))


def _destination(words: list[str], match: NameMatch) -> bool:
    """A site announced as where things go (« vers », "to"), not where they come from."""
    window = words[max(0, match.start - 3) : match.start]
    before = [w for w in window if w not in ("le", "la", "l", "the", "site")]
    return bool(before) and before[-1] in DESTINATION_CUES
