"""Plural forms in texts: ICU MessageFormat's ``plural`` argument, categories from Babel (CLDR).

``{n, plural, one {# licence active} other {# licences actives}}`` picks the branch of ``n``'s
plural category in the language (French: 0 and 1 are ``one``; English: only 1), ``other`` when
the category has no branch, and writes the number for ``#``. A list or tuple counts its items.
Only the ``plural`` argument is supported; any other ``{…}`` is left to :meth:`str.format_map`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from babel import Locale

_START = re.compile(r"\{\s*(\w+)\s*,\s*plural\s*,")
_BRANCH = re.compile(r"\s*(=\d+|zero|one|two|few|many|other)\s*\{")


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def category(lang: str, count: int) -> str:
    """The CLDR plural category of ``count`` in ``lang``: ``one``, ``many``, ``other``…"""
    form: str = _locale(lang).plural_form(count)
    return form


def count_of(value: object) -> int:
    """The number a plural is chosen by: an int itself, a list or tuple its length."""
    if isinstance(value, bool) or not isinstance(value, int | Sequence) or isinstance(value, str):
        raise TypeError(f"a plural needs a number or a list, not {value!r}")
    return value if isinstance(value, int) else len(value)


def expand(lang: str, template: str, params: Mapping[str, object]) -> str:
    """``template`` with every plural argument replaced by its branch for ``params``."""
    out: list[str] = []
    position = 0
    while match := _START.search(template, position):
        out.append(template[position : match.start()])
        branches, position = _branches(template, match.end())
        count = count_of(params[match[1]])
        chosen = branches.get(f"={count}") or branches.get(category(lang, count))
        text = chosen if chosen is not None else branches["other"]
        out.append(text.replace("#", str(count)))
    out.append(template[position:])
    return "".join(out)


def names(template: str) -> set[str]:
    """The names the plural arguments of ``template`` are chosen by."""
    return set(_START.findall(template))


def strip(template: str) -> str:
    """``template`` with each plural argument replaced by every branch (for placeholder checks)."""
    out: list[str] = []
    position = 0
    while match := _START.search(template, position):
        out.append(template[position : match.start()])
        branches, position = _branches(template, match.end())
        out.append(" ".join(branches.values()))
    out.append(template[position:])
    return "".join(out)


def _branches(template: str, position: int) -> tuple[dict[str, str], int]:
    """The ``selector {text}`` pairs from ``position`` to the argument's closing brace."""
    branches: dict[str, str] = {}
    while branch := _BRANCH.match(template, position):
        start = end = branch.end()
        depth = 1
        while depth:
            depth += {"{": 1, "}": -1}.get(template[end], 0)
            end += 1
        branches[branch[1]] = template[start : end - 1]
        position = end
    closing = template.index("}", position)
    if "other" not in branches or template[position:closing].strip():
        raise ValueError(f"malformed plural argument near {template[position - 20 : position]!r}")
    return branches, closing + 1
