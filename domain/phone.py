"""French telephone numbers (SDA): parsing to E.164 and numbering zones."""

from __future__ import annotations

import re

import phonenumbers

from domain.errors import InvalidPhoneNumber

_SEPARATORS = re.compile(r"[\s.\-/()]")


def to_e164(raw: str) -> str:
    """Return the E.164 form of a French number written in any common way.

    Accepts ``04 91 00 00 01``, ``0491000001``, ``+33 4 91 00 00 01``, ``0033491000001``,
    ``+33 (0)4 91 00 00 01``; raises :class:`InvalidPhoneNumber` for anything else.
    """
    compact = _SEPARATORS.sub("", raw.strip()).replace("+33(0)", "+33")
    if compact.startswith("+330"):
        compact = "+33" + compact[4:]
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not re.fullmatch(r"(\+|0)\d{8,14}", compact):
        raise InvalidPhoneNumber(raw)
    try:
        parsed = phonenumbers.parse(compact, "FR")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(raw) from exc
    if parsed.country_code != 33 or not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_french_number(raw: str) -> bool:
    """Tell whether ``raw`` is a valid French number in any common form."""
    try:
        to_e164(raw)
    except InvalidPhoneNumber:
        return False
    return True


def national_format(e164: str) -> str:
    """Format an E.164 French number as people read it: ``04 91 00 00 01``."""
    digits = "0" + e164.removeprefix("+33")
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def geographic_zone(e164: str) -> int | None:
    """Return the numbering zone (1 to 5) of a geographic number, or None for any other."""
    national = "0" + e164.removeprefix("+33")
    if e164.startswith("+33") and len(national) == 10 and national[1] in "12345":
        return int(national[1])
    return None
