"""``GET /health`` beside the webhook, for a load balancer.

``/health/live``: 200 while the process and its database answer; ``/health/ready`` (and
``/health``): 200 when the schema is at the latest migration too; 503 otherwise. The report (JSON)
also says whether the Bot API answers, without failing on it.
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

    def initialize(self, report: Report, probe: str = "status") -> None:
        self.report, self.probe = report, probe

    async def get(self) -> None:
        result = await asyncio.to_thread(self.report)
        self.set_status(200 if result.get(self.probe) in ("ok", True) else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(result))


def start_health_server(
    report: Report, listen: str, port: int, routes: Sequence[Any] = ()
) -> HTTPServer:
    """Listen on ``listen:port`` in the running event loop; stop it with ``server.stop()``.

    ``routes``: more tornado routes served beside (the orders' signature callback)."""
    health: list[tuple[str, type[HealthHandler], dict[str, Any]]] = [
        (r"/health", HealthHandler, {"report": report}),
        (r"/health/live", HealthHandler, {"report": report, "probe": "live"}),
        (r"/health/ready", HealthHandler, {"report": report, "probe": "ready"}),
    ]
    server = HTTPServer(Application([*health, *routes]))
    server.listen(port, address=listen)
    return server
