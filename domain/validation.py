"""Validation of what people type: texts, quantities, sites and contacts (rules 3 and 5).

Every typed text goes through :func:`clean_text`: NFC-normalised, spaces collapsed, and refused
when it holds a control or format character (Unicode Cc and Cf: NUL, U+202E, U+200B…), which
would be invisible on screen or break storage. :func:`name_key` is how names compare: two names
that differ only by case, spacing or such characters are the same name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from domain.errors import InvalidCharacters, InvalidEmail, InvalidField, InvalidPostalCode
from domain.geography import department_of
from domain.phone import to_e164

MAX_NAME = 120
MAX_STREET = 200


@dataclass(frozen=True)
class SiteFields:
    name: str
    street: str
    postal_code: str
    city: str
    phone: str | None = None


@dataclass(frozen=True)
class ContactFields:
    name: str
    email: str
    phone: str


_NEGATIVE = re.compile(r"^\s*[-−–]\s*\d")
_DECIMAL = re.compile(r"\d\s*[.,]\s*\d")


def clean_text(field: str, value: str) -> str:
    """NFC, single spaces; :class:`InvalidCharacters` for a control or format character."""
    text = unicodedata.normalize("NFC", value)
    hidden = [c for c in text if unicodedata.category(c) in ("Cc", "Cf") and not c.isspace()]
    if hidden:
        shown = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in hidden))
        raise InvalidCharacters(field, shown)
    return " ".join(text.split())


def name_key(name: str) -> str:
    """How names compare: NFC, case-folded, single spaces, no control or format character."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c.isspace())
    return " ".join(text.split()).casefold()


def whole_quantity(text: str) -> None:
    """A typed quantity must be a positive whole number: « -1 » and « 2,5 » are refused."""
    if _NEGATIVE.search(text):
        raise InvalidField("quantity", text.strip(), "negative")
    if _DECIMAL.search(text):
        raise InvalidField("quantity", text.strip(), "not a whole number")


def required_text(field: str, value: object, max_length: int = MAX_NAME) -> str:
    """Return the cleaned text, or raise :class:`InvalidField` if empty, too long or not text."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidField(field, str(value or ""), "empty")
    text = clean_text(field, value)
    if not text:
        raise InvalidField(field, "", "empty")
    if len(text) > max_length:
        raise InvalidField(field, text, f"longer than {max_length} characters")
    return text


def postal_code(value: object) -> str:
    """A 5-digit postal code of a real French department, else :class:`InvalidPostalCode`."""
    text = value.strip().replace(" ", "") if isinstance(value, str) else str(value)
    if department_of(text) is None:
        raise InvalidPostalCode(text)
    return text


def email(value: object) -> str:
    """A syntactically valid e-mail address, normalised; no DNS look-up."""
    if not isinstance(value, str):
        raise InvalidEmail(str(value))
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidEmail(value) from exc


def clean_site(fields: SiteFields) -> SiteFields:
    """Every field of a new site checked and normalised (phone in E.164)."""
    phone = fields.phone.strip() if isinstance(fields.phone, str) else None
    return SiteFields(
        name=required_text("name", fields.name),
        street=required_text("street", fields.street, MAX_STREET),
        postal_code=postal_code(fields.postal_code),
        city=required_text("city", fields.city),
        phone=to_e164(phone) if phone else None,
    )


def clean_contact(fields: ContactFields) -> ContactFields:
    """A new contact's name, e-mail and French phone checked and normalised."""
    return ContactFields(
        name=required_text("name", fields.name),
        email=email(fields.email),
        phone=to_e164(fields.phone) if isinstance(fields.phone, str) else to_e164(""),
    )
