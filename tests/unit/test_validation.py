"""Validation of what people type for a new site (rule 5) and a new contact (rule 3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.errors import InvalidEmail, InvalidField, InvalidPhoneNumber, InvalidPostalCode
from domain.validation import (
    ContactFields,
    SiteFields,
    clean_contact,
    clean_site,
    email,
    postal_code,
    required_text,
)

NICE = SiteFields("Agence  Nice ", " 2 promenade des Anglais", "06000", " Nice", "04 93 00 00 02")
CONTACT = ContactFields(" Marie Martin ", "marie.martin@cabinet-azur.example", "06 12 34 56 78")


def test_a_site_with_every_field_valid_is_normalised() -> None:
    assert clean_site(NICE) == SiteFields(
        "Agence Nice", "2 promenade des Anglais", "06000", "Nice", "+33493000002"
    )


@pytest.mark.parametrize("phone", [None, "", "   "])
def test_the_phone_of_a_site_is_optional(phone: str | None) -> None:
    assert clean_site(replace(NICE, phone=phone)).phone is None


@pytest.mark.parametrize("field", ["name", "street", "city"])
@pytest.mark.parametrize("value", ["", "   ", None])
def test_a_site_without_name_street_or_city_is_refused_naming_the_field(
    field: str, value: str | None
) -> None:
    with pytest.raises(InvalidField) as caught:
        clean_site(replace(NICE, **{field: value}))
    assert (caught.value.field, caught.value.reason) == (field, "empty")


def test_a_site_name_longer_than_the_portal_allows_is_refused() -> None:
    with pytest.raises(InvalidField) as caught:
        clean_site(replace(NICE, name="A" * 121))
    assert caught.value.field == "name"
    assert "120" in caught.value.reason


def test_a_street_may_be_longer_than_a_name_but_not_without_limit() -> None:
    assert clean_site(replace(NICE, street="r" * 200)).street == "r" * 200
    with pytest.raises(InvalidField) as caught:
        clean_site(replace(NICE, street="r" * 201))
    assert caught.value.field == "street"


@pytest.mark.parametrize("code", ["1300", "130010", "00100", "96000", "13A01", "ABCDE", ""])
def test_a_site_with_a_postal_code_of_no_department_is_refused(code: str) -> None:
    with pytest.raises(InvalidPostalCode) as caught:
        clean_site(replace(NICE, postal_code=code))
    assert caught.value.value == code


@pytest.mark.parametrize("phone", ["04 93", "+44 20 7946 0958", "telephone"])
def test_a_site_with_a_malformed_phone_is_refused(phone: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as caught:
        clean_site(replace(NICE, phone=phone))
    assert caught.value.value == phone


@pytest.mark.parametrize(
    ("typed", "kept"), [("13001", "13001"), (" 13 001 ", "13001"), ("20200", "20200")]
)
def test_a_postal_code_is_kept_without_spaces(typed: str, kept: str) -> None:
    assert postal_code(typed) == kept


@pytest.mark.parametrize("value", [None, 13.001, True])
def test_a_postal_code_that_is_not_text_is_refused(value: object) -> None:
    with pytest.raises(InvalidPostalCode):
        postal_code(value)


def test_required_text_collapses_inner_spaces() -> None:
    assert required_text("city", "  Aix-en-  Provence ") == "Aix-en- Provence"


@pytest.mark.parametrize("value", [42, ["Nice"], b"Nice"])
def test_required_text_refuses_what_is_not_text(value: object) -> None:
    with pytest.raises(InvalidField) as caught:
        required_text("city", value)
    assert caught.value.field == "city"


def test_a_contact_with_every_field_valid_is_normalised() -> None:
    assert clean_contact(CONTACT) == ContactFields(
        "Marie Martin", "marie.martin@cabinet-azur.example", "+33612345678"
    )


@pytest.mark.parametrize(
    "value", ["", "marie", "marie@", "@cabinet-azur.example", "marie@azur", "a b@azur.fr", None]
)
def test_a_contact_with_an_invalid_email_is_refused(value: str | None) -> None:
    with pytest.raises(InvalidEmail):
        clean_contact(replace(CONTACT, email=value))


def test_an_email_keeps_its_local_part_and_lowers_its_domain() -> None:
    assert email(" IT@Cabinet-Azur.EXAMPLE ") == "IT@cabinet-azur.example"


@pytest.mark.parametrize("phone", ["", "06 12", "+44 20 7946 0958", None])
def test_a_contact_with_an_invalid_or_missing_phone_is_refused(phone: str | None) -> None:
    with pytest.raises(InvalidPhoneNumber):
        clean_contact(replace(CONTACT, phone=phone))


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_contact_without_a_name_is_refused(name: str | None) -> None:
    with pytest.raises(InvalidField) as caught:
        clean_contact(replace(CONTACT, name=name))
    assert caught.value.field == "name"
