"""``GET /health`` beside the webhook, for a load balancer.

200 when every check passes (database, schema, Bot API), 503 otherwise, with the report as JSON.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

Report = Callable[[], dict[str, Any]]


class HealthHandler(RequestHandler):
    """Runs the checks off the event loop and answers their report as JSON."""

    def initialize(self, report: Report) -> None:
        self.report = report

    async def get(self) -> None:
        result = await asyncio.to_thread(self.report)
        self.set_status(200 if result.get("status") == "ok" else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(result))


def start_health_server(
    report: Report, listen: str, port: int, routes: Sequence[Any] = ()
) -> HTTPServer:
    """Listen on ``listen:port`` in the running event loop; stop it with ``server.stop()``.

    ``routes``: more tornado routes served beside (the orders' signature callback)."""
    server = HTTPServer(Application([(r"/health", HealthHandler, {"report": report}), *routes]))
    server.listen(port, address=listen)
    return server
