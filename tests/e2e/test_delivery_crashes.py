"""Real ``openip-bot run`` processes killed, cut off from their database, or unable to write it.

Each test checks the database (the change made exactly once, the update in the ledger) and what
the user was shown: exactly one outcome, no error message, the chat's order kept.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.database import Database, open_database
from dialogs import outbox
from dialogs.records import ConversationRecord
from tests.e2e.conftest import ALPHA_TELEGRAM_ID
from tests.e2e.fake_bot_api import FakeBotApi, Fault
from tests.e2e.instances import (
    SECRET,
    demo_linked_quickly,
    post,
    running,
    start_polling,
)
from tests.e2e.people import Person
from tests.e2e.private_postgres import PrivateCluster
from tests.e2e.walks import DONE, TO_THE_SUMMARY, cancellations, handled

WITHIN = 60.0


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _told(api: FakeBotApi, person: Person, words: str) -> int:
    return sum(words in text for text in api.seen_by(person.chat_id))


async def _answered(api: FakeBotApi, person: Person, update: dict[str, object]) -> None:
    """Push an update and wait until the user is shown something more."""
    shown = len(api.seen_by(person.chat_id))
    await api.push(update)
    await api.wait_for(lambda: len(api.seen_by(person.chat_id)) > shown, WITHIN)


async def _walk_to_the_summary(api: FakeBotApi, person: Person) -> None:
    await _answered(api, person, person.message("/start"))
    for label in TO_THE_SUMMARY:
        await _answered(api, person, person.press(label))


async def test_a_process_killed_between_the_commit_and_the_reply_tells_the_result_after_restart(
    api: FakeBotApi, any_linked_db: Database, alpha: Person, tmp_path: Path
) -> None:
    url = _url(any_linked_db)
    bot = await start_polling(api, url, tmp_path, "first")
    try:
        await _walk_to_the_summary(api, alpha)
        in_flight = asyncio.Event()
        api.inject("editMessageText", Fault(500, hold=in_flight))  # never reaches the user
        await api.push(alpha.press("Confirmer"))
        await api.wait_for(
            lambda: any(DONE in c.params["text"] for c in api.called("editMessageText")), WITHIN
        )
    finally:
        await bot.kill()  # SIGKILL while the result is on its way
    in_flight.set()
    assert cancellations(any_linked_db) == 1
    with any_linked_db.sessions() as session:
        assert outbox.pending(session, f"tg:{alpha.chat_id}") == 1

    restarted = await start_polling(api, url, tmp_path, "second")
    try:
        await api.wait_for(lambda: _told(api, alpha, DONE) == 1, WITHIN)
        await _answered(api, alpha, alpha.message("/menu"))  # and the chat goes on
    finally:
        assert await restarted.stop() == 0, restarted.output()

    assert cancellations(any_linked_db) == 1
    seen = api.seen_by(alpha.chat_id)
    assert sum(DONE in text for text in seen) == 1
    assert not [text for text in seen if "expiré" in text or "erreur" in text]
    assert DONE in seen[-2]
    assert seen[-1].startswith("Que voulez-vous faire")
    assert alpha.texts()[0].startswith("✅")  # the summary became the result, in place
    with any_linked_db.sessions() as session:
        record = session.get(ConversationRecord, f"tg:{alpha.chat_id}")
        assert record is not None
        assert record.data["turn"] == len(TO_THE_SUMMARY) + 3  # no turn played twice


# --- the database away ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    # not under pytest's folder: the cluster's owner (postgres, when tests run as root) must
    # reach it
    folder = Path(tempfile.mkdtemp(prefix="openip-bot-private-pg-"))
    try:
        own = PrivateCluster(folder)
        own.start()
        yield own
        own.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def cluster_db(cluster: PrivateCluster, request: pytest.FixtureRequest) -> str:
    url = cluster.create(f"outage_{request.node.name[-20:].replace('-', '_')}")
    await demo_linked_quickly(url, ALPHA_TELEGRAM_ID)
    return url


async def test_messages_sent_while_postgresql_is_stopped_are_handled_once_it_is_back(
    api: FakeBotApi, cluster: PrivateCluster, cluster_db: str, tmp_path: Path
) -> None:
    alpha = Person(api, ALPHA_TELEGRAM_ID, "Alpha")
    bot = await start_polling(api, cluster_db, tmp_path, "bot")
    try:
        await _answered(api, alpha, alpha.message("/start"))
        cluster.stop()
        try:
            waiting = [alpha.message("/aide"), alpha.message("SRV-1016")]
            await api.push(*waiting)
            await api.wait_for(lambda: _told(api, alpha, "indisponible") == 1, WITHIN)
            await asyncio.sleep(2)  # the updates are offered again meanwhile: still one note
            assert max(api.polled_offsets) <= waiting[0]["update_id"]  # not acknowledged
        finally:
            cluster.start()
        back = time.monotonic()
        await api.wait_for(lambda: _told(api, alpha, "SRV-1016") == 1, WITHIN)
        print(f"\nreplies sent {time.monotonic() - back:.1f} s after PostgreSQL was back")
        await api.polled_past(waiting[-1]["update_id"])
    finally:
        assert await bot.stop() == 0, bot.output()

    welcome, note, help_text, question, not_found = api.seen_by(alpha.chat_id)
    assert welcome.startswith("Bonjour")
    assert "indisponible" in note
    assert "procédures" in help_text
    assert question.startswith("Que voulez-vous faire")
    assert "SRV-1016" in not_found
    assert _told(api, alpha, "erreur") == 0
    database = open_database(cluster_db, migrate=False)
    try:
        assert {u["update_id"] for u in waiting} <= handled(database)
    finally:
        database.dispose()


async def test_a_webhook_answers_503_while_postgresql_is_stopped_and_handles_the_retry_once(
    api: FakeBotApi, cluster: PrivateCluster, cluster_db: str, tmp_path: Path
) -> None:
    alpha = Person(api, ALPHA_TELEGRAM_ID, "Alpha")
    update = alpha.message("/start")
    async with running(api, cluster_db, tmp_path, 1) as [bot], httpx.AsyncClient() as client:
        cluster.stop()
        try:
            assert await post(client, bot, update, SECRET) == 503
            assert await post(client, bot, update, SECRET) == 503  # Telegram tries again
        finally:
            cluster.start()
        assert await post(client, bot, update, SECRET) == 200
        await api.wait_for(lambda: len(api.seen_by(alpha.chat_id)) == 2, WITHIN)
        assert await post(client, bot, update, SECRET) == 200  # seen before: nothing more

    note, welcome = api.seen_by(alpha.chat_id)
    assert "indisponible" in note
    assert welcome.startswith("Bonjour")


# --- the database cannot be written -----------------------------------------------------------
def _immutable(paths: list[Path], on: bool) -> None:
    flag = "+i" if on else "-i"
    subprocess.run(["chattr", flag, *map(str, paths)], check=True, capture_output=True)


async def test_a_sqlite_database_made_unwritable_stops_the_process_loudly_and_loses_nothing(
    api: FakeBotApi, linked_db: Database, alpha: Person, tmp_path: Path
) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    url = _url(linked_db)
    path = Path(linked_db.engine.url.database or "")
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    bot = await start_polling(api, url, tmp_path, "bot")
    await _answered(api, alpha, alpha.message("/start"))
    # the sender records the delivery just after it: let it finish, so that the files turn
    # immutable between two accesses, as an operator's chattr would (a query already past the
    # check when the file turns immutable still dies of SIGBUS: that window is not closed)
    await asyncio.sleep(0.5)
    linked_db.dispose()  # the test's own connections let go of the files
    try:
        _immutable(files, True)
    except subprocess.CalledProcessError:
        await bot.stop()
        pytest.skip("no permission to make files immutable (CAP_LINUX_IMMUTABLE)")
    try:
        waiting = alpha.message("/aide")
        await api.push(waiting)
        code = await bot.exited()
        output = bot.output()
        assert code == 1, output  # not -7 (SIGBUS), not 0
        assert str(path) in output
        assert "Operation not permitted" in output
        assert max(api.polled_offsets) <= waiting["update_id"]  # not acknowledged
    finally:
        _immutable(files, False)

    restarted = await start_polling(api, url, tmp_path, "restarted")
    try:
        await api.wait_for(lambda: _told(api, alpha, "procédures") == 1, WITHIN)
    finally:
        assert await restarted.stop() == 0, restarted.output()
    assert waiting["update_id"] in handled(linked_db)


async def test_a_process_that_cannot_write_its_database_refuses_to_start_and_says_why(
    api: FakeBotApi, linked_db: Database, tmp_path: Path
) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    path = Path(linked_db.engine.url.database or "")
    linked_db.dispose()
    try:
        _immutable([path], True)
    except subprocess.CalledProcessError:
        pytest.skip("no permission to make files immutable (CAP_LINUX_IMMUTABLE)")
    try:
        bot = await start_polling(api, _url(linked_db), tmp_path, "bot")
        code = await bot.exited()
    finally:
        _immutable([path], False)
    assert code == 1
    assert f"{path} cannot be written" in bot.output()
    assert api.called("getUpdates") == []
    with linked_db.sessions() as session:  # still the database it was
        assert session.scalars(select(ConversationRecord)).all() == []
