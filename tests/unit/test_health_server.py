"""The health endpoint answers what the checks say: 200 when all pass, 503 when one fails."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from bot.telegram.health_server import start_health_server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.parametrize(("status", "code"), [("ok", 200), ("failed", 503)])
async def test_the_health_endpoint_answers_the_report_with_its_status(
    status: str, code: int
) -> None:
    report: dict[str, Any] = {"status": status, "checks": [{"name": "database", "status": status}]}
    port = _free_port()
    server = start_health_server(lambda: report, "127.0.0.1", port)
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{port}/health")
    finally:
        server.stop()
    assert response.status_code == code
    assert response.json() == report


async def test_liveness_and_readiness_answer_apart() -> None:
    report: dict[str, Any] = {"status": "failed", "live": True, "ready": False, "checks": []}
    port = _free_port()
    server = start_health_server(lambda: report, "127.0.0.1", port)
    try:
        async with httpx.AsyncClient() as client:
            codes = [
                (await client.get(f"http://127.0.0.1:{port}{path}")).status_code
                for path in ("/health/live", "/health/ready", "/health")
            ]
    finally:
        server.stop()
    assert codes == [200, 503, 503]
