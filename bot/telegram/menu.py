"""The command menu Telegram shows beside the message box (``setMyCommands``), per language."""

from __future__ import annotations

from dialogs.texts import LANGS, Lang, say

# (command, text key) of each language's menu; every command works in every language.
_ENTRIES: dict[Lang, tuple[tuple[str, str], ...]] = {
    "fr": (("start", "start"), ("menu", "menu"), ("aide", "help"), ("annuler", "cancel")),
    "en": (("start", "start"), ("menu", "menu"), ("help", "help"), ("cancel", "cancel")),
}
MENU: dict[Lang, list[tuple[str, str]]] = {
    lang: [(name, say(lang, f"telegram.commands.{key}")) for name, key in _ENTRIES[lang]]
    for lang in LANGS
}
