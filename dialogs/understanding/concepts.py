"""Concept tagging: spelling correction towards the lexicon, then phrases, words and prefixes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import pairwise

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from dialogs.understanding import lexicon
from dialogs.understanding.normalise import STOPWORDS, wordlist
from dialogs.understanding.slots import KNOWN_WORDS

# Placeholders that the slot extractors put in place of what they recognised.
PLACEHOLDERS: dict[str, str] = {
    "zzlicid": "licence_id",
    "zzphone": "phone",
    "zzclient": "client_name",
    "zzsite": "site_name",
    "zzqty": "quantity",
    "zztype": "licence_type",
    "zzaddress": "address",
    "zzservice": "service_ref",
}
# Frequent words that are not concepts: never "corrected" into one.
_PLAIN = frozenset(
    wordlist("""
    client clients service services portail faire fait peut peux veut tous chez pour dans avec
    plusieurs autre autres meme cette celle celui votre merci bonjour salut question aussi encore
    onglet details detail catalogue bouton button customer company societe entreprise please
    customers service other another their there where which while would could should about
    after before first then plus moins apres avant depuis combien temps heure quelle quel quels
    myopenip openip metacentrex portal several decocher decochez decoche cocher named called
    nomme nommee appele appelee gerer gere gerez geres reactivite reactivites suspens super
    superbe nickel parfait genial porte portes portent portant building buildings prise pris
    """)
)
_VOCABULARY: tuple[str, ...] = tuple(
    sorted(set(lexicon.EXACT) | {w for phrase in lexicon.PHRASES for w in phrase if len(w) > 3})
)
_KNOWN = frozenset(_VOCABULARY) | STOPWORDS | _PLAIN | frozenset(PLACEHOLDERS) | KNOWN_WORDS


@dataclass(frozen=True)
class Tagged:
    """The corrected tokens of an utterance and the concepts found at each position."""

    words: tuple[str, ...]
    hits: tuple[tuple[int, str], ...]  # (position, concept), in order of position
    unknown: tuple[str, ...]  # content words that carry no known concept
    negated: tuple[tuple[int, int], ...] = ()  # spans of clauses that ask for nothing

    @cached_property
    def concepts(self) -> frozenset[str]:
        """Every concept of the utterance."""
        return frozenset(concept for _, concept in self.hits)


_BY_INITIAL: dict[str, tuple[str, ...]] = {
    initial: tuple(w for w in _VOCABULARY if w[0] == initial)
    for initial in {w[0] for w in _VOCABULARY}
}


@lru_cache(maxsize=8192)
def correct(word: str) -> str:
    """Return the lexicon word ``word`` was probably meant to be (itself when unsure).

    A typo keeps the first letter: « grésille » (a crackling line) is not « résilie », nor
    « casser » « passer »; but « jveux », « jpeux » are « je veux », « je peux »."""
    if word in _KNOWN or len(word) < 5 or not word.isalpha() or _prefix_concept(word):
        return word
    if word[0] == "j" and word[1:] in _KNOWN:
        return word[1:]
    max_distance = 2 if len(word) >= 8 else 1
    best = process.extractOne(
        word,
        _BY_INITIAL.get(word[0], ()),
        scorer=DamerauLevenshtein.distance,
        score_cutoff=max_distance,
    )
    return best[0] if best else word


@lru_cache(maxsize=8192)
def _prefix_concept(word: str) -> str | None:
    for prefix, concept in lexicon.PREFIXES:
        if word.startswith(prefix):
            return concept
    return None


@lru_cache(maxsize=8192)
def word_concept(word: str) -> str | None:
    """The concept of one corrected word, if any."""
    return PLACEHOLDERS.get(word) or lexicon.EXACT.get(word) or _prefix_concept(word)


_MAX_PHRASE = max(len(phrase) for phrase in lexicon.PHRASES)
_PHRASE_STARTS = frozenset(phrase[0] for phrase in lexicon.PHRASES)


def tag(words: list[str], keep: frozenset[str] = frozenset()) -> Tagged:
    """Correct ``words`` (except those in ``keep``) and find their concepts; phrases win over
    the words they contain."""
    raw = tuple(words)
    fixed = tuple(word if word in keep else correct(word) for word in words)
    hits: list[tuple[int, str]] = []
    unknown: list[str] = []
    position = 0
    while position < len(fixed):
        starts = raw[position] in _PHRASE_STARTS or fixed[position] in _PHRASE_STARTS
        for size in range(min(_MAX_PHRASE, len(fixed) - position) if starts else 1, 1, -1):
            window = slice(position, position + size)
            concept = lexicon.PHRASES.get(raw[window]) or lexicon.PHRASES.get(fixed[window])
            if concept:
                hits.append((position, concept))
                position += size
                break
        else:
            word = fixed[position]
            concept = word_concept(word)
            if concept:
                hits.append((position, concept))
            elif word not in STOPWORDS and word not in _PLAIN and not word.isdigit():
                unknown.append(word)
            position += 1
    hits += _missing(raw, hits)
    hits = _attaching(_more(hits), fixed)
    return Tagged(fixed, tuple(sorted(hits)), tuple(w for w in unknown if w not in _SEEN))


_ATTACHING = frozenset((lexicon.MOVE, "associate"))
_DETACHING = frozenset((lexicon.DISSOCIATE, lexicon.REMOVE, lexicon.CANCEL))
_NUMBERS = frozenset((lexicon.NUMBER, "phone"))
_WHOSE = frozenset(("qui", "who", "whom", "whose"))


def _attaching(hits: list[tuple[int, str]], words: tuple[str, ...]) -> list[tuple[int, str]]:
    """« associe le numéro à la licence », "assign the DID to Kim's seat": a number put on a
    licence (``attach_number``), the reverse of a dissociation, when nothing is taken off."""
    concepts = {concept for _, concept in hits}
    if concepts & _DETACHING or not concepts & _NUMBERS or _WHOSE.intersection(words):
        return hits  # « à qui est attribué le 02… ? » asks, it puts nothing anywhere
    for (at, concept), (later, other) in pairwise(sorted(hits)):
        if concept in _ATTACHING and other in _NUMBERS and later - at <= 4:
            return [*hits, (at, "attach_number")]
    return hits


_BOUGHT = frozenset(
    (lexicon.LICENCE, lexicon.STARTER, lexicon.NUMBER, lexicon.USER, "licence_type")
)
_PLACES = frozenset((lexicon.SITE, "site_name", "address"))


def _more(hits: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """« des licences en plus » buys licences; « un site de plus » adds a site; else nothing."""
    if not any(concept == "more" for _, concept in hits):
        return hits
    concepts = {concept for _, concept in hits}
    meaning = "buy" if concepts & _BOUGHT else lexicon.ADD if concepts & _PLACES else None
    if meaning is None:
        return [(position, concept) for position, concept in hits if concept != "more"]
    return [(position, meaning if c == "more" else c) for position, c in hits]


_SEEN = lexicon.NEGATIONS | lexicon.VISIBLE


def _missing(words: tuple[str, ...], hits: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A MISSING hit where a negation stands within three words of a word of seeing."""
    if any(concept == lexicon.MISSING for _, concept in hits):
        return []
    negations = [i for i, word in enumerate(words) if word in lexicon.NEGATIONS]
    for position, word in enumerate(words):
        if word in lexicon.VISIBLE and any(abs(position - n) <= 3 for n in negations):
            return [(position, lexicon.MISSING)]
    return []
