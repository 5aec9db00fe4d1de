"""Two ``openip-bot run`` processes in webhook mode behind a "load balancer", one PostgreSQL.

A reference run plays the chat through one instance, one update after another. The same chat is
then played through two instances sharing one database: the ordered part alternates between
them (each step waits for the previous reply, as a person does), then bursts hit both at once
(the same update delivered to both, a double tap on "Confirmer", a dozen messages at the same
moment). The final state must equal the reference's, every update be handled exactly once, and
the confirmed cancellation be performed once. The texts and keyboards the chat receives are the
reference's, in the same order, edited in place or sent anew alike (the engine decides an edit
from the conversation, which both instances share).
"""

from __future__ import annotations

import asyncio
import html
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bot.database import open_database
from bot.telegram.app import derived_secret
from dialogs.records import ConversationRecord
from domain.model import AuditEntry, Licence
from tests.conftest import POSTGRES_URL
from tests.e2e.fake_bot_api import TOKEN, FakeBotApi, Fault
from tests.e2e.instances import (
    WITHIN,
    Instance,
    Json,
    deliver,
    demo_linked_quickly,
    demo_with_a_linked_reseller,
    eventually,
    post,
    running,
)
from tests.e2e.people import Person

pytestmark = pytest.mark.postgres

ALPHA = 1001
CHAT_KEY = f"tg:{ALPHA}"
Shown = tuple[str, tuple[tuple[str, ...], ...]]  # a message's text and its keyboard's labels


@dataclass(frozen=True)
class Step:
    """What the person does, and how many messages the assistant answers with."""

    kind: str  # "say" | "press"
    value: str
    messages: int = 1


# A complete act-mode cancellation by buttons and typed answers, help, then a typed request that
# stops at the summary: the bursts start from there.
ORDERED = (
    Step("say", "/start"),
    Step("press", "Résilier des licences"),
    Step("press", "Le faire pour moi"),
    Step("say", "Cabinet Azur"),
    Step("press", "Licence full .*"),
    Step("say", "1"),
    Step("press", "Confirmer"),
    Step("say", "/aide", messages=2),
    Step("say", "résilie 1 licence full chez Cabinet Azur"),
)
DOUBLE_TAP_MESSAGES = 3  # the result, then "expiré" and the menu for the second tap
BURST = 12  # distinct "/menu" messages sent at the same moment, each to both instances
TURNS = len(ORDERED) + 2 + BURST


# --- databases and processes --------------------------------------------------------------------
def _admin_run(*statements: str) -> None:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        admin.dispose()


@pytest.fixture
def database_urls(postgres_url: str) -> Iterator[tuple[str, str]]:
    """Two fresh databases: the sequential reference's and the two instances' shared one."""
    base = make_url(postgres_url)
    names = (f"{base.database}_reference", f"{base.database}_shared")
    for name in names:
        _admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    reference, shared = (base.set(database=n).render_as_string(hide_password=False) for n in names)
    yield reference, shared
    for name in names:
        _admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the chat as Telegram records it ------------------------------------------------------------
def _labels(markup: Any) -> tuple[tuple[str, ...], ...]:
    if not isinstance(markup, dict):
        return ()
    return tuple(tuple(b["text"] for b in row) for row in markup["inline_keyboard"])


def shown(api: FakeBotApi) -> list[Shown]:
    """Every message the assistant sent or rewrote in the chat, in the order Telegram got them."""
    return [
        (html.unescape(c.params["text"]), _labels(c.params.get("reply_markup")))
        for c in api.calls
        if c.method in ("sendMessage", "editMessageText") and int(c.params["chat_id"]) == ALPHA
    ]


def methods(api: FakeBotApi) -> list[str]:
    """Whether each message of the chat was sent anew or edited in place, in order."""
    return [
        c.method
        for c in api.calls
        if c.method in ("sendMessage", "editMessageText") and int(c.params["chat_id"]) == ALPHA
    ]


def update_for(person: Person, step: Step) -> Json:
    return person.message(step.value) if step.kind == "say" else person.press(step.value)


async def answered(
    client: httpx.AsyncClient, api: FakeBotApi, instance: Instance, update: Json, messages: int
) -> None:
    """Deliver an update, then wait for its reply, as a person waits before the next tap."""
    expected = len(shown(api)) + messages
    await deliver(client, instance, update)
    await api.wait_for(lambda: len(shown(api)) >= expected, WITHIN)


async def play_in_order(
    api: FakeBotApi, person: Person, client: httpx.AsyncClient, instances: Sequence[Instance]
) -> None:
    """Each step to the next instance in turn, once the previous step's reply has arrived."""
    for index, step in enumerate(ORDERED):
        instance = instances[index % len(instances)]
        await answered(client, api, instance, update_for(person, step), step.messages)


def final_state(url: str) -> Json:
    """What must not depend on how the updates were spread: dialog, licences, audit."""
    database = open_database(url, migrate=False)
    try:
        with database.sessions() as session:
            record = session.get(ConversationRecord, CHAT_KEY)
            assert record is not None
            data = {k: v for k, v in record.data.items() if k != "nonce"}  # a random prefix
            licences = {lic.id: lic.state for lic in session.scalars(select(Licence))}
            audit = [
                (e.actor, e.action, e.client_id, e.objects, e.before, e.after)
                for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            ]
        return {"conversation": data, "status": record.status, "licences": licences, "audit": audit}
    finally:
        database.dispose()


@asynccontextmanager
async def fake_telegram() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    try:
        yield api
    finally:
        await api.stop()


async def burst(client: httpx.AsyncClient, pair: Sequence[Instance], updates: list[Json]) -> None:
    """Every update to every instance, all at the same moment."""
    await asyncio.gather(
        *(deliver(client, instance, update) for update in updates for instance in pair)
    )


async def settled(
    api: FakeBotApi, pair: Sequence[Instance], *, turns: int, ignored: int, messages: int
) -> None:
    """Wait until every delivery is accounted for: handled once, or screened out as seen."""
    await eventually(
        lambda: sum(i.ignored() for i in pair) == ignored,
        f"{ignored} second deliveries screened out by the shared ledger",
    )
    await eventually(lambda: sum(i.turns() for i in pair) == turns, f"{turns} turns handled")
    await api.wait_for(lambda: len(shown(api)) >= messages, WITHIN)


# --- the test -----------------------------------------------------------------------------------
async def test_two_instances_on_one_database_end_in_the_state_of_one_instance_in_sequence(
    database_urls: tuple[str, str], tmp_path: Path
) -> None:
    reference_url, shared_url = database_urls
    await asyncio.gather(
        demo_with_a_linked_reseller(reference_url, ALPHA),
        demo_with_a_linked_reseller(shared_url, ALPHA),
    )
    (tmp_path / "reference").mkdir()
    (tmp_path / "shared").mkdir()

    async with (
        fake_telegram() as reference_api,
        fake_telegram() as api,
        httpx.AsyncClient() as client,
    ):
        # the reference: one instance, every update once, one after another
        alice = Person(reference_api, ALPHA, "Alpha")
        async with running(reference_api, reference_url, tmp_path / "reference", 1) as [single]:
            await play_in_order(reference_api, alice, client, [single])
            summary = alice.keyboard()
            await answered(client, reference_api, single, alice.press("Confirmer", summary), 1)
            await answered(client, reference_api, single, alice.press("Confirmer", summary), 2)
            for _ in range(BURST):
                await answered(client, reference_api, single, alice.message("/menu"), 1)
            await eventually(lambda: single.turns() == TURNS, "the reference's turns logged")
        expected_stream = shown(reference_api)
        expected_methods = methods(reference_api)

        # the same chat through two instances sharing one database
        alpha = Person(api, ALPHA, "Alpha")
        async with running(api, shared_url, tmp_path / "shared", 2) as pair:
            await play_in_order(api, alpha, client, pair)
            ordered = len(shown(api))
            assert shown(api) == expected_stream[:ordered]  # same replies, same order
            # and the same edits in place: the engine, not an instance's memory, decides them
            assert methods(api)[:ordered] == expected_methods[:ordered]
            assert [instance.turns() for instance in pair] == [5, 4]  # alternated

            # a double tap on "Confirmer", each tap delivered to both instances at once
            summary = alpha.keyboard()
            taps = [alpha.press("Confirmer", summary), alpha.press("Confirmer", summary)]
            await burst(client, pair, taps)
            await settled(
                api, pair, turns=len(ORDERED) + 2, ignored=2, messages=ordered + DOUBLE_TAP_MESSAGES
            )
            # then a dozen messages at the same moment, each delivered to both instances too
            await burst(client, pair, [alpha.message("/menu") for _ in range(BURST)])
            await settled(
                api,
                pair,
                turns=TURNS,
                ignored=2 + BURST,
                messages=ordered + DOUBLE_TAP_MESSAGES + BURST,
            )

        for tap in taps:  # each button press answered exactly once across both instances
            query = tap["callback_query"]["id"]
            assert len(api.called("answerCallbackQuery", callback_query_id=query)) == 1
        stream = shown(api)
        assert len(stream) == len(expected_stream)
        # replies to simultaneous updates may reach Telegram in either order, never twice
        assert Counter(stream[ordered:]) == Counter(expected_stream[ordered:])
        assert sum(text.startswith("✅") for text, _ in stream[ordered:]) == 1
        assert sum("expiré" in text for text, _ in stream[ordered:]) == 1

    shared, reference = final_state(shared_url), final_state(reference_url)
    assert shared == reference
    assert shared["conversation"]["turn"] == TURNS  # no turn lost, none applied twice
    assert shared["status"] == "idle"
    cancelled = {i for i, state in shared["licences"].items() if state == "cancelled"}
    assert cancelled == {"FPC367106", "FPC367105"}
    assert [entry[1] for entry in shared["audit"]].count("cancel_licences") == 2


# --- one chat's order across instances --------------------------------------------------------
@pytest.fixture
def order_url(postgres_url: str) -> Iterator[str]:
    name = f"{make_url(postgres_url).database}_order"
    _admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    _admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_one_chat_s_replies_leave_in_the_order_of_its_updates_whichever_instance_had_them(
    order_url: str, tmp_path: Path
) -> None:
    await demo_linked_quickly(order_url, ALPHA)
    refs = [f"SRV-{1016 + n}" for n in range(20)]  # each reply quotes its own (« … » not found)
    async with fake_telegram() as api, httpx.AsyncClient() as client:
        alpha = Person(api, ALPHA, "Alpha")
        # no secret configured: both instances derive the same one from the token
        async with running(api, order_url, tmp_path, 2, secret=None) as pair:
            # some sends are slow, so that an instance is still sending when the other commits
            api.inject("sendMessage", *[Fault(status=0, delay=0.3)] * 6)
            statuses = []
            for number, ref in enumerate(refs):  # alternating, 20 ms apart, as in production
                update = alpha.message(ref)
                statuses.append(await post(client, pair[number % 2], update, derived_secret(TOKEN)))
                await asyncio.sleep(0.02)
            await api.wait_for(lambda: len(api.seen_by(ALPHA)) >= len(refs), WITHIN)

    assert statuses == [200] * len(refs)
    quoted = [next(r for r in refs if f"« {r} »" in text) for text in api.seen_by(ALPHA)]
    assert quoted == refs
