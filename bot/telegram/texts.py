"""The texts only the Telegram edge says, read from the catalogue (``telegram.*`` keys)."""

from __future__ import annotations

from dialogs.texts import LANGS, Lang, say

# The command menu of each language: (command, text key); every command works in every language.
COMMAND_NAMES: dict[Lang, tuple[tuple[str, str], ...]] = {
    "fr": (("start", "start"), ("menu", "menu"), ("aide", "help"), ("annuler", "cancel")),
    "en": (("start", "start"), ("menu", "menu"), ("help", "help"), ("cancel", "cancel")),
}
COMMANDS: dict[Lang, list[tuple[str, str]]] = {
    lang: [(name, say(lang, f"telegram.commands.{key}")) for name, key in COMMAND_NAMES[lang]]
    for lang in LANGS
}


def text(lang: Lang | None, key: str, **params: object) -> str:
    return say(lang or "fr", f"telegram.{key}", **params)
