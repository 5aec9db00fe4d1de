"""The ``openip-bot`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.cli_output import fail as _fail
from bot.cli_settings import begin_invocation, cli_settings
from bot.settings import Settings

app = typer.Typer(
    help="OpenIP MetaCentrex assistant (MyOpenIP procedures).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: settings).")]
AsOption = Annotated[str, typer.Option("--as", help="Bot user handle.")]
LangOption = Annotated[str | None, typer.Option("--lang", help="fr or en.")]


def _show_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        typer.echo(f"openip-bot {version('openip-bot')}")
        raise typer.Exit()


@app.callback()
def _options(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """OpenIP MetaCentrex assistant (MyOpenIP procedures)."""
    begin_invocation(context.obj if isinstance(context.obj, Settings) else None)


def _lang(value: str | None) -> str | None:
    if value not in (None, "fr", "en"):
        _fail(f"--lang must be fr or en, not {value!r}", 2)
    return value


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the database schema to the latest version (Alembic)."""
    from bot.database import open_database

    url = cli_settings().db_url(db)
    open_database(url).dispose()
    typer.echo("schema up to date")


@app.command()
def demo(
    db: DbOption = None,
    reset: Annotated[bool, typer.Option("--reset", help="Replace every row.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm --reset on a configured DB.")] = False,
) -> None:
    """Create the schema and load the demo data (refuses a non-empty database without --reset)."""
    from sqlalchemy.engine import make_url

    from bot.database import DemoRefused, open_database

    settings = cli_settings()
    url = settings.db_url(db)
    if reset and not yes and not settings.is_default_database(db):
        shown = make_url(url).render_as_string(hide_password=True)
        _fail(f"--reset deletes every row of {shown} and loads the demo data: add --yes to do it")
    database = open_database(url)
    try:
        database.load_demo(reset=reset)
    except DemoRefused:
        _fail("the database already holds data: use --reset to replace it with the demo data")
    finally:
        database.dispose()
    typer.echo("demo data loaded")


@app.command()
def service(
    ref: str,
    db: DbOption = None,
    as_: AsOption = "operateur",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lang: LangOption = None,
) -> None:
    """Show a service as the portal's Détails and Utilisateurs tabs do."""
    from bot.cli_ops import reading
    from dialogs.service_text import service_text
    from domain import services
    from domain.errors import NotFound
    from domain.services.users import actor_of, find_user

    with reading(db) as database:
        try:
            with database.uow() as uow:
                actor = actor_of(find_user(uow.session, as_))
                details = services.service_details(uow, actor, ref)
        except NotFound as error:
            _fail(f"{error.kind} not found: {error.ref}")
    if as_json:
        typer.echo(json.dumps(details.as_json(), ensure_ascii=False))
    else:
        typer.echo(service_text(_lang(lang) or "fr", details))  # type: ignore[arg-type]


@app.command()
def chat(db: DbOption = None, as_: AsOption = "operateur", lang: LangOption = None) -> None:
    """Chat with the assistant in the terminal (the embedded default database: demo data)."""
    from bot.cli_orders import configure_dialogs
    from bot.terminal import run_chat

    settings = cli_settings()
    configure_dialogs(settings)  # whether signature requests are e-mailed (SMTP set)
    run_chat(settings.db_url(db), as_, _lang(lang), demo=settings.is_default_database(db))  # type: ignore[arg-type]


@app.command()
def replay(script: Path, db: DbOption = None, as_: AsOption = "", lang: LangOption = None) -> None:
    """Play a conversation script (JSON lines) and print every message as JSON."""
    from bot.terminal import run_replay

    settings = cli_settings()
    demo = settings.is_default_database(db)
    code = run_replay(script, settings.db_url(db), as_ or None, _lang(lang), demo=demo)  # type: ignore[arg-type]
    raise typer.Exit(code)


@app.command()
def diagram(
    procedure: str,
    fmt: Annotated[str, typer.Option("--format", help="mermaid or png")] = "mermaid",
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Draw a procedure's state machine (Mermaid text, or PNG through Graphviz)."""
    from bot.diagram import draw

    try:
        data = draw(procedure, fmt)
    except (KeyError, ValueError, RuntimeError) as error:
        _fail(str(error), 2)
    if isinstance(data, bytes):
        target = output or Path(f"{procedure}.png")
        target.write_bytes(data)
        typer.echo(str(target))
    elif output:
        output.write_text(data, encoding="utf-8")
    else:
        typer.echo(data)


ReviewOption = Annotated[
    bool, typer.Option("--review", help="List the « Vouliez-vous dire » choices to review.")
]
DoneOption = Annotated[
    bool, typer.Option("--done", help="With --review: mark the choices listed as reviewed.")
]


@app.command()
def intent(
    text: Annotated[str, typer.Argument()] = "",
    as_: AsOption = "operateur",
    db: DbOption = None,
    review: ReviewOption = False,
    done: DoneOption = False,
) -> None:
    """Print what the assistant understands of TEXT as JSON (TEXT '-' reads one per line)."""
    from bot.cli_intent import run_intent, run_review
    from bot.cli_ops import reading

    if review:
        run_review(cli_settings().db_url(db), sys.stdout, mark=done)
    elif not text:
        _fail("give a TEXT to read (or - for standard input), or --review", 2)
    else:
        with reading(db) as database:
            run_intent(text, database, as_, sys.stdin, sys.stdout)


from bot.cli_ops import configure_cli_logging, register  # noqa: E402  (audit, stats, health)

register(app)

from bot.cli_data import register as register_data  # noqa: E402  (import, export, resellers)

register_data(app)

from bot.cli_users import users_app  # noqa: E402  (bot users, Telegram accounts)

app.add_typer(users_app, name="users")

from bot.cli_orders import orders_app  # noqa: E402  (orders)

app.add_typer(orders_app, name="orders")


@app.command()
def run(db: DbOption = None) -> None:
    """Put the assistant on Telegram (long polling; webhook if OPENIP_BOT_WEBHOOK_URL is set)."""
    from bot.cli_telegram import run_command

    run_command(db)


def main() -> None:
    settings = Settings()  # read once for the whole invocation (see bot.cli_settings)
    configure_cli_logging(settings)
    app(obj=settings)
