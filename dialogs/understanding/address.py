"""A postal address in a sentence (« au 8 rue du Port 13270 Fos-sur-Mer »): street, code, city.

Found before anything else reads the sentence, so that its words are not taken for something
else: « 8 » is not a quantity, « Port » is not a client nor "porting" a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STREET_TYPES = (
    r"rue|avenue|av\.?|boulevard|bd|chemin|all[ée]e|place|impasse|route|quai|cours|square"
    r"|esplanade|parvis|street|road|lane|drive"
)
_ADDRESS = re.compile(
    rf"(?<![\w+])(?P<street>\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:{_STREET_TYPES})\s+[^,;:!?\d]+?)"
    r"(?:,?\s+(?P<postal>\d{5})(?:\s+(?P<city>[^\W\d][\w'’\- ]*?))?)?"
    r"(?=\s*[,;:!?.]|\s+(?:pour|chez|for|at|dans|et|and|svp|stp|please)\b|\s*$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str | None
    city: str | None
    start: int
    end: int


def find_address(text: str) -> Address | None:
    """The first street address of ``text`` with its character span."""
    match = _ADDRESS.search(text)
    if match is None:
        return None
    city = match.group("city")
    return Address(
        street=" ".join(match.group("street").split()),
        postal_code=match.group("postal"),
        city=" ".join(city.split()) if city else None,
        start=match.start(),
        end=match.end(),
    )
