"""Reading one row's fields: every field checked by the domain's own rules, every error kept."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from domain.catalog import check_licence_type
from domain.errors import (
    DomainError,
    InvalidEmail,
    InvalidField,
    InvalidPhoneNumber,
    InvalidPostalCode,
    UnknownLicenceType,
)
from domain.model import as_utc
from domain.phone import to_e164
from domain.validation import email, postal_code, required_text

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_MISSING = object()


class Fields:
    """The fields of one row: each getter returns the clean value, or None and notes an error."""

    def __init__(self, raw: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        self.raw = raw
        self.errors: list[str] = [
            f"unknown field {name!r}" for name in raw if name not in (*allowed, "kind")
        ]

    def text(self, name: str, max_length: int) -> str:
        return self._clean(name, lambda v: required_text(name, v, max_length))

    def optional_text(self, name: str, max_length: int) -> str | None:
        return self._optional(name, lambda v: required_text(name, v, max_length))

    def reference(self, name: str, max_length: int = 50) -> str:
        return self._clean(name, lambda v: reference(name, v, max_length))

    def optional_reference(self, name: str, max_length: int = 50) -> str | None:
        return self._optional(name, lambda v: reference(name, v, max_length))

    def phone(self, name: str) -> str:
        return self._clean(name, lambda v: to_e164(_string(name, v)))

    def optional_phone(self, name: str) -> str | None:
        return self._optional(name, lambda v: to_e164(_string(name, v)))

    def postal_code(self, name: str) -> str:
        return self._clean(name, lambda v: postal_code(_string(name, v)))

    def email(self, name: str) -> str:
        return self._clean(name, email)

    def optional_email(self, name: str) -> str | None:
        return self._optional(name, email)

    def licence_type(self, name: str) -> str:
        return self._clean(name, lambda v: check_licence_type(_string(name, v)))

    def state(self, name: str, states: type[E], default: E | None = None) -> str:
        raw = self.raw.get(name, _MISSING)
        if (raw is _MISSING or raw is None) and default is not None:
            return default.value
        return self._clean(name, lambda v: _state(name, v, states).value)

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw.get(name, default)
        if not isinstance(value, bool):
            self.errors.append(f"{name}: {value!r} is not true or false")
            return default
        return value

    def moment(self, name: str) -> str:
        return self._clean(name, lambda v: moment(name, v).isoformat())

    def optional_moment(self, name: str) -> str | None:
        return self._optional(name, lambda v: moment(name, v).isoformat())

    def items(self, name: str) -> list[Mapping[str, Any]]:
        value = self.raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            self.errors.append(f"{name}: a list of objects is expected")
            return []
        return value

    def _optional(self, name: str, clean: Callable[[Any], T]) -> T | None:
        if self.raw.get(name) in (None, ""):
            return None
        return self._clean(name, clean)

    def _clean(self, name: str, clean: Callable[[Any], T]) -> T:
        value = self.raw.get(name, _MISSING)
        if value is _MISSING or value is None:
            self.errors.append(f"{name}: missing")
            return None  # type: ignore[return-value]  # the row is refused: errors is not empty
        try:
            return clean(value)
        except DomainError as error:
            self.errors.append(describe(name, error))
            return None  # type: ignore[return-value]


def reference(field: str, value: object, max_length: int = 50) -> str:
    """A portal reference: letters, digits, ``. _ / -``, no space, ``max_length`` at most."""
    text = _string(field, value).strip()
    if not _REFERENCE.fullmatch(text) or len(text) > max_length:
        raise InvalidField(
            field, text, f"not a reference (letters, digits, . _ / -, {max_length} at most)"
        )
    return text


def moment(field: str, value: object) -> datetime:
    """An ISO 8601 date and time; without an offset it is UTC. Returned aware, in UTC."""
    try:
        parsed = datetime.fromisoformat(_string(field, value))
    except ValueError:
        raise InvalidField(field, str(value), "not an ISO 8601 date and time") from None
    return as_utc(parsed)


def describe(field: str, error: DomainError) -> str:
    """One line saying what is wrong with a field, as an operator reads it."""
    if isinstance(error, InvalidPhoneNumber):
        return f"{field}: {error.value!r} is not a valid French telephone number"
    if isinstance(error, InvalidPostalCode):
        return f"{field}: {error.value!r} is not the postal code of a French department"
    if isinstance(error, InvalidEmail):
        return f"{field}: {error.value!r} is not a valid e-mail address"
    if isinstance(error, UnknownLicenceType):
        return f"{field}: unknown licence type {error.value!r} (one of {', '.join(error.known)})"
    if isinstance(error, InvalidField):
        shown = error.value.strip()
        return f"{field}: {shown!r} {error.reason}" if shown else f"{field}: {error.reason}"
    return f"{field}: {error}"


def _state(field: str, value: object, states: type[E]) -> E:
    try:
        return states(_string(field, value))
    except ValueError:
        known = ", ".join(repr(s.value) for s in states)
        raise InvalidField(field, str(value), f"is not a state (one of {known})") from None


def _string(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidField(field, str(value), "is not text")
    return value
