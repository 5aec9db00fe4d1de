"""Input hygiene in one place: typed texts are NFC, free of hidden characters, compared loosely."""

from __future__ import annotations

import pytest

from domain.errors import InvalidCharacters, InvalidField
from domain.validation import clean_text, name_key, required_text, whole_quantity


@pytest.mark.parametrize("hidden", ["\x00", "\u202e", "\u200b", "\ufeff", "\x07"])
def test_a_control_or_format_character_is_refused_and_named(hidden: str) -> None:
    with pytest.raises(InvalidCharacters) as refused:
        required_text("name", f"Agence{hidden}Aix")
    assert f"U+{ord(hidden):04X}" in refused.value.characters


def test_a_text_is_stored_composed_with_single_spaces() -> None:
    assert clean_text("city", "  Aix-en-Prove\u0300nce \t\n sud ") == "Aix-en-Provènce sud"


def test_names_differing_by_case_spacing_or_hidden_characters_compare_equal() -> None:
    assert name_key("Agence Aix") == name_key("  agence   AIX ") == name_key("Agence\u200b Aix")
    assert name_key("Siège") == name_key("Sie\u0300ge")
    assert name_key("Agence Aix") != name_key("Agence Nice")


@pytest.mark.parametrize("typed", ["-1", " - 3", "−2", "2,5", "2.5", "1 . 5"])
def test_a_quantity_must_be_a_positive_whole_number(typed: str) -> None:
    with pytest.raises(InvalidField):
        whole_quantity(typed)


@pytest.mark.parametrize("typed", ["3", "trois", "non, 3 licences", "une seule"])
def test_a_positive_whole_quantity_passes(typed: str) -> None:
    whole_quantity(typed)
