"""``POST /orders/{ref}/signature`` on the small tornado server: only a body signed with the shared
secret records the client's signature; a replay changes nothing twice."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.database import Database
from bot.signature_callback import HEADER, signature_of, signature_route
from bot.telegram.health_server import start_health_server
from domain import services
from tests.conftest import ALPHA
from tests.helpers import audit_entries, details, free_port, pack, run, snapshot
from tests.integration.test_starter_pack_orders import GARAGE

SECRET = "a-shared-secret-with-the-e-signature-service"


@pytest.fixture
async def base_url(db: Database) -> AsyncIterator[str]:
    port = free_port()
    route = signature_route(db.sessions, SECRET, None)
    server = start_health_server(lambda: {"status": "ok"}, "127.0.0.1", port, [route])
    yield f"http://127.0.0.1:{port}"
    server.stop()


async def _post(url: str, ref: str, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[HEADER] = signature
    async with httpx.AsyncClient() as client:
        return await client.post(f"{url}/orders/{ref}/signature", content=body, headers=headers)


def _body(ref: str) -> bytes:
    return json.dumps({"order": ref, "signed_at": "2026-11-30T09:00:00Z"}).encode()


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, signature_of("another-secret", _body("X"))],
    ids=["missing", "empty", "zeros", "other-secret"],
)
async def test_a_wrong_or_missing_signature_gets_401_and_changes_nothing(
    db: Database, base_url: str, signature: str | None
) -> None:
    ref = run(db, pack("SRV-1002", GARAGE)).ref
    before = snapshot(db)
    response = await _post(base_url, ref, _body(ref), signature)
    assert response.status_code == 401
    assert snapshot(db) == before


async def test_a_signed_callback_makes_the_order_final_once_and_a_replay_changes_nothing(
    db: Database, base_url: str
) -> None:
    ref = run(db, pack("SRV-1002", GARAGE)).ref
    body = _body(ref)
    first = await _post(base_url, ref, body, "sha256=" + signature_of(SECRET, body))
    assert (first.status_code, first.json()) == (
        200,
        {"order": ref, "state": "final", "changed": True},
    )
    assert details(db, "SRV-1002").state == "Résilié"
    [entry] = audit_entries(db, "record_client_signature")
    assert entry.actor == "e-signature"
    before = snapshot(db)
    again = await _post(base_url, ref, body, signature_of(SECRET, body))
    assert (again.status_code, again.json()["changed"]) == (200, False)
    assert snapshot(db) == before


async def test_a_signed_body_naming_another_order_is_refused(db: Database, base_url: str) -> None:
    ref = run(db, pack("SRV-1002", GARAGE)).ref
    body = _body("CMD-00000000")
    before = snapshot(db)
    response = await _post(base_url, ref, body, signature_of(SECRET, body))
    assert response.status_code == 400
    assert snapshot(db) == before


async def test_an_unknown_or_withdrawn_order_is_not_signed(db: Database, base_url: str) -> None:
    ref = run(db, pack("SRV-1002", GARAGE)).ref
    run(db, lambda uow: services.withdraw_order(uow, ALPHA, ref))
    body = _body(ref)
    withdrawn = await _post(base_url, ref, body, signature_of(SECRET, body))
    assert (withdrawn.status_code, withdrawn.json()["state"]) == (409, "withdrawn")
    unknown = _body("CMD-0000FFFF")
    missing = await _post(base_url, "CMD-0000FFFF", unknown, signature_of(SECRET, unknown))
    assert missing.status_code == 404
    assert details(db, "SRV-1002").state == "Actif"
