"""French and English say the same things: same keys, same placeholders."""

from __future__ import annotations

import string

from dialogs.texts import catalogue


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_exists_in_french_and_in_english() -> None:
    assert set(catalogue("fr")) == set(catalogue("en"))


def test_a_text_has_the_same_placeholders_in_both_languages() -> None:
    french, english = catalogue("fr"), catalogue("en")
    differ = {k for k in french if _placeholders(french[k]) != _placeholders(english[k])}
    assert differ == set()
