"""The interchange format: one row per object, its canonical form, and how each kind is checked.

A row is a JSON object with a ``kind``. ``clean(kind, raw)`` checks a row read from a file and
returns its canonical form; ``dump(obj)`` gives the canonical form of an object of the database.
An object is unchanged by an import exactly when both forms are equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from operator import attrgetter
from typing import Any

from domain.catalog import SERVICE_TYPE
from domain.interchange.fields import Fields
from domain.model import (
    Client,
    Contact,
    Licence,
    LicenceState,
    Number,
    NumberState,
    Offer,
    Order,
    OrderStatus,
    RequestChannel,
    Reseller,
    Service,
    ServiceState,
    Site,
    as_utc,
)
from domain.queries import site_key
from domain.validation import MAX_NAME, MAX_STREET

Row = dict[str, Any]
# The kinds in the order they are loaded: each refers only to kinds before it.
KINDS = ("reseller", "client", "site", "contact", "service", "offer", "licence", "number", "order")


def key_of(row: Row) -> tuple[str, ...]:
    """The natural key of a canonical row: what an import matches existing objects by."""
    kind = row["kind"]
    if kind == "reseller":
        return (row["name"].casefold(),)
    if kind == "site":
        return (row["client"], site_key(row["name"]))
    if kind == "contact":
        return (row["client"], row["email"].casefold())
    if kind == "licence":
        return (row["id"],)
    if kind == "number":
        return (row["sda"],)
    if kind == "client":
        return (row["account_ref"],)
    return (row["ref"],)


def clean(raw: Mapping[str, Any]) -> tuple[Row | None, list[str]]:
    """The canonical row and every error found in it (the row is usable only without errors;
    with errors its wrong fields are None). None for a row of no known kind."""
    kind = raw.get("kind")
    cleaner = _CLEANERS.get(kind) if isinstance(kind, str) else None
    if cleaner is None:
        return None, [f"kind: {kind!r} is not one of {', '.join(KINDS)}"]
    return cleaner(raw)


def safe_key(row: Row) -> tuple[str, ...] | None:
    """The key of a row that may hold errors, when its key fields are sound."""
    try:
        return key_of(row)
    except (AttributeError, TypeError):
        return None


Getter = Callable[[Fields, str], Any]


def _text(max_length: int) -> Getter:
    return lambda f, name: f.text(name, max_length)


def _ref(max_length: int = 50) -> Getter:
    return lambda f, name: f.reference(name, max_length)


_SPECS: dict[str, tuple[tuple[str, Getter], ...]] = {
    "reseller": (("name", _text(200)),),
    "client": (("account_ref", _ref()), ("name", _text(200)), ("reseller", _text(200))),
    "site": (
        ("client", _ref()),
        ("name", _text(MAX_NAME)),
        ("street", _text(MAX_STREET)),
        ("postal_code", Fields.postal_code),
        ("city", _text(MAX_NAME)),
        ("phone", Fields.optional_phone),
    ),
    "contact": (
        ("client", _ref()),
        ("name", _text(MAX_NAME)),
        ("email", Fields.email),
        ("phone", Fields.phone),
    ),
    "service": (
        ("ref", _ref()),
        ("name", _text(200)),
        ("client", _ref()),
        ("site", _text(MAX_NAME)),
        ("type", lambda f, name: f.raw.get(name, SERVICE_TYPE)),
        ("state", lambda f, name: f.state(name, ServiceState, ServiceState.ACTIVE)),
    ),
    "licence": (
        ("id", _ref(20)),
        ("type", Fields.licence_type),
        ("service", _ref()),
        ("site", _text(MAX_NAME)),
        ("state", lambda f, name: f.state(name, LicenceState, LicenceState.ACTIVE)),
    ),
    "number": (
        ("sda", Fields.phone),
        ("offer", _ref()),
        ("licence", lambda f, name: f.optional_reference(name, 20)),
        ("state", lambda f, name: f.state(name, NumberState, NumberState.IN_SERVICE)),
    ),
}


def _by_spec(kind: str, raw: Mapping[str, Any], extra: tuple[str, ...] = ()) -> tuple[Row, Fields]:
    spec = _SPECS[kind]
    f = Fields(raw, (*(name for name, _ in spec), *extra))
    return {"kind": kind, **{name: get(f, name) for name, get in spec}}, f


def _plain(kind: str) -> Callable[[Mapping[str, Any]], tuple[Row, list[str]]]:
    def cleaner(raw: Mapping[str, Any]) -> tuple[Row, list[str]]:
        row, f = _by_spec(kind, raw)
        return row, f.errors

    return cleaner


def _service(raw: Mapping[str, Any]) -> tuple[Row, list[str]]:
    row, f = _by_spec("service", raw)
    if row["type"] != SERVICE_TYPE:
        f.errors.append(f"type: {row['type']!r} is not {SERVICE_TYPE!r}")
    return row, f.errors


def _number(raw: Mapping[str, Any]) -> tuple[Row, list[str]]:
    row, f = _by_spec("number", raw)
    if row["licence"] and row["state"] == NumberState.RELEASED:
        f.errors.append("licence: a released number is associated with no licence")
    return row, f.errors


def _offer(raw: Mapping[str, Any]) -> tuple[Row, list[str]]:
    f = Fields(raw, ("ref", "service", "products"))
    products: list[Row] = []
    for index, item in enumerate(f.items("products"), start=1):
        p = Fields(item, ("name", "active"))
        products.append({"name": p.text("name", 200), "active": p.flag("active", True)})
        f.errors.extend(f"products[{index}].{error}" for error in p.errors)
    names = [str(p["name"]).casefold() for p in products if p["name"]]
    if len(set(names)) != len(names):
        f.errors.append("products: a product sheet is listed twice")
    row = {
        "kind": "offer",
        "ref": f.reference("ref"),
        "service": f.reference("service"),
        "products": sorted(products, key=_by_name),
    }
    return row, f.errors


_ORDER_LIFE = ("request_channel", "ended_by", "ended_at", "end_reason")  # how it ended, if it did


def _order(raw: Mapping[str, Any]) -> tuple[Row, list[str]]:
    names = ("ref", "offer", "contact", "status", "created_by", "created_at")
    optional = ("notified_to", "notified_at", "validated_by", "validated_at", *_ORDER_LIFE)
    f = Fields(raw, (*names, *optional, "lines"))
    lines: list[Row] = []
    for index, item in enumerate(f.items("lines"), start=1):
        line = Fields(item, ("kind", "ref"))
        lines.append({"kind": _line_kind(line, item), "ref": line.text("ref", 200)})
        f.errors.extend(f"lines[{index}].{error}" for error in line.errors)
    row = {
        "kind": "order",
        "ref": f.reference("ref", 30),
        "offer": f.reference("offer"),
        "contact": f.email("contact"),
        "status": f.state("status", OrderStatus),
        "created_by": f.text("created_by", 80),
        "created_at": f.moment("created_at"),
        "notified_to": f.optional_email("notified_to"),
        "notified_at": f.optional_moment("notified_at"),
        "validated_by": f.optional_text("validated_by", 80),
        "validated_at": f.optional_moment("validated_at"),
        "request_channel": f.state("request_channel", RequestChannel, RequestChannel.PORTAL),
        "ended_by": f.optional_text("ended_by", 80),
        "ended_at": f.optional_moment("ended_at"),
        "end_reason": f.optional_text("end_reason", 60),
        "lines": sorted(lines, key=_by_kind_and_ref),
    }
    return row, f.errors


_LINE_KINDS = ("product_sheet", "number", "licence")


def _by_name(product: Row) -> str:
    return str(product["name"] or "").casefold()


def _by_kind_and_ref(line: Row) -> tuple[str, str]:
    return str(line["kind"]), str(line["ref"] or "")


def _line_kind(line: Fields, item: Mapping[str, Any]) -> str:
    kind = item.get("kind")
    if kind not in _LINE_KINDS:
        line.errors.append(f"kind: {kind!r} is not one of {', '.join(_LINE_KINDS)}")
    return str(kind)


_CLEANERS: dict[str, Callable[[Mapping[str, Any]], tuple[Row, list[str]]]] = {
    "reseller": _plain("reseller"),
    "client": _plain("client"),
    "site": _plain("site"),
    "contact": _plain("contact"),
    "service": _service,
    "offer": _offer,
    "licence": _plain("licence"),
    "number": _number,
    "order": _order,
}


# Where each field of a row is found on its object (a dotted path), for the kinds dumped plainly.
_PATHS: dict[type[Any], tuple[str, tuple[tuple[str, str], ...]]] = {
    Reseller: ("reseller", (("name", "name"),)),
    Client: (
        "client",
        (("account_ref", "account_ref"), ("name", "name"), ("reseller", "reseller.name")),
    ),
    Site: (
        "site",
        (
            ("client", "client.account_ref"),
            *((name, name) for name in ("name", "street", "postal_code", "city", "phone")),
        ),
    ),
    Contact: (
        "contact",
        (("client", "client.account_ref"), *((name, name) for name in ("name", "email", "phone"))),
    ),
    Service: (
        "service",
        (
            ("ref", "ref"),
            ("name", "name"),
            ("client", "client.account_ref"),
            ("site", "site.name"),
            ("type", "type"),
            ("state", "state"),
        ),
    ),
    Licence: (
        "licence",
        (
            ("id", "id"),
            ("type", "type"),
            ("service", "service.ref"),
            ("site", "site.name"),
            ("state", "state"),
        ),
    ),
    Number: (
        "number",
        (("sda", "e164"), ("offer", "offer.ref"), ("licence", "licence_id"), ("state", "state")),
    ),
}


def dump(obj: Any) -> Row:
    """The canonical row of an object of the model."""
    if isinstance(obj, Offer):
        return {
            "kind": "offer",
            "ref": obj.ref,
            "service": obj.service.ref,
            "products": sorted(
                ({"name": p.name, "active": p.active} for p in obj.products), key=_by_name
            ),
        }
    if isinstance(obj, Order):
        return _dump_order(obj)
    kind, paths = _PATHS[type(obj)]
    return {"kind": kind, **{name: _plain_value(attrgetter(path)(obj)) for name, path in paths}}


def _plain_value(value: Any) -> Any:
    return str(value) if isinstance(value, str) else value  # a state enum as its text


def _dump_order(order: Order) -> Row:
    return {
        "kind": "order",
        "ref": order.ref,
        "offer": order.offer.ref,
        "contact": order.contact.email,
        "status": str(order.status),
        "created_by": order.created_by,
        "created_at": iso(order.created_at),
        "notified_to": order.notified_to,
        "notified_at": iso(order.notified_at),
        "validated_by": order.validated_by,
        "validated_at": iso(order.validated_at),
        "request_channel": str(order.request_channel),
        "ended_by": order.ended_by,
        "ended_at": iso(order.ended_at),
        "end_reason": order.end_reason,
        "lines": sorted(
            ({"kind": line.kind, "ref": line.ref} for line in order.lines), key=_by_kind_and_ref
        ),
    }


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC (SQLite gives back naive datetimes: they were stored in UTC)."""
    if moment is None:
        return None
    return as_utc(moment).isoformat()


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
