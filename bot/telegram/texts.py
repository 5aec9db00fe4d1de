"""The texts only the Telegram edge says, read from the catalogue (``telegram.*`` keys)."""

from __future__ import annotations

from dialogs.texts import Lang, say


def text(lang: Lang | None, key: str, **params: object) -> str:
    return say(lang or "fr", f"telegram.{key}", **params)
