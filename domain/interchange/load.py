"""Loading rows into the database: checked, matched by reference, all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.errors import DomainError
from domain.interchange.rows import KINDS, Row, clean, dump, key_of, parse_iso, safe_key
from domain.model import (
    Base,
    Client,
    Contact,
    Licence,
    LicenceState,
    Number,
    Offer,
    Order,
    OrderLine,
    ProductSheet,
    Reseller,
    Service,
    Site,
)
from domain.persistence.uow import UnitOfWork
from domain.queries import site_key
from domain.services.audit import record

MODELS: dict[str, type[Base]] = {
    "reseller": Reseller,
    "client": Client,
    "site": Site,
    "contact": Contact,
    "service": Service,
    "offer": Offer,
    "licence": Licence,
    "number": Number,
    "order": Order,
}
OUTCOMES = ("created", "updated", "unchanged")


@dataclass(frozen=True)
class SourceRow:
    """A row as read: where it comes from (file and line) and the JSON value found there."""

    source: str
    line: int
    data: Any


@dataclass(frozen=True, order=True)
class RowError:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(eq=False)
class ImportRejected(DomainError):
    """The rows hold errors: nothing was written. ``errors`` lists every one, in file order."""

    errors: tuple[RowError, ...] = ()
    code = "import_rejected"

    def __str__(self) -> str:
        return f"{len(self.errors)} error(s), the first: {self.errors[0]}" if self.errors else ""


@dataclass
class ImportReport:
    """How many objects of each kind an import created, updated or left unchanged."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {kind: Counter() for kind in KINDS}
    )
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def totals(self, outcome: str) -> dict[str, int]:
        return {kind: c[outcome] for kind, c in self.counts.items() if c[outcome]}


class _Refused(Exception):
    """A row that cannot be loaded as it stands (a reference or a rule across rows)."""


def import_rows(
    uow: UnitOfWork, actor: Actor, rows: Iterable[SourceRow], *, dry_run: bool = False
) -> ImportReport:
    """Check every row, then create or update objects by reference in one transaction.

    Raises :class:`ImportRejected` with every error when a row is wrong: nothing is written.
    With ``dry_run`` the report says what would change and nothing is written either.
    """
    actor.require_operator("import_data")
    rows = list(rows)
    loader = _Loader(uow.session)
    cleaned, errors = _clean_all(rows, loader.rejected)
    report = ImportReport(dry_run=dry_run)
    with uow.session.no_autoflush:
        for kind in KINDS:
            for source, row in cleaned[kind]:
                try:
                    report.counts[kind][loader.apply(row)] += 1
                except _Refused as refusal:
                    loader.rejected.add((kind, *key_of(row)))
                    if refusal.args:  # none when it names a row refused already
                        errors.append(RowError(source.source, source.line, f"{kind}: {refusal}"))
    in_file = {row["sda"] for _, row in cleaned["number"]}
    errors.extend(loader.cancelled_with_numbers(cleaned["licence"], in_file))
    if errors:
        uow.rollback()
        raise ImportRejected(tuple(sorted(errors)))
    uow.flush()
    if report.changed:
        record(
            uow.session,
            actor,
            "import_data",
            client_id=None,
            objects=sorted({r.source for r in rows}),
            before={},
            after={"created": report.totals("created"), "updated": report.totals("updated")},
        )
    if dry_run:
        uow.rollback()
    else:
        uow.commit()
    return report


def _clean_all(
    rows: list[SourceRow], rejected: set[tuple[str, ...]]
) -> tuple[dict[str, list[tuple[SourceRow, Row]]], list[RowError]]:
    """Every row checked alone; the keys of rows refused go to ``rejected``."""
    cleaned: dict[str, list[tuple[SourceRow, Row]]] = {kind: [] for kind in KINDS}
    errors: list[RowError] = []
    seen: dict[tuple[str, ...], SourceRow] = {}
    for source in rows:
        if not isinstance(source.data, dict):
            errors.append(RowError(source.source, source.line, "not a JSON object"))
            continue
        row, problems = clean(source.data)
        label = source.data.get("kind")
        errors.extend(RowError(source.source, source.line, f"{label}: {p}") for p in problems)
        if row is None:
            continue
        if problems:
            rejected.add((row["kind"], *(safe_key(row) or ())))
            continue
        key = (row["kind"], *key_of(row))
        first = seen.setdefault(key, source)
        if first is not source:
            where = f"{first.source}:{first.line}"
            errors.append(RowError(source.source, source.line, f"{label}: same as {where}"))
            continue
        cleaned[row["kind"]].append((source, row))
    return cleaned, errors


class _Loader:
    """Every object of the model indexed by its natural key, and the rules across rows."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rejected: set[tuple[str, ...]] = set()  # (kind, *key) of the rows refused
        self.index: dict[str, dict[tuple[str, ...], Any]] = {}
        for kind in KINDS:  # in this order, many-to-one links resolve from the identity map
            objects = session.scalars(select(MODELS[kind])).all()
            self.index[kind] = {_object_key(kind, obj): obj for obj in objects}

    def apply(self, row: Row) -> str:
        kind, key = row["kind"], key_of(row)
        existing = self.index[kind].get(key)
        if existing is not None and dump(existing) == row:
            return "unchanged"
        obj = existing if existing is not None else MODELS[kind]()
        getattr(self, f"_set_{kind}")(obj, row)
        if existing is None:
            self.session.add(obj)
            self.index[kind][key] = obj
            return "created"
        return "updated"

    def cancelled_with_numbers(
        self, licences: list[tuple[SourceRow, Row]], checked: set[str]
    ) -> list[RowError]:
        """A cancelled licence holds no number; the numbers of the file were checked already."""
        held = {
            n.licence.id: n.e164
            for n in self.index["number"].values()
            if n.licence and n.e164 not in checked
        }
        return [
            RowError(
                src.source,
                src.line,
                f"licence: {row['id']} is cancelled but holds the number {held[row['id']]}",
            )
            for src, row in licences
            if row["state"] == LicenceState.CANCELLED and row["id"] in held
        ]

    def _find(self, kind: str, key: tuple[str, ...], label: str) -> Any:
        found = self.index[kind].get(key)
        if found is None and (kind, *key) in self.rejected:
            raise _Refused()  # its own error says why
        if found is None:
            raise _Refused(f"unknown {kind} {label!r}")
        return found

    def _set_reseller(self, reseller: Reseller, row: Row) -> None:
        reseller.name = row["name"]

    def _set_client(self, client: Client, row: Row) -> None:
        reseller = self._find("reseller", (row["reseller"].casefold(),), row["reseller"])
        client.account_ref, client.name, client.reseller = row["account_ref"], row["name"], reseller

    def _set_site(self, site: Site, row: Row) -> None:
        site.client = self._find("client", (row["client"],), row["client"])
        site.name, site.name_key = row["name"], site_key(row["name"])
        site.street, site.postal_code, site.city = row["street"], row["postal_code"], row["city"]
        site.phone = row["phone"]

    def _set_contact(self, contact: Contact, row: Row) -> None:
        contact.client = self._find("client", (row["client"],), row["client"])
        contact.name, contact.email, contact.phone = row["name"], row["email"], row["phone"]

    def _set_service(self, service: Service, row: Row) -> None:
        client = self._find("client", (row["client"],), row["client"])
        site = self._site_of(client, row["site"])
        service.ref, service.name, service.type = row["ref"], row["name"], row["type"]
        service.client, service.site, service.state = client, site, row["state"]

    def _set_offer(self, offer: Offer, row: Row) -> None:
        service = self._find("service", (row["service"],), row["service"])
        other = next((o for o in self.index["offer"].values() if o.service is service), None)
        if other is not None and other is not offer:
            raise _Refused(f"service {service.ref} already has the offer {other.ref}")
        offer.ref, offer.service = row["ref"], service
        current = {p.name.casefold(): p for p in offer.products}
        wanted = {p["name"].casefold(): p for p in row["products"]}
        for name, product in current.items():
            if name not in wanted:
                offer.products.remove(product)
                self.session.delete(product)
        for name, item in wanted.items():
            sheet = current.get(name) or ProductSheet(offer=offer)
            sheet.name, sheet.active = item["name"], item["active"]

    def _set_licence(self, licence: Licence, row: Row) -> None:
        service = self._find("service", (row["service"],), row["service"])
        site = self._site_of(service.client, row["site"])
        licence.id, licence.type, licence.state = row["id"], row["type"], row["state"]
        licence.service, licence.site = service, site

    def _set_number(self, number: Number, row: Row) -> None:
        offer = self._find("offer", (row["offer"],), row["offer"])
        licence = None
        if row["licence"]:
            licence = self._find("licence", (row["licence"],), row["licence"])
            if licence.state == LicenceState.CANCELLED:
                raise _Refused(f"licence {licence.id} is cancelled: it holds no number")
            if licence.service is not offer.service:
                raise _Refused(
                    f"licence {licence.id} is not of the service of offer {offer.ref} "
                    f"({offer.service.ref})"
                )
            holder = next((n for n in self.index["number"].values() if n.licence is licence), None)
            if holder is not None and holder is not number:
                raise _Refused(f"licence {licence.id} already holds the number {holder.e164}")
        number.e164, number.state = row["sda"], row["state"]
        number.offer, number.licence = offer, licence

    def _set_order(self, order: Order, row: Row) -> None:
        offer = self._find("offer", (row["offer"],), row["offer"])
        client = offer.service.client
        contact = self.index["contact"].get((client.account_ref, row["contact"].casefold()))
        if contact is None:
            raise _Refused(f"{row['contact']} is not a contact of {client.account_ref}")
        order.ref, order.status = row["ref"], row["status"]
        order.offer, order.contact = offer, contact
        order.created_by = row["created_by"]
        order.created_at = datetime.fromisoformat(row["created_at"])
        order.notified_to, order.notified_at = row["notified_to"], parse_iso(row["notified_at"])
        order.validated_by = row["validated_by"]
        order.validated_at = parse_iso(row["validated_at"])
        order.request_channel = row["request_channel"]
        order.ended_by, order.ended_at = row["ended_by"], parse_iso(row["ended_at"])
        order.end_reason = row["end_reason"]
        lines = [(line["kind"], line["ref"]) for line in row["lines"]]
        if sorted((x.kind, x.ref) for x in order.lines) != lines:
            order.lines = [OrderLine(kind=kind, ref=ref) for kind, ref in lines]

    def _site_of(self, client: Client, name: str) -> Site:
        site: Site = self._find("site", (client.account_ref, site_key(name)), f"{name}")
        return site


def _object_key(kind: str, obj: Any) -> tuple[str, ...]:
    if kind == "reseller":
        return (obj.name.casefold(),)
    if kind == "client":
        return (obj.account_ref,)
    if kind == "site":
        return (obj.client.account_ref, obj.name_key)
    if kind == "contact":
        return (obj.client.account_ref, obj.email.casefold())
    if kind == "licence":
        return (obj.id,)
    if kind == "number":
        return (obj.e164,)
    return (obj.ref,)
