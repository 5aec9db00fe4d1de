"""Operations commands: ``audit``, ``stats`` and ``health`` (registered on the main app).

They read the database as it is: none of them migrates the schema or loads demo data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli_output import fail as _fail
from bot.cli_settings import cli_settings

if TYPE_CHECKING:
    from bot.database import Database
    from bot.settings import Settings

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: settings).")]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="A date or time (ISO, UTC), or a duration back: 7d, 12h, 30m."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object a line.")]
_AGO = re.compile(r"^(\d+)\s*([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_since(value: str | None, now: datetime | None = None) -> datetime | None:
    """``2025-03-01``, ``2025-03-01T14:00`` (UTC unless an offset is given), or ``7d``/``12h``."""
    if value is None:
        return None
    text = value.strip()
    if match := _AGO.match(text):
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"not a date, a time or a duration: {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def audit(
    since: SinceOption = None,
    user: Annotated[str | None, typer.Option("--user", help="Bot user handle.")] = None,
    client: Annotated[str | None, typer.Option("--client", help="Name or account ref.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the changes made through the assistant, newest first."""
    from bot.ops_text import audit_text
    from domain.access import OPERATOR
    from domain.errors import NotFound
    from domain.services.audit_log import AuditQuery, audit_log

    query = AuditQuery(parse_since(since), user, client)
    with reading(db) as database, database.uow() as uow:
        try:
            records = audit_log(uow, OPERATOR, query)
        except NotFound as error:
            _fail(f"{error.kind} not found: {error.ref}")
    for record in records:
        typer.echo(
            json.dumps(record.as_json(), ensure_ascii=False) if as_json else audit_text(record)
        )
    if not records and not as_json:
        typer.echo("no change matches", err=True)


def stats(
    db: DbOption = None,
    since: SinceOption = None,
    idle_minutes: Annotated[int, typer.Option("--idle-minutes", min=1)] = 60,
    as_json: JsonOption = False,
) -> None:
    """Per procedure: started, completed, cancelled, abandoned, and where people abandon."""
    from bot.ops_text import stats_json, stats_text
    from dialogs.stats import read_stats

    with reading(db) as database, database.sessions() as session:
        table = read_stats(session, since=parse_since(since), idle=timedelta(minutes=idle_minutes))
    if as_json:
        for row in stats_json(table):
            typer.echo(json.dumps(row, ensure_ascii=False))
    else:
        typer.echo(stats_text(table, idle_minutes))


def health(
    db: DbOption = None,
    as_json: JsonOption = False,
    live: Annotated[
        bool, typer.Option("--live", help="Liveness only: the database answers.")
    ] = False,
) -> None:
    """Readiness: the database answers and its schema is at head (exit 1 otherwise).

    The Bot API is checked and reported, never fatal; ``--live`` asks only that the database
    answers (a container's health check)."""
    from bot.health import health_report
    from bot.ops_text import health_text

    settings = cli_settings()
    token = settings.token.get_secret_value() if settings.token else None
    report = health_report(settings.db_url(db), token=token, api_url=settings.api_url)
    typer.echo(json.dumps(report) if as_json else health_text(report))
    raise typer.Exit(0 if report["live" if live else "ready"] else 1)


@contextmanager
def reading(db: str | None) -> Iterator[Database]:
    """The database without migrating it; an unreadable one explains what to do."""
    from sqlalchemy.exc import DBAPIError

    from bot.database import NoDatabase, open_existing

    try:
        database = open_existing(cli_settings().db_url(db))
    except NoDatabase as missing:
        _fail(
            f"no database at {missing}: `openip-bot db upgrade` creates an empty one, "
            "`openip-bot demo` one with the demo data"
        )
    try:
        yield database
    except DBAPIError as error:
        _fail(
            f"cannot read the database ({type(error.orig).__name__}): "
            "is it reachable and migrated (openip-bot db upgrade)?"
        )
    finally:
        database.dispose()


def configure_cli_logging(settings: Settings) -> None:
    """Log as the settings ask; interactive commands stay quiet unless asked."""
    from bot.logs import configure_from_settings

    configure_from_settings(settings, quiet_by_default=True)


def register(app: typer.Typer) -> None:
    """Add ``audit``, ``stats`` and ``health`` to the command line."""
    app.command()(audit)
    app.command()(stats)
    app.command()(health)
