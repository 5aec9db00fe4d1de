"""The texts only the Telegram edge says, read from the catalogue (``telegram.*`` keys)."""

from __future__ import annotations

from dialogs.texts import LANGS, Lang, say

COMMAND_NAMES = ("start", "menu", "aide", "annuler")
COMMANDS: dict[Lang, list[tuple[str, str]]] = {
    lang: [(name, say(lang, f"telegram.commands.{name}")) for name in COMMAND_NAMES]
    for lang in LANGS
}


def text(lang: Lang | None, key: str, **params: object) -> str:
    return say(lang or "fr", f"telegram.{key}", **params)
