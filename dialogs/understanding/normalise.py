"""Text normalisation shared by every recogniser: case, accents, punctuation, FR/EN tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# English contractions first, so that "can't" keeps its negation once apostrophes are folded.
_CONTRACTIONS = (
    ("can't", "cannot"),
    ("won't", "will not"),
    ("n't", " not"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'m", " am"),
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_TOKEN = re.compile(r"[a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")


# Words that carry no meaning for intents or names (articles, prepositions, pronouns).
def wordlist(text: str) -> list[str]:
    """The whitespace-separated words of a literal word list."""
    return text.split()


STOPWORDS = frozenset(
    wordlist("""
    a au aux avec ce ces cet cette d de des du en et il ils j je l la le les leur leurs lui m ma
    me mes moi mon n ne nos notre nous on ou par qu que qui s sa se ses son sur t ta te tes toi
    ton tu un une vos votre vous y c ca cela ceci est sont pour chez vers dans
    an and are as at be been by do does for from has have i in into is it its me my of on or our
    so that the their them they this to was we were will with you your am zzpunct
    """)
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase, expand English contractions, strip accents and ligatures (and other symbols)."""
    lowered = text.lower().translate(_APOSTROPHES)
    if "'" in lowered:
        for contraction, expansion in _CONTRACTIONS:
            lowered = lowered.replace(contraction, expansion)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_LIGATURES))
    bare = _COMBINING.sub("", decomposed)
    return bare.encode("ascii", "replace").decode("ascii")  # other symbols separate words


def tokens(text: str) -> list[str]:
    """Split ``text`` into folded word tokens; elisions (l', d', qu') become their own tokens."""
    return _TOKEN.findall(fold(text))


def normalise(text: str) -> str:
    """Return the folded tokens of ``text`` joined by single spaces."""
    return " ".join(tokens(text))


def content_tokens(words: list[str]) -> list[str]:
    """Drop the stopwords of a token list."""
    return [word for word in words if word not in STOPWORDS]
