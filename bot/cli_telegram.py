"""``openip-bot run``: the assistant on Telegram (long polling or webhook), with its health and
order routes."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import typer

from bot.cli_settings import cli_settings
from bot.database import open_database

if TYPE_CHECKING:
    from bot.database import Database
    from bot.telegram.app import App
    from bot.telegram.runtime import Service


def health_of(service: Service, database: Database) -> Callable[[], dict[str, Any]]:
    """The ``/health`` report of a running bot: database, schema, Bot API, and whether its
    storage failed for good (the process is stopping: 503)."""
    from bot.health import health_report

    def report() -> dict[str, Any]:
        config = service.config
        result = health_report(database.engine, token=config.token, api_url=config.api_url)
        if service.failure is not None:
            failed = {"name": "storage", "status": "failed", "detail": service.failure}
            result["checks"].append(failed)
            result["status"], result["live"], result["ready"] = "failed", False, False
        return result

    return report


def serve_health(
    service: Service, database: Database, port: int, routes: Sequence[Any] = ()
) -> None:
    """Start ``GET /health`` (database, schema, Bot API, storage writable) with the application,
    stop it with it; ``routes`` are served beside (the orders' signature callback)."""
    from bot.telegram.health_server import start_health_server

    app, config = service.app, service.config
    report = health_of(service, database)
    started, stopping = app.post_init, app.post_stop
    servers: list[Any] = []

    async def on_start(application: App) -> None:
        servers.append(start_health_server(report, config.webhook_listen, port, routes))
        if started is not None:
            await started(application)

    async def on_stop(application: App) -> None:
        for server in servers:
            server.stop()
        if stopping is not None:
            await stopping(application)

    app.post_init, app.post_stop = on_start, on_stop


def run_command(db: str | None) -> None:
    """Put the assistant on Telegram: long polling, or a webhook when a webhook URL is set."""
    settings = cli_settings()
    if settings.token is None or not settings.token.get_secret_value().strip():
        typer.echo(
            "no Telegram bot token: create a bot with @BotFather and set OPENIP_BOT_TOKEN "
            "(environment or .env file)",
            err=True,
        )
        raise typer.Exit(2)
    import faulthandler

    from bot.cli_orders import serve_orders
    from bot.logs import configure_from_settings
    from bot.telegram.app import TelegramConfig, webhook_options
    from bot.telegram.faults import storage_problem
    from bot.telegram.runtime import build_service, serve
    from dialogs.handoff import configure_handoff

    faulthandler.enable()  # a fatal signal (SIGBUS, SIGSEGV) leaves a traceback on stderr
    configure_from_settings(settings)  # httpx's request lines (they hold the token) are muted
    configure_handoff(settings.helpdesk_chat)  # « parler à un humain »: forward to this chat
    config = TelegramConfig.from_settings(settings)
    try:
        if config.webhook_url:
            webhook_options(config)
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    url = settings.db_url(db)
    problem = storage_problem(url)
    if problem is not None:
        typer.echo(problem, err=True)
        raise typer.Exit(1)
    # demo data only in the embedded default database; a configured one is left as it is
    default = settings.is_default_database(db)
    database = open_database(url, demo_if_new=default)
    service = build_service(config, database)
    routes = serve_orders(service.app, database, settings)  # expiry, e-mail, e-signature
    if config.webhook_url or routes or settings.health_port:  # polling: /health when asked
        port = settings.health_port or config.webhook_port + 1
        serve_health(service, database, port, routes)
    code = asyncio.run(serve(service))
    if service.failure is not None:
        # the database is left unclosed: closing a SQLite file that cannot be written (its WAL
        # checkpoint) would kill the process by SIGBUS after all
        logging.shutdown()
        os._exit(code or 1)
    database.dispose()
    if code:
        raise typer.Exit(code)
