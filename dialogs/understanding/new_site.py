"""The name of a site to create ("ajoute un site Agence Toulon pour …"), as the user typed it."""

from __future__ import annotations

import re

from dialogs.understanding import lexicon as lx
from dialogs.understanding.concepts import word_concept
from dialogs.understanding.normalise import STOPWORDS, tokens, wordlist

_NEW_SITE = re.compile(
    r"\b(?:site|adresse|address|location|[ée]tablissement)\s+"
    r"(?:(?:appel[ée]e?|nomm[ée]e?|called|named)\s+)?"
    r"(?:[\"«“]\s*(?P<quoted>[^\"»”]+?)\s*[\"»”]|(?P<plain>[^,;:!?\"]+?))"
    r"(?=\s+(?:pour|chez|au|aux|à|a|for|to|at|in|dans|sur|on)\b|\s*[,;:!?.]|\s*$)",
    re.IGNORECASE,
)
_MAX_WORDS = 5
_SCREEN_WORDS = frozenset(wordlist("bouton button page tab onglet menu liste list lien link"))
# « le site voulu n'est pas proposé »: a clause about a site, not its name
_NOT_A_NAME = frozenset(
    wordlist("ne n pas est sont is isn not doesn voulu voulue souhaite souhaitee wanted")
)


def find_new_site(text: str) -> str | None:
    """The new site's name following "site", "adresse", "location" (quoted or not)."""
    for match in _NEW_SITE.finditer(text):
        if match.group("quoted"):
            return match.group("quoted").strip()
        plain = match.group("plain").strip()
        words = tokens(plain)
        if not words or len(words) > _MAX_WORDS or words[0] in STOPWORDS:
            continue
        if _SCREEN_WORDS.intersection(words) or _NOT_A_NAME.intersection(words):
            continue
        concepts = {word_concept(word) for word in words if word not in STOPWORDS}
        if concepts - {None, lx.SITE}:
            continue
        return plain
    return None
