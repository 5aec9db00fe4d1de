"""Health checks: liveness (the database answers), readiness (its schema is at the latest
migration), and the Telegram Bot API's reachability, reported but never fatal (a Telegram outage
must not mark every instance unhealthy: updates wait at Telegram and are retried).

``health_report`` returns a plain dict so that an HTTP endpoint can serve it as JSON (200 when
``live`` or ``ready`` holds, as asked, 503 otherwise). It blocks for up to ``timeout`` seconds per
check: from asyncio code, call it through ``asyncio.to_thread``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from bot.logs import scrub

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
Check = dict[str, str]
LIVENESS, READINESS = ("database",), ("database", "schema")


def health_report(
    database: Engine | str,
    *,
    token: str | None,
    api_url: str = "https://api.telegram.org/bot",
    timeout: float = 5.0,
) -> dict[str, Any]:
    """``{"status": "ok"|"failed", "live": bool, "ready": bool, "checks": [{"name", "status",
    "detail"}, …]}``: ``status`` is ``ok`` when ready; the Bot API's check is only reported."""
    checks = [*check_database(database, timeout), check_bot_api(token, api_url, timeout)]
    passed = {c["name"] for c in checks if c["status"] == OK}
    live, ready = set(LIVENESS) <= passed, set(READINESS) <= passed
    return {"status": OK if ready else FAILED, "live": live, "ready": ready, "checks": checks}


def check_database(database: Engine | str, timeout: float = 5.0) -> list[Check]:
    """``SELECT 1``, then the schema's Alembic revision against the latest one, in a read-only
    transaction: on SQLite it takes no write lock, so a probe never waits for the turns nor makes
    them wait (whether storage can be written is the running bot's own report)."""
    from domain.persistence.database import READ_ONLY

    try:
        engine = database if isinstance(database, Engine) else _engine(database, timeout)
    except Exception as error:
        return [_failed("database", error), _check("schema", SKIPPED, "no database")]
    try:
        with engine.execution_options(**{READ_ONLY: True}).connect() as connection:
            connection.execute(text("SELECT 1"))
            current = _current_revision(connection)
    except Exception as error:
        return [_failed("database", error), _check("schema", SKIPPED, "no database")]
    finally:
        if not isinstance(database, Engine):
            engine.dispose()
    head = _head_revision()
    schema = (
        _check("schema", OK, f"at head ({head})")
        if current == head
        else _check("schema", FAILED, f"at {current or 'nothing'}, head is {head}")
    )
    return [_check("database", OK, engine.dialect.name), schema]


def check_bot_api(token: str | None, api_url: str, timeout: float = 5.0) -> Check:
    """``getMe`` on the Bot API: the token is valid and Telegram (or its stand-in) answers."""
    if not token:
        return _check("bot_api", SKIPPED, "skipped (no token)")
    try:
        response = httpx.get(f"{api_url}{token}/getMe", timeout=timeout)
        body = response.json() if response.content else {}
    except (httpx.HTTPError, ValueError) as error:
        return _failed("bot_api", error)
    if response.status_code != 200 or not body.get("ok"):
        return _check("bot_api", FAILED, f"HTTP {response.status_code}")
    return _check("bot_api", OK, f"@{body.get('result', {}).get('username', '?')}")


def _engine(url: str, timeout: float) -> Engine:
    from domain.persistence.database import make_engine

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path != ":memory:" and not Path(path).expanduser().is_file():
            raise FileNotFoundError("no database file")  # do not create one by connecting
        return make_engine(url)
    return make_engine(url, connect_args={"connect_timeout": max(1, int(timeout))})


def _current_revision(connection: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    current: str | None = MigrationContext.configure(connection).get_current_revision()
    return current


@cache  # the migration scripts are read once per process, not at every probe
def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    from domain.persistence.migrate import alembic_config

    head: str | None = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    return head


def _check(name: str, status: str, detail: str) -> Check:
    return {"name": name, "status": status, "detail": detail}


def _failed(name: str, error: Exception) -> Check:
    return _check(name, FAILED, scrub(_describe(error)))


def _describe(error: Exception) -> str:
    """The error's kind and first line, without URLs (they may hold the token or a password)."""
    first = (str(error).strip().splitlines() or [""])[0]
    first = " ".join(w for w in first.split() if "://" not in w)[:160]
    return f"{type(error).__name__}: {first}" if first else type(error).__name__
