"""Turns benchmark, data side: each simulated chat gets a reseller, clients and licences of its own.

The demo has two cancellable "full" licences in all, and each simulated chat cancels one licence
per round. So each chat gets its own reseller: two clients (the client question is asked), each a
MetaCentrex service with one free full licence per round and a simple one (the licence type is
asked), and its own bot user, linked to the chat's Telegram account. They are added with the domain
model in one transaction, next to the demo data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.database import Database
from domain.model import (
    AuditEntry,
    BotUser,
    Client,
    Licence,
    LicenceState,
    Offer,
    ProductSheet,
    Reseller,
    Role,
    Service,
    Site,
)
from domain.persistence.database import create_database, drop_database
from domain.queries import site_key

POSTGRES_URL = os.environ.get(
    "OPENIP_BOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PG_DATABASE = f"openip_bot_turns_{os.getpid()}"  # one per run: runs may overlap
FIRST_TELEGRAM_ID = 700_000
SCREENS_CHAT = "bench:screens"


@dataclass(frozen=True)
class BenchChat:
    """A simulated person: their Telegram account and the client whose licence they cancel."""

    telegram_id: int
    client: str


def chat_of(index: int) -> BenchChat:
    return BenchChat(FIRST_TELEGRAM_ID + index, f"Client banc {index:03d} A")


def add_bench_data(db: Database, chats: int, free_licences: int = 3) -> list[BenchChat]:
    """One reseller, two clients, two services, ``free_licences`` free full licences and a simple
    one per service, per chat; its bot user."""
    with db.sessions.begin() as session:
        for index in range(chats):
            reseller = Reseller(name=f"Revendeur banc {index:03d}")
            session.add(
                BotUser(
                    handle=f"banc-{index:03d}",
                    role=Role.RESELLER,
                    reseller=reseller,
                    telegram_id=chat_of(index).telegram_id,
                )
            )
            for letter in "AB":
                name = f"Client banc {index:03d} {letter}"
                client = Client(
                    name=name, account_ref=f"CB-{index:03d}-{letter}", reseller=reseller
                )
                site = Site(
                    name="Siège",
                    name_key=site_key("Siège"),
                    street="1 rue du Banc",
                    postal_code="13001",
                    city="Marseille",
                    phone=None,
                )
                client.sites = [site]
                service = Service(
                    ref=f"SRV-B{index:03d}{letter}",
                    name=f"MetaCentrex {name}",
                    client=client,
                    site=site,
                )
                offer = Offer(ref=f"OFF-B{index:03d}{letter}", service=service)
                offer.products = [ProductSheet(name="Starter Pack")]
                for number in range(1, free_licences + 1):
                    Licence(
                        id=f"FPB{index:03d}{letter}{number}",
                        type="full",
                        service=service,
                        site=site,
                    )
                Licence(id=f"FPB{index:03d}{letter}S", type="simple", service=service, site=site)
                session.add(client)
    return [chat_of(index) for index in range(chats)]


def guide_screens(db: Database, walk: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """The screens the assistant shows a linked reseller along ``walk`` (the guide), played
    through its engine in this process: each screen's text and rows of button labels."""
    from bot.replay import ChatSession
    from dialogs.accounts import user_context
    from dialogs.engine import DialogEngine

    chat = ChatSession(DialogEngine(db.sessions), SCREENS_CHAT,
                       user_context(db.sessions, "banc-000", "fr"))
    screens = []
    for kind, value in walk:
        [reply] = chat.say(value) if kind == "say" else chat.press(value)
        screens.append({"text": reply.text, "buttons": reply.labels()})
    return screens


def cancellations(db: Database) -> tuple[int, int]:
    """Licences of the benchmark's clients cancelled, and cancellation audit entries."""
    with db.sessions() as session:
        cancelled = session.scalar(
            select(func.count())
            .select_from(Licence)
            .where(Licence.id.like("FPB%"), Licence.state == LicenceState.CANCELLED)
        )
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "cancel_licences")
        )
    return int(cancelled or 0), int(audited or 0)


@contextmanager
def postgres_database(suffix: str | None = "") -> Iterator[str | None]:
    """A fresh database of the benchmark's own on the local server (None when none answers, or
    when ``suffix`` is None), dropped afterwards."""
    if suffix is None:
        yield None
        return
    name = f"{PG_DATABASE}_{suffix}" if suffix else PG_DATABASE
    url = create_database(POSTGRES_URL, name)
    try:
        yield url
    finally:
        if url is not None:
            drop_database(POSTGRES_URL, name)
