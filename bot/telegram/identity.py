"""Who writes: the language Telegram reports, and the bot user linked to the account (looked up
again at every update, through :mod:`dialogs.accounts`)."""

from __future__ import annotations

from dialogs.accounts import identify, identify_in
from dialogs.texts import Lang

__all__ = ["identify", "identify_in", "lang_of"]


def lang_of(language_code: str | None) -> Lang | None:
    """Telegram's ``language_code`` (``fr``, ``en-GB``…) as one of ours, if it is one."""
    code = (language_code or "").split("-", 1)[0].casefold()
    if code == "fr":
        return "fr"
    if code == "en":
        return "en"
    return None
