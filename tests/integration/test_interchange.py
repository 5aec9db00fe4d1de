"""Data in and out: import of a realistic data set, idempotence, refusals, export round-trip."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.database import Database, open_database
from domain import services
from domain.catalog import LICENCE_TYPES
from domain.commands import CancelStarterPack
from domain.errors import Forbidden
from domain.interchange import (
    ImportRejected,
    ImportReport,
    SourceRow,
    export_rows,
    import_rows,
    read_rows,
    write_rows,
)
from domain.model import Order
from tests.conftest import ALPHA, OPERATOR_ACTOR
from tests.helpers import audit_entries, cancel, contact_id, count, run, snapshot

runner = CliRunner()
CITIES = [("13001", "Marseille", "491"), ("69003", "Lyon", "478"), ("75011", "Paris", "144")]


def realistic_rows(clients: int = 18) -> list[dict[str, Any]]:
    """Three resellers and their clients: sites, contacts, services, offers, licences, numbers."""
    rows: list[dict[str, Any]] = [
        {"kind": "reseller", "name": name} for name in ("Alpha Télécom", "Beta Réseaux", "Gamma")
    ]
    types = list(LICENCE_TYPES)
    for c in range(clients):
        account, ref = f"CA-{3000 + c}", f"{3000 + c}"
        postal, city, prefix = CITIES[c % len(CITIES)]
        reseller = rows[c % 3]["name"]
        rows.append(
            {"kind": "client", "account_ref": account, "name": f"Client {c}", "reseller": reseller}
        )
        for s, site in enumerate(("Siège", "Agence")):
            rows.append(
                {
                    "kind": "site",
                    "client": account,
                    "name": site,
                    "street": f"{s + 1} rue {c}",
                    "postal_code": postal,
                    "city": city,
                    "phone": f"0{prefix[0]} {prefix[1:]} {c:02d} {s:02d} 00" if s == 0 else None,
                }
            )
        rows.append(
            {
                "kind": "contact",
                "client": account,
                "name": "Accueil",
                "email": f"accueil@client{c}.example",
                "phone": f"0{prefix[0]} {prefix[1:]} {c:02d} 99 99",
            }
        )
        rows.append(
            {
                "kind": "service",
                "ref": f"SRV-{ref}",
                "name": f"MetaCentrex {c}",
                "client": account,
                "site": "Siège",
            }
        )
        products = [{"name": "Starter Pack", "active": True}]
        if c % 2:
            products.append({"name": "Option enregistrement des appels", "active": c % 4 == 1})
        rows.append(
            {"kind": "offer", "ref": f"OFF-{ref}", "service": f"SRV-{ref}", "products": products}
        )
        for n in range(8):
            licence = f"FPC{ref}{n:02d}"
            rows.append(
                {
                    "kind": "licence",
                    "id": licence,
                    "type": types[(c + n) % len(types)],
                    "service": f"SRV-{ref}",
                    "site": "Agence" if n == 7 else "Siège",
                    "state": "cancelled" if n == 6 else "active",
                }
            )
            if n < 5:
                rows.append(
                    {
                        "kind": "number",
                        "sda": f"+33{prefix}{c:02d}{n:02d}{n}{n}",
                        "offer": f"OFF-{ref}",
                        "licence": licence if n < 4 else None,
                    }
                )
        if c % 6 == 0:
            rows.append(
                {
                    "kind": "order",
                    "ref": f"CMD-{ref}",
                    "offer": f"OFF-{ref}",
                    "contact": f"accueil@client{c}.example",
                    "status": "awaiting_signature",
                    "created_by": "revendeur-alpha",
                    "created_at": "2026-11-02T09:30:00+00:00",
                    "notified_to": f"accueil@client{c}.example",
                    "notified_at": "2026-11-02T09:30:01.250000+00:00",
                    "lines": [{"kind": "product_sheet", "ref": "Starter Pack"}],
                }
            )
    return rows


def sources(rows: list[dict[str, Any]], name: str = "data.jsonl") -> list[SourceRow]:
    return [SourceRow(name, line, row) for line, row in enumerate(rows, start=1)]


def load(db: Database, rows: list[SourceRow], *, dry_run: bool = False) -> ImportReport:
    with db.uow() as uow:
        return import_rows(uow, OPERATOR_ACTOR, rows, dry_run=dry_run)


@pytest.fixture
def empty(empty_url: str) -> Iterator[Database]:
    database = open_database(empty_url)
    yield database
    database.dispose()


def test_a_realistic_data_set_is_imported_and_a_second_import_changes_nothing(
    empty: Database,
) -> None:
    rows = realistic_rows()
    assert len(rows) > 300
    report = load(empty, sources(rows))
    assert report.totals("created") == {
        "reseller": 3,
        "client": 18,
        "site": 36,
        "contact": 18,
        "service": 18,
        "offer": 18,
        "licence": 144,
        "number": 90,
        "order": 3,
    }
    assert count(empty, Order) == 3
    assert [e.action for e in audit_entries(empty)] == ["import_data"]
    before = snapshot(empty)
    again = load(empty, sources(rows))
    assert not again.changed
    assert sum(c["unchanged"] for c in again.counts.values()) == len(rows)
    assert snapshot(empty) == before


def test_an_import_updates_what_changed_by_reference_and_reports_it(empty: Database) -> None:
    rows = realistic_rows(3)
    load(empty, sources(rows))
    site = next(r for r in rows if r["kind"] == "site")
    site["street"] = "99 boulevard National"
    licence = next(r for r in rows if r["kind"] == "licence" and r["state"] == "active")
    licence["site"] = "Agence"
    rows.append({"kind": "reseller", "name": "Delta"})
    report = load(empty, sources(rows))
    assert report.totals("updated") == {"site": 1, "licence": 1}
    assert report.totals("created") == {"reseller": 1}
    with empty.uow() as uow:
        details = services.service_details(uow, OPERATOR_ACTOR, licence["service"])
    moved = next(x for x in details.licences if x.id == licence["id"])
    assert moved.site == "Agence"


def test_a_dry_run_reports_and_writes_nothing(empty: Database) -> None:
    before = snapshot(empty)
    report = load(empty, sources(realistic_rows(2)), dry_run=True)
    assert report.totals("created")["licence"] == 16
    assert snapshot(empty) == before


BAD_ROWS: list[tuple[dict[str, Any], str]] = [
    (
        {
            "kind": "site",
            "client": "CA-3000",
            "name": "X",
            "street": "1 rue",
            "postal_code": "13001",
            "city": "Marseille",
            "phone": "04 91",
        },
        "site: phone: '04 91' is not a valid French telephone",
    ),
    (
        {
            "kind": "site",
            "client": "CA-3000",
            "name": "Y",
            "street": "1 rue",
            "postal_code": "99999",
            "city": "Nulle part",
        },
        "postal_code: '99999' is not the postal code of a French department",
    ),
    (
        {
            "kind": "contact",
            "client": "CA-3000",
            "name": "Z",
            "email": "pas-un-mail",
            "phone": "0491000000",
        },
        "email: 'pas-un-mail' is not a valid e-mail address",
    ),
    (
        {
            "kind": "licence",
            "id": "FPC9",
            "type": "full",
            "service": "SRV-3000",
            "site": "Siège",
            "state": "gone",
        },
        "state: 'gone' is not a state",
    ),
    (
        {"kind": "licence", "id": "FPC 10", "type": "full", "service": "SRV-3000", "site": "Siège"},
        "id: 'FPC 10' not a reference",
    ),
    (
        {"kind": "licence", "id": "FPC11", "type": "ultra", "service": "SRV-3000", "site": "Siège"},
        "type: unknown licence type 'ultra'",
    ),
    (
        {"kind": "licence", "id": "FPC12", "type": "full", "service": "SRV-9999", "site": "Siège"},
        "licence: unknown service 'SRV-9999'",
    ),
    (
        {"kind": "licence", "id": "FPC13", "type": "full", "service": "SRV-3000", "site": "Lune"},
        "licence: unknown site 'Lune'",
    ),
    (
        {"kind": "client", "account_ref": "CA-9", "name": "Sans revendeur", "reseller": "Nobody"},
        "client: unknown reseller 'Nobody'",
    ),
    (
        {
            "kind": "service",
            "ref": "SRV-3000",
            "name": "Doublon",
            "client": "CA-3000",
            "site": "Siège",
        },
        "service: same as data.jsonl:",
    ),
    (
        {"kind": "number", "sda": "+33491999999", "offer": "OFF-3000", "licence": "FPC300100"},
        "licence FPC300100 is not of the service of offer OFF-3000",
    ),
    (
        {"kind": "number", "sda": "+33491999998", "offer": "OFF-3000", "licence": "FPC300006"},
        "licence FPC300006 is cancelled: it holds no number",
    ),
    (
        {
            "kind": "order",
            "ref": "CMD-9",
            "offer": "OFF-3000",
            "contact": "inconnu@example.org",
            "status": "final",
            "created_by": "x",
            "created_at": "hier",
        },
        "created_at: 'hier' not an ISO 8601",
    ),
    ({"kind": "sda", "number": "0491000000"}, "kind: 'sda' is not one of"),
    ({"kind": "reseller", "name": "   "}, "reseller: name: empty"),
    (
        {
            "kind": "offer",
            "ref": "OFF-9",
            "service": "SRV-3001",
            "products": [{"name": "Starter Pack"}, {"name": "starter pack", "active": False}],
        },
        "products: a product sheet is listed twice",
    ),
    (
        {
            "kind": "site",
            "client": "CA-3000",
            "name": "W",
            "street": "1 rue",
            "city": "Marseille",
            "postal_code": "13001",
            "fax": "0491",
        },
        "unknown field 'fax'",
    ),
]


def test_every_bad_row_is_refused_with_its_file_and_line_and_nothing_is_written(
    empty: Database,
) -> None:
    good = realistic_rows(2)
    rows = good + [row for row, _ in BAD_ROWS]
    before = snapshot(empty)
    with pytest.raises(ImportRejected) as caught:
        load(empty, sources(rows))
    assert snapshot(empty) == before
    said = [str(error) for error in caught.value.errors]
    for index, (_, expected) in enumerate(BAD_ROWS):
        where = f"data.jsonl:{len(good) + index + 1}: "
        assert any(s.startswith(where) and expected in s for s in said), (where, expected, said)
    assert len(said) == len(BAD_ROWS)


def test_export_then_import_into_an_empty_database_round_trips_exactly(
    db: Database, empty: Database, tmp_path: Path
) -> None:
    run(db, cancel(quantity=1))
    with db.sessions() as session:
        contact = contact_id(session, "accueil@garage-du-port.example")
    run(
        db,
        lambda uow: services.cancel_starter_pack(
            uow, ALPHA, CancelStarterPack("SRV-1002", contact)
        ),
    )
    exported = tmp_path / "out.jsonl"
    with db.sessions() as session, exported.open("w", encoding="utf-8") as stream:
        written = write_rows(export_rows(session), stream)
    rows, errors = read_rows(exported)
    assert not errors
    assert len(rows) == written
    load(empty, rows)
    with empty.sessions() as fresh, db.sessions() as original:
        assert list(export_rows(fresh)) == list(export_rows(original))
    kinds = {json.loads(line)["kind"] for line in exported.read_text(encoding="utf-8").splitlines()}
    assert "order" in kinds


def test_only_the_operator_imports(sqlite_db: Database) -> None:
    with pytest.raises(Forbidden), sqlite_db.uow() as uow:
        import_rows(uow, ALPHA, sources(realistic_rows(1)))


def _write(path: Path, rows: list[dict[str, Any]], extra: str = "") -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + extra, "utf-8"
    )
    return path


def test_the_import_command_reports_and_the_export_command_writes_a_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ops.sqlite3'}"
    data = _write(tmp_path / "clients.jsonl", realistic_rows(2))
    dry = runner.invoke(app, ["import", str(data), "--dry-run", "--db", url])
    assert dry.exit_code == 0, dry.output
    assert "dry run: nothing written" in dry.output
    done = runner.invoke(app, ["import", str(data), "--db", url])
    assert done.exit_code == 0, done.output
    assert "licence          16        0          0" in done.output
    folder = tmp_path / "export"
    folder.mkdir()
    exported = runner.invoke(app, ["export", str(folder), "--db", url])
    assert exported.exit_code == 0, exported.output
    assert f"{len(realistic_rows(2))} rows written" in exported.output
    again = runner.invoke(app, ["import", str(folder), "--db", url])
    assert "nothing to change" in again.output


def test_the_import_command_lists_every_error_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ops.sqlite3'}"
    rows = realistic_rows(1)
    rows[4]["postal_code"] = "1300"
    data = _write(tmp_path / "bad.jsonl", rows, "{pas du json\n")
    result = runner.invoke(app, ["import", str(data), "--db", url])
    assert result.exit_code == 1
    assert f"{data}:5: site: postal_code: '1300'" in result.output
    assert f"{data}:{len(rows) + 1}: not JSON" in result.output
    assert "2 error(s): nothing written" in result.output
    assert runner.invoke(app, ["resellers", "list", "--db", url]).output == ""


def test_resellers_add_lets_a_reseller_user_be_added(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert runner.invoke(app, ["resellers", "add", "Alpha  Télécom", "--db", url]).exit_code == 0
    twice = runner.invoke(app, ["resellers", "add", "alpha télécom", "--db", url])
    assert twice.exit_code == 1
    assert "already" in twice.output
    user = runner.invoke(
        app,
        [
            "users",
            "add",
            "jeanne",
            "--role",
            "reseller",
            "--reseller",
            "Alpha Télécom",
            "--db",
            url,
        ],
    )
    assert user.exit_code == 0, user.output
    assert runner.invoke(app, ["resellers", "list", "--db", url]).output == "Alpha Télécom\n"


def test_the_readme_example_imports_as_it_stands(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    section = readme.split("## Data in and out", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    data = tmp_path / "readme.jsonl"
    data.write_text(example, "utf-8")
    url = f"sqlite:///{tmp_path / 'readme.sqlite3'}"
    result = runner.invoke(app, ["import", str(data), "--db", url])
    assert result.exit_code == 0, result.output
    assert "number            1        0          0" in result.output
