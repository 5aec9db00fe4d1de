"""End to end: a reseller orders through Telegram (``openip-bot run``, long polling, fake Bot API),
the e-signature service posts the signed callback, the order is final and the reseller's chat is
told; a bad HMAC gets 401 and changes nothing."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import httpx
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bot.database import Database
from bot.signature_callback import HEADER, signature_of
from dialogs.outbox import from_json
from dialogs.records import OutboxMessage
from domain.model import Order, OrderStatus
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.people import Person
from tests.e2e.test_telegram_run import _free_port, _running
from tests.helpers import free_port
from tests.integration.test_signature_mail import Inbox

SECRET = "e-signature-shared-secret"
ORDER = re.compile(r"CMD-[0-9A-F]{8}")
STEPS = (
    "Résilier tout un Starter Pack",
    "Le faire pour moi",
    "Garage du Port",
    "Accueil .*",
    "Confirmer",
)


def _state(db: Database, ref: str) -> str:
    with db.sessions() as session:
        return str(session.scalars(select(Order.status).where(Order.ref == ref)).one())


async def _order_through_telegram(api: FakeBotApi, alpha: Person) -> tuple[str, str]:
    """Alpha's reseller cancels the Garage du Port's Starter Pack with buttons: (ref, answer)."""
    await api.push(alpha.message("/start"))
    await api.wait_for(lambda: bool(alpha.texts()), within=60)
    for label in STEPS:
        before = alpha.keyboard()["text"]
        await api.push(alpha.press(label))
        await api.wait_for(lambda b=before: alpha.keyboard()["text"] != b, within=60)
    placed = alpha.keyboard()["text"]
    found = ORDER.search(placed)
    assert found is not None, placed
    return found.group(), placed


def _sent_at(db: Database, ref: str) -> object:
    with db.sessions() as session:
        return session.scalars(select(Order.notified_at).where(Order.ref == ref)).one()


def _notices(db: Database) -> list[int]:
    with db.sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.chat_key == "tg:1001"))
        return [row.id for row in rows if from_json(row.reply).text.startswith("📄")]


async def _post(client: httpx.AsyncClient, url: str, body: bytes, signature: str) -> int:
    for _ in range(200):  # the server may still be binding its port
        try:
            response = await client.post(url, content=body, headers={HEADER: signature})
            return response.status_code
        except httpx.ConnectError:
            await asyncio.sleep(0.05)
    raise AssertionError("the signature callback never listened")


async def test_a_telegram_order_is_made_final_by_the_signed_callback_only(
    api: FakeBotApi, linked_db: Database, alpha: Person, tmp_path: Path
) -> None:
    port = _free_port()

    def polling() -> bool:
        return len(api.called("setMyCommands")) == 3 and bool(api.polled_offsets)

    settings = {"signature_secret": SECRET, "health_port": str(port)}
    async with (
        _running(api, linked_db, tmp_path, polling, **settings),
        httpx.AsyncClient(timeout=60) as client,
    ):
        ref, placed = await _order_through_telegram(api, alpha)
        assert "Je n'envoie pas d'e-mail" in placed  # no SMTP server: nothing claimed

        url = f"http://127.0.0.1:{port}/orders/{ref}/signature"
        body = json.dumps({"order": ref}).encode()
        assert await _post(client, url, body, signature_of("not-the-secret", body)) == 401
        assert _state(linked_db, ref) == OrderStatus.AWAITING_SIGNATURE
        assert await _post(client, url, body, signature_of(SECRET, body)) == 200
        assert _state(linked_db, ref) == OrderStatus.FINAL
        notice = f"📄 Votre commande {ref} (Garage du Port, service SRV-1002) est définitive"
        await api.wait_for(lambda: any(t.startswith(notice) for t in alpha.texts()), within=60)
        assert await _post(client, url, body, signature_of(SECRET, body)) == 200  # a replay

    told = [t for t in alpha.texts() if t.startswith("📄")]
    assert told == [f"{notice} : signée par le client. Le service est « Résilié »."]
    assert len(_notices(linked_db)) == 1  # queued once, though the callback came twice


async def test_run_e_mails_the_signature_request_of_a_telegram_order_after_it_commits(
    api: FakeBotApi, linked_db: Database, alpha: Person, tmp_path: Path
) -> None:
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()

    def polling() -> bool:
        return len(api.called("setMyCommands")) == 3 and bool(api.polled_offsets)

    settings = {"smtp_url": f"smtp://127.0.0.1:{smtp.port}", "orders_interval": "1"}
    try:
        async with _running(api, linked_db, tmp_path, polling, **settings):
            ref, placed = await _order_through_telegram(api, alpha)
            assert "en file d'envoi par e-mail à Accueil" in placed  # queued, not claimed sent
            for _ in range(600):  # the mailer looks every second, then records the delivery
                if _sent_at(linked_db, ref) is not None:
                    break
                await asyncio.sleep(0.1)
            before = len(alpha.texts())
            await api.push(alpha.message(ref))
            await api.wait_for(lambda: len(alpha.texts()) > before, within=60)
    finally:
        smtp.stop()
    [(recipients, message)] = inbox.received
    assert recipients == ["accueil@garage-du-port.example"]
    assert ref in message["Subject"]
    assert "FPC367201, FPC367202, FPC367203" in message.get_content()
    assert "envoyée par e-mail à accueil@garage-du-port.example le" in alpha.keyboard()["text"]
