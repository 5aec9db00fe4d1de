"""Chat commands: the words (``/annuler``, « précédent »…) that act at any point of a dialog, in
French and English, once normalised. Not the domain's command objects (``domain/commands.py``)
nor the Telegram menu of commands."""

from __future__ import annotations

import unicodedata

COMMANDS: dict[str, str] = {}
for _command, _words in {
    "cancel": "/annuler annuler /stop stop arreter /arreter cancel /cancel abandonner quitter",
    "menu": "/menu menu",
    "help": "/aide aide /help help ?",
    "start": "/start",
    "back": "precedent retour back previous /precedent",
    "next": "suivant next continuer continue ok",
    "repeat": "repeter repeat encore again",
    "confirm": "confirmer confirm oui yes valider",
    "guide": "guide guider",
    "act": "fais-le faites-le",
}.items():
    for _word in _words.split():
        COMMANDS[_word] = _command
for _phrase, _command in {
    "me guider": "guide",
    "guide me": "guide",
    "le faire pour moi": "act",
    "fais le pour moi": "act",
    "do it for me": "act",
    "do it": "act",
}.items():
    COMMANDS[_phrase] = _command


def normalise(text: str) -> str:
    """Lower case, no accents, no trailing punctuation, single spaces."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(plain.strip(" .!").split())


def command_of(text: str) -> str | None:
    """The command a message is, if it is one (``/annuler`` → ``cancel``)."""
    plain = normalise(text)
    if plain.startswith("/"):
        plain = plain.split("@", 1)[0].split(" ", 1)[0]
    return COMMANDS.get(plain)
