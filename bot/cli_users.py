"""``openip-bot users …``: who may use the assistant, and the Telegram accounts linked to them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer

from bot.cli_settings import cli_settings
from bot.database import open_database
from domain.access import OPERATOR
from domain.errors import (
    DomainError,
    InvalidField,
    NotFound,
    TelegramAccountTaken,
    UserExists,
    UserRevoked,
)
from domain.model import Role, utcnow
from domain.persistence.uow import UnitOfWork
from domain.services import users
from domain.services.users import UserView

T = TypeVar("T")
users_app = typer.Typer(help="Bot users and their Telegram accounts.", no_args_is_help=True)
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: settings).")]
ReactivateOption = Annotated[
    bool, typer.Option("--reactivate", help="Give a revoked user access again.")
]


@contextmanager
def _uow(db: str | None, *, write: bool) -> Iterator[UnitOfWork]:
    """The configured database: migrated to write to, as it is to read (no demo data)."""
    from bot.cli_ops import reading

    if not write:
        with reading(db) as database, database.uow() as uow:
            yield uow
        return
    database = open_database(cli_settings().db_url(db))
    try:
        with database.uow() as uow:
            yield uow
    finally:
        database.dispose()


def _run(db: str | None, action: Callable[[UnitOfWork], T], *, write: bool = True) -> T:
    """Run a user service; a domain error becomes a one-line message and exit code 1."""
    try:
        with _uow(db, write=write) as uow:
            return action(uow)
    except NotFound as error:
        typer.echo(f"{error.kind} not found: {error.ref}", err=True)
    except InvalidField as error:
        typer.echo(f"invalid {error.field} {error.value!r}: {error.reason}", err=True)
    except UserExists as error:
        typer.echo(f"user {error.handle} already exists", err=True)
    except UserRevoked as error:
        typer.echo(
            f"user {error.handle} is revoked: add --reactivate to give it access again", err=True
        )
    except TelegramAccountTaken as error:
        typer.echo(f"Telegram account {error.telegram_id} is linked to {error.handle}", err=True)
    except DomainError as error:
        typer.echo(str(error), err=True)
    raise typer.Exit(1)


def _line(user: UserView) -> str:
    state = "active" if user.active else "revoked"
    telegram = str(user.telegram_id) if user.telegram_id else "-"
    reseller = user.reseller or "-"
    return f"{user.handle:<24} {user.role.value:<9} {reseller:<20} {telegram:<12} {state}"


@users_app.command("add")
def add(
    handle: str,
    role: Annotated[Role, typer.Option("--role", help="operator, reseller or helpdesk")],
    reseller: Annotated[str | None, typer.Option("--reseller", help="Reseller name.")] = None,
    db: DbOption = None,
) -> None:
    """Create a bot user (a reseller user names its reseller)."""
    user = _run(db, lambda uow: users.add_user(uow, OPERATOR, handle, role, reseller))
    typer.echo(_line(user))


@users_app.command("invite")
def invite(
    handle: str,
    bot_username: Annotated[
        str | None, typer.Option("--bot-username", help="Skip asking Telegram (getMe).")
    ] = None,
    db: DbOption = None,
    reactivate: ReactivateOption = False,
) -> None:
    """Print a single-use link (valid 15 minutes) that links a Telegram account to HANDLE."""
    username = (bot_username or _bot_username()).lstrip("@")
    made = _run(
        db, lambda uow: users.invite_user(uow, OPERATOR, handle, utcnow(), reactivate=reactivate)
    )
    typer.echo(f"https://t.me/{username}?start={made.token}")
    typer.echo(f"single use, valid until {made.expires_at:%Y-%m-%d %H:%M} UTC", err=True)


@users_app.command("link")
def link(
    handle: str, telegram_id: int, db: DbOption = None, reactivate: ReactivateOption = False
) -> None:
    """Link a Telegram account (numeric user id) to HANDLE directly."""
    user = _run(
        db,
        lambda uow: users.link_telegram(uow, OPERATOR, handle, telegram_id, reactivate=reactivate),
    )
    typer.echo(_line(user))


@users_app.command("list")
def list_(db: DbOption = None) -> None:
    """Every bot user: handle, role, reseller, Telegram id, state."""
    for user in _run(db, users.list_users, write=False):
        typer.echo(_line(user))


@users_app.command("revoke")
def revoke(handle: str, db: DbOption = None) -> None:
    """Take the assistant away from HANDLE at once (Telegram link and invitations dropped)."""
    user = _run(db, lambda uow: users.revoke_user(uow, OPERATOR, handle))
    typer.echo(_line(user))


def _bot_username() -> str:
    settings = cli_settings()
    if settings.token is None:
        typer.echo("no bot token: set OPENIP_BOT_TOKEN or give --bot-username", err=True)
        raise typer.Exit(2)
    from telegram import Bot

    token = settings.token.get_secret_value()

    async def ask() -> str:
        async with Bot(token, base_url=settings.api_url) as bot:
            return bot.username

    return asyncio.run(ask())
