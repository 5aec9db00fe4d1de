"""French numbers (SDA) in E.164, departments of postal codes and numbering zones."""

from __future__ import annotations

import pytest

from domain.errors import InvalidPhoneNumber
from domain.geography import department_of, zone_of_postal_code
from domain.phone import geographic_zone, is_french_number, national_format, to_e164


@pytest.mark.parametrize(
    "raw",
    [
        "04 91 00 00 01",
        "0491000001",
        "+33 4 91 00 00 01",
        "+33491000001",
        "0033491000001",
        "00 33 4 91 00 00 01",
        "+33 (0)4 91 00 00 01",
        "04.91.00.00.01",
        "04-91-00-00-01",
        "  04 91 00 00 01  ",
    ],
)
def test_a_french_number_in_any_common_form_is_stored_in_e164(raw: str) -> None:
    assert to_e164(raw) == "+33491000001"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("01 45 00 00 01", "+33145000001"),
        ("06 12 34 56 78", "+33612345678"),
        ("07 56 12 34 56", "+33756123456"),
        ("09 72 00 00 01", "+33972000001"),
        ("0800 00 00 01", "+33800000001"),
    ],
)
def test_geographic_mobile_and_non_geographic_numbers_are_all_accepted(raw: str, e164: str) -> None:
    assert to_e164(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "04 91 00 00",
        "04 91 00 00 01 2",
        "0491000001x",
        "04 91 OO OO 01",
        "+44 20 7946 0958",
        "0044 20 7946 0958",
        "+1 212 555 0100",
        "00 00 00 00 00",
        "+33",
        "++33491000001",
    ],
)
def test_a_malformed_or_foreign_number_is_refused_with_what_was_typed(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as caught:
        to_e164(raw)
    assert caught.value.value == raw


def test_is_french_number_tells_valid_numbers_from_others() -> None:
    assert is_french_number("04 91 00 00 01")
    assert not is_french_number("04 91 00")


def test_a_number_is_shown_as_people_read_it() -> None:
    assert national_format("+33491000001") == "04 91 00 00 01"


@pytest.mark.parametrize(
    ("e164", "zone"),
    [
        ("+33145000001", 1),
        ("+33231000001", 2),
        ("+33388000001", 3),
        ("+33491000001", 4),
        ("+33556000001", 5),
        ("+33612345678", None),
        ("+33712345678", None),
        ("+33800000001", None),
        ("+33972000001", None),
        ("+442079460958", None),
    ],
)
def test_only_01_to_05_numbers_have_a_numbering_zone(e164: str, zone: int | None) -> None:
    assert geographic_zone(e164) == zone


@pytest.mark.parametrize(
    ("postal_code", "department"),
    [
        ("01000", "01"),
        ("13001", "13"),
        ("13100", "13"),
        ("06400", "06"),
        ("75008", "75"),
        ("95000", "95"),
        ("20000", "2A"),
        ("20090", "2A"),
        ("20100", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        ("97100", "971"),
        ("97200", "972"),
        ("97300", "973"),
        ("97400", "974"),
        ("97600", "976"),
    ],
)
def test_a_postal_code_names_its_department(postal_code: str, department: str) -> None:
    assert department_of(postal_code) == department


@pytest.mark.parametrize(
    "postal_code",
    [
        "00100",
        "00000",
        "96000",
        "96100",
        "97500",  # Saint-Pierre-et-Miquelon: an overseas collectivity, not a department
        "97700",
        "98000",
        "99999",
        "1300",
        "130010",
        "13A01",
        "ABCDE",
        "2A000",
        "",
        " 13001",
    ],
)
def test_a_postal_code_of_no_french_department_is_refused(postal_code: str) -> None:
    assert department_of(postal_code) is None
    assert zone_of_postal_code(postal_code) is None


def test_every_department_of_metropolitan_france_is_accepted_with_a_zone() -> None:
    codes = [f"{d:02d}000" for d in range(1, 96) if d != 20] + ["20000", "20200"]
    departments = {department_of(code) for code in codes}
    assert len(departments) == 96
    assert None not in departments
    assert {zone_of_postal_code(code) for code in codes} == {1, 2, 3, 4, 5}


@pytest.mark.parametrize(
    ("postal_code", "zone"),
    [
        ("75008", 1),
        ("92100", 1),
        ("35000", 2),
        ("44000", 2),
        ("67000", 3),
        ("59000", 3),
        ("13001", 4),
        ("69001", 4),
        ("20000", 4),
        ("20200", 4),
        ("33000", 5),
        ("31000", 5),
        ("97400", 2),
        ("97600", 2),
        ("97100", 5),
        ("97300", 5),
    ],
)
def test_a_postal_code_belongs_to_the_numbering_zone_of_its_department(
    postal_code: str, zone: int
) -> None:
    assert zone_of_postal_code(postal_code) == zone
