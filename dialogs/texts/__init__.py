"""What the assistant says, one folder per language (``fr`` by default, ``en``), in TOML files.

Keys are dotted paths: ``common.cancelled``, ``cancel_licences.guide.details``. A text may hold
``{placeholders}`` filled by :func:`say` (a list or tuple is written as its items separated by
commas, « — » when empty) and ICU plural arguments, ``{n, plural, one {# licence} other {#
licences}}``, chosen by the language's CLDR plural rules (:mod:`dialogs.texts.plural`). A key
missing in English falls back to French.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from dialogs.texts import plural

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")
_ROOT = Path(__file__).parent


@cache
def catalogue(lang: Lang) -> dict[str, str]:
    """Every text of a language, flattened to dotted keys."""
    flat: dict[str, str] = {}
    for path in sorted((_ROOT / lang).glob("*.toml")):
        with path.open("rb") as handle:
            _flatten(path.stem, tomllib.load(handle), flat)
    return flat


def _flatten(prefix: str, node: Mapping[str, Any], into: dict[str, str]) -> None:
    for key, value in node.items():
        path = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            _flatten(path, value, into)
        else:
            into[path] = str(value)


def has(lang: Lang, key: str) -> bool:
    """True when the key exists in that language or in French."""
    return key in catalogue(lang) or key in catalogue("fr")


def bullets(lines: Iterable[str]) -> str:
    """Items as a message lists them: each on a line of its own after a bullet (the text that
    takes them writes no newline before its placeholder)."""
    return "".join(f"\n• {line}" for line in lines)


def say(lang: Lang, key: str, **params: object) -> str:
    """The text of ``key`` in ``lang`` with its placeholders filled."""
    template = catalogue(lang).get(key) or catalogue("fr").get(key)
    if template is None:
        raise KeyError(f"no text for {key!r}")
    if not params:
        return template
    if "plural" in template:
        template = plural.expand(lang if key in catalogue(lang) else "fr", template, params)
    return template.format_map({name: _shown(value) for name, value in params.items()})


def _shown(value: object) -> object:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    return value
