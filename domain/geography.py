"""French departments, postal codes and the geographic numbering zone of each department."""

from __future__ import annotations

import re

# Departments of each geographic numbering zone (ARCEP plan: 01 to 05).
_ZONES: dict[int, frozenset[str]] = {
    1: frozenset(["75", "77", "78", "91", "92", "93", "94", "95"]),
    2: frozenset(
        [
            "14",
            "18",
            "22",
            "27",
            "28",
            "29",
            "35",
            "36",
            "37",
            "41",
            "44",
            "45",
            "49",
            "50",
            "53",
            "56",
            "61",
            "72",
            "76",
            "85",
            "974",
            "976",
        ]
    ),
    3: frozenset(
        [
            "02",
            "08",
            "10",
            "21",
            "25",
            "39",
            "51",
            "52",
            "54",
            "55",
            "57",
            "58",
            "59",
            "60",
            "62",
            "67",
            "68",
            "70",
            "71",
            "80",
            "88",
            "89",
            "90",
        ]
    ),
    4: frozenset(
        [
            "01",
            "03",
            "04",
            "05",
            "06",
            "07",
            "11",
            "13",
            "15",
            "2A",
            "2B",
            "26",
            "30",
            "34",
            "38",
            "42",
            "43",
            "48",
            "63",
            "66",
            "69",
            "73",
            "74",
            "83",
            "84",
        ]
    ),
    5: frozenset(
        [
            "09",
            "12",
            "16",
            "17",
            "19",
            "23",
            "24",
            "31",
            "32",
            "33",
            "40",
            "46",
            "47",
            "64",
            "65",
            "79",
            "81",
            "82",
            "86",
            "87",
            "971",
            "972",
            "973",
        ]
    ),
}
_DEPARTMENT_ZONE = {dept: zone for zone, depts in _ZONES.items() for dept in depts}
_POSTAL_CODE = re.compile(r"\d{5}")


def department_of(postal_code: str) -> str | None:
    """Return the department of a 5-digit French postal code, or None if it names none."""
    if not _POSTAL_CODE.fullmatch(postal_code):
        return None
    if postal_code.startswith("20"):
        dept = "2A" if postal_code[2] in "01" else "2B"
    elif postal_code.startswith("97"):
        dept = postal_code[:3]
    else:
        dept = postal_code[:2]
    return dept if dept in _DEPARTMENT_ZONE else None


def zone_of_postal_code(postal_code: str) -> int | None:
    """Return the numbering zone (1 to 5) of the department of a postal code."""
    dept = department_of(postal_code)
    return _DEPARTMENT_ZONE.get(dept) if dept else None
