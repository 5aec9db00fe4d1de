"""``openip-bot orders …``: list, show, sign, withdraw, expire, mail (signature requests)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from bot.cli_output import fail as _fail
from bot.cli_settings import cli_settings
from bot.database import Database, open_database
from dialogs.order_text import order_line, order_text
from dialogs.texts import Lang
from domain import services
from domain.access import Actor
from domain.errors import DomainError, Forbidden, InvalidField, NotFound, OrderNotAwaitingSignature
from domain.persistence.uow import UnitOfWork
from domain.services.users import actor_of, find_user
from domain.views import OrderView

if TYPE_CHECKING:
    from bot.order_jobs import OrderRuntime
    from bot.settings import Settings

T = TypeVar("T")
orders_app = typer.Typer(
    help="Cancellation orders: follow, sign, withdraw, expire.", no_args_is_help=True
)
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: settings).")]
AsOption = Annotated[str, typer.Option("--as", help="Bot user handle.")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON (one object a line).")]
LangOption = Annotated[str, typer.Option("--lang", help="fr or en.")]


def runtime(settings: Settings) -> OrderRuntime:
    """The orders' settings (this also tells the dialogs whether e-mail is sent), with the
    Telegram notices queued in the outbox."""
    from bot.order_jobs import OrderRuntime
    from dialogs.order_notices import NOTICES

    try:
        return OrderRuntime.from_settings(settings, NOTICES)
    except ValueError as error:  # a malformed OPENIP_BOT_SMTP_URL
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None


def configure_dialogs(settings: Settings) -> None:
    """Tell the dialogs whether signature requests are e-mailed, without loading the mailer."""
    from dialogs.order_settings import OrderSettings, configure_orders

    url = settings.smtp_url.get_secret_value().strip() if settings.smtp_url else ""
    configure_orders(OrderSettings(mail=bool(url), ttl_days=settings.order_ttl_days))


def serve_orders(app: Any, database: Database, settings: Settings) -> list[Any]:
    """In ``run``: the periodic expiry and e-mail; the signature callback's route when a
    secret is set (else none)."""
    from bot.order_jobs import attach_order_jobs
    from bot.signature_callback import signature_route

    current = runtime(settings)
    attach_order_jobs(app, database, current)
    secret = settings.signature_secret.get_secret_value() if settings.signature_secret else ""
    if not secret.strip():
        return []
    return [signature_route(database.sessions, secret, current.notifier)]


@contextmanager
def _database(db: str | None) -> Iterator[Database]:
    """The database, migrated (the demo data only in the embedded default database)."""
    settings = cli_settings()
    database = open_database(settings.db_url(db), demo_if_new=settings.is_default_database(db))
    try:
        yield database
    finally:
        database.dispose()


def _as(db: str | None, handle: str, action: Callable[[UnitOfWork, Actor], T]) -> T:
    """Run a domain service as HANDLE; a domain error becomes one line and exit code 1."""
    try:
        with _database(db) as database, database.uow() as uow:
            return action(uow, actor_of(find_user(uow.session, handle)))
    except NotFound as error:
        _fail(f"{error.kind} not found: {error.ref}")
    except OrderNotAwaitingSignature as error:
        _fail(f"order {error.order_ref} has ended ({error.status}): nothing changed")
    except Forbidden as error:
        _fail(f"{handle} ({error.role}) may not {error.action}: nothing changed")
    except InvalidField as error:
        _fail(f"invalid {error.field} {error.value!r}: {error.reason}")
    except DomainError as error:
        _fail(f"{error}: nothing changed")


def _lang(value: str) -> Lang:
    if value not in ("fr", "en"):
        raise typer.BadParameter("fr or en")
    return "fr" if value == "fr" else "en"


@orders_app.command("list")
def list_(
    state: Annotated[
        str | None, typer.Option("--state", help="awaiting_signature, final, withdrawn, expired")
    ] = None,
    as_: AsOption = "operateur",
    as_json: JsonOption = False,
    lang: LangOption = "fr",
    db: DbOption = None,
) -> None:
    """The orders HANDLE may see, newest first."""
    orders = _as(db, as_, lambda uow, actor: services.list_orders(uow, actor, state))
    for order in orders:
        line = json.dumps(order.as_json(), ensure_ascii=False) if as_json else None
        typer.echo(line or order_line(_lang(lang), order))
    if not orders and not as_json:
        typer.echo("no order", err=True)


@orders_app.command("show")
def show(
    ref: str,
    as_: AsOption = "operateur",
    as_json: JsonOption = False,
    lang: LangOption = "fr",
    db: DbOption = None,
) -> None:
    """One order: where it stands, its contact, its signature request, what it removes."""
    order = _as(db, as_, lambda uow, actor: services.order_details(uow, actor, ref))
    if as_json:
        typer.echo(json.dumps(_details_json(order), ensure_ascii=False))
    else:
        typer.echo(order_text(_lang(lang), order, cli_settings().order_ttl_days))


def _details_json(order: OrderView) -> dict[str, object]:
    return {
        **order.as_json(),
        "service_state": order.service_state,
        "request": {
            "channel": order.request_channel,
            "to": order.notified_to,
            "sent_at": order.request_sent_at.isoformat() if order.request_sent_at else None,
            "attempts": order.request_attempts,
            "error": order.request_error,
        },
        "ended": {
            "by": order.ended_by,
            "at": order.ended_at.isoformat() if order.ended_at else None,
            "reason": order.end_reason,
        },
        "lines": [{"kind": q.kind, "ref": q.ref} for q in order.lines],
    }


def _ended(order: OrderView) -> None:
    typer.echo(
        f"{order.ref} {order.status} ({order.end_reason}, by {order.ended_by}); "
        f"service {order.service_ref}: {order.service_state}"
    )


@orders_app.command("sign")
def sign(ref: str, as_: AsOption = "operateur", db: DbOption = None) -> None:
    """Record the client's signature (as an e-signature service's callback would): final."""
    notifier = runtime(cli_settings()).notifier
    _ended(_as(db, as_, lambda uow, a: services.record_client_signature(uow, a, ref, notifier)))


@orders_app.command("withdraw")
def withdraw(ref: str, as_: AsOption = "operateur", db: DbOption = None) -> None:
    """Withdraw an order awaiting signature: its service is « Actif » again."""
    notifier = runtime(cli_settings()).notifier
    _ended(_as(db, as_, lambda uow, a: services.withdraw_order(uow, a, ref, notifier)))


@orders_app.command("expire")
def expire(db: DbOption = None) -> None:
    """Expire the orders unsigned after OPENIP_BOT_ORDER_TTL_DAYS (``run`` does it too)."""
    from bot.order_jobs import expire_due

    settings = cli_settings()
    with _database(db) as database:
        expired = expire_due(database, runtime(settings))
    for order in expired:
        _ended(order)
    typer.echo(f"{len(expired)} order(s) expired", err=True)


@orders_app.command("mail")
def mail(db: DbOption = None) -> None:
    """E-mail the signature requests due now through OPENIP_BOT_SMTP_URL (``run`` does it too)."""
    from bot.signature_mail import send_signature_requests

    current = runtime(cli_settings())
    if current.smtp is None:
        _fail("no SMTP server: set OPENIP_BOT_SMTP_URL (signature requests go from MyOpenIP)")
    with _database(db) as database:
        sent, failed = send_signature_requests(database.sessions, current.smtp, current.ttl_days)
    typer.echo(f"{sent} sent, {failed} failed (retried later)")
    raise typer.Exit(1 if failed else 0)
