"""Language of a message: French or English, by words that belong to one language only."""

from __future__ import annotations

import re
from typing import Literal

from dialogs.understanding.normalise import wordlist

Lang = Literal["fr", "en"]

_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœæ]")
_FRENCH = frozenset(
    wordlist("""
    le la les un une des du de et est sont pour chez sur dans avec sans comment pourquoi quel
    quelle quels quelles quoi je tu il elle nous vous mon ma mes ton ta ce cette ces cet pas ne
    qui que oui non merci bonjour bonsoir salut svp stp au aux moi peux veux voudrais faire
    fait faut dois deux trois quatre cinq sept huit neuf dix onze douze l d j qu n c numero
    numéro numeros resilier résilier resilie résilie supprimer supprime ajouter ajoute changer
    dissocier dissocie deplacer déplacer passe mets retirer enlever creer créer nouveau
    nouvelle adresse ensemble tout toute toutes tous ou où aussi mais donc car puis alors
    encore utilisateur utilisateurs grisée grisee poubelle liste offre revendeur
    opérateur operateur entre quelle-est ça ca cest est-ce rien bien très tres avoir être
    """)
)
_ENGLISH = frozenset(
    wordlist("""
    the an of and is are for to at in with how why what which who i you my your it this that
    these those can could would should please thanks thank hello hi hey do does did not no yes
    one two three four five seven eight nine ten eleven twelve cancel remove move add create
    number numbers license licenses whole entire want need steps step get from by be been has
    have there where when t s its our we they am will just some any all out up isn wasn don
    doesn didn can't won't greyed grayed bin trash missing list dropdown reseller operator
    difference between weather time good morning bye new delete rename tell joke order
    password billing put walk through cancelling canceling removing moving adding creating
    called named free terminate end now unlink detach dissociate site's customer customers
    goodbye ty thx cheers hi hey seat seats human agent someone talk speak show many much
    off kill wrong location emergency still anymore
    """)
)


def language_words(text: str) -> list[str]:
    """The words of ``text`` that may belong to a language, lower-cased. A token holding a digit
    is a reference or a number (CMD-1A2BE3DE, FPC367103, 06 12…): its letters would count as
    « de » or « be » by chance."""
    tokens = text.lower().replace("’", "'").split()
    return [w for token in tokens if not _DIGIT.search(token) for w in _WORD.findall(token)]


def detect_language(text: str, fallback: Lang = "fr") -> Lang:
    """Return the language of ``text``; a message too short or unclear gets ``fallback``."""
    words = language_words(text)
    french = sum(word in _FRENCH for word in words) + (1 if _ACCENTED.search(text.lower()) else 0)
    english = sum(word in _ENGLISH for word in words)
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return fallback
