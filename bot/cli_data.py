"""``openip-bot import``, ``export`` and ``resellers``: the operator's data in and out."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from bot.cli_ops import reading
from bot.cli_output import fail as _fail
from bot.cli_settings import cli_settings

if TYPE_CHECKING:
    from bot.database import Database
    from domain.interchange import ImportReport, RowError

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: settings).")]
resellers_app = typer.Typer(
    help="Resellers (companies that sell MetaCentrex).", no_args_is_help=True
)


def import_(
    path: Annotated[Path, typer.Argument(help="A .jsonl file, or a folder of them.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report; write nothing.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Load resellers, clients, sites, contacts, services, offers, licences, numbers, orders."""
    from domain.access import OPERATOR
    from domain.interchange import ImportRejected, import_rows, read_rows

    if not path.exists():
        _fail(f"{path}: no such file or folder")
    rows, errors = read_rows(path)
    with _writing(db) as database, database.uow() as uow:
        try:
            report = import_rows(uow, OPERATOR, rows, dry_run=dry_run or bool(errors))
        except ImportRejected as rejected:
            errors = [*errors, *rejected.errors]
    if errors:
        _refuse(errors)
    typer.echo(report_text(report))


def export(
    path: Annotated[Path, typer.Argument(help="A file, a folder (metacentrex.jsonl in it), or -.")],
    db: DbOption = None,
) -> None:
    """Write the whole model as JSON lines (what ``openip-bot import`` reads back)."""
    from domain.interchange import export_rows, export_target, write_rows

    with reading(db) as database, database.sessions() as session:
        if str(path) == "-":
            write_rows(export_rows(session), sys.stdout)
            return
        target = export_target(path)
        partial = target.with_name(f".{target.name}.partial")
        with partial.open("w", encoding="utf-8") as stream:
            written = write_rows(export_rows(session), stream)
        partial.replace(target)
    typer.echo(f"{written} rows written to {target}")


@resellers_app.command("add")
def add_reseller(name: str, db: DbOption = None) -> None:
    """Create a reseller, then give it users: openip-bot users add … --reseller NAME."""
    from domain.access import OPERATOR
    from domain.errors import InvalidField
    from domain.services.resellers import add_reseller as add

    with _writing(db) as database, database.uow() as uow:
        try:
            added = add(uow, OPERATOR, name)
        except InvalidField as error:
            _fail(f"invalid reseller name {error.value!r}: {error.reason}")
    typer.echo(added)


@resellers_app.command("list")
def list_resellers(db: DbOption = None) -> None:
    """Every reseller's name."""
    from domain.services.resellers import reseller_names

    with reading(db) as database, database.uow() as uow:
        names = reseller_names(uow)
    for name in names:
        typer.echo(name)


def report_text(report: ImportReport) -> str:
    """The report as a table: created, updated and unchanged objects per kind."""
    lines = [f"{'kind':<10} {'created':>8} {'updated':>8} {'unchanged':>10}"]
    for kind, counts in report.counts.items():
        lines.append(
            f"{kind:<10} {counts['created']:>8} {counts['updated']:>8} {counts['unchanged']:>10}"
        )
    if report.dry_run:
        lines.append("dry run: nothing written")
    elif report.changed:
        lines.append("imported (one transaction)")
    else:
        lines.append("nothing to change: the database already holds these rows")
    return "\n".join(lines)


def _refuse(errors: list[RowError]) -> NoReturn:
    for error in sorted(errors):
        typer.echo(str(error), err=True)
    _fail(f"{len(errors)} error(s): nothing written")


@contextmanager
def _writing(db: str | None) -> Iterator[Database]:
    """The configured database, migrated, without demo data."""
    from bot.database import open_database

    database = open_database(cli_settings().db_url(db))
    try:
        yield database
    finally:
        database.dispose()


def register(app: typer.Typer) -> None:
    """Add ``import``, ``export`` and ``resellers`` to the command line."""
    app.command("import")(import_)
    app.command("export")(export)
    app.add_typer(resellers_app, name="resellers")
