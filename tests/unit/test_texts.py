"""French and English say the same things: same keys, same placeholders."""

from __future__ import annotations

import inspect
import string

from dialogs.texts import LANGS, catalogue, plural, say
from domain import errors


def _placeholders(template: str) -> set[str]:
    shown = string.Formatter().parse(plural.strip(template))
    return {name for _, name, _, _ in shown if name} | plural.names(template)


def test_every_text_exists_in_french_and_in_english() -> None:
    assert set(catalogue("fr")) == set(catalogue("en"))


def test_every_domain_error_has_a_sentence_in_both_languages() -> None:
    codes = {
        error.code
        for error in vars(errors).values()
        if inspect.isclass(error) and issubclass(error, errors.DomainError)
    }
    for lang in LANGS:
        sentences = {key.removeprefix("errors.") for key in catalogue(lang)}
        assert codes - sentences == set(), lang


def test_a_text_has_the_same_placeholders_in_both_languages() -> None:
    french, english = catalogue("fr"), catalogue("en")
    differ = {k for k in french if _placeholders(french[k]) != _placeholders(english[k])}
    assert differ == set()


def test_no_text_writes_a_plural_as_parenthesised_s() -> None:
    for lang in ("fr", "en"):
        assert [k for k, text in catalogue(lang).items() if "(s)" in text] == []


def test_plurals_follow_each_languages_rules() -> None:
    def choice(lang: str, free: int, active: int) -> str:
        return say(lang, "cancel_licences.type_choice", label="L", free=free, active=active)  # type: ignore[arg-type]

    assert choice("fr", 0, 1) == "L — 0 résiliable / 1 active"
    assert choice("fr", 2, 6) == "L — 2 résiliables / 6 actives"
    assert say("en", "cancel_licences.record", ids=["FPC1"]) == "Licence FPC1 cancelled."
    assert (
        say("en", "cancel_licences.record", ids=["FPC1", "FPC2"])
        == "Licences FPC1, FPC2 cancelled."
    )
    assert plural.category("en", 0) == "other"
    assert plural.category("fr", 0) == "one"
