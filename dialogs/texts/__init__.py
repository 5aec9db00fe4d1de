"""What the assistant says, one folder per language (``fr`` by default, ``en``), in TOML files.

Keys are dotted paths: ``common.cancelled``, ``cancel_licences.guide.details``. A text may hold
``{placeholders}`` filled by :func:`say`. A key missing in English falls back to French.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

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


def say(lang: Lang, key: str, **params: object) -> str:
    """The text of ``key`` in ``lang`` with its placeholders filled."""
    template = catalogue(lang).get(key) or catalogue("fr").get(key)
    if template is None:
        raise KeyError(f"no text for {key!r}")
    return template.format_map(params) if params else template
