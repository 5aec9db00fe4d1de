"""``POST /orders/{ref}/signature``: an e-signature service says the client signed the quote.

The request is authenticated by an HMAC-SHA256 of its raw body with
``OPENIP_BOT_SIGNATURE_SECRET``, hex-encoded in the ``X-Signature-SHA256`` header (``sha256=``
prefix accepted). The body is JSON naming the order (``{"order": "CMD-…"}``), so that a signed
body cannot be replayed against another order. Answers: 200 the order is final (``changed``:
false when it already was: a replay changes nothing twice), 401 wrong or missing signature
(nothing read, nothing changed), 400 a body not naming this order, 404 unknown order, 409 the
order was withdrawn or expired, or another change won a race (try again).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from tornado.web import RequestHandler

from domain.access import Actor
from domain.errors import Conflict, NotFound, OrderNotAwaitingSignature
from domain.model import Role
from domain.persistence.uow import UnitOfWork
from domain.services import record_client_signature
from domain.services.order_life import OrderNotifier

HEADER = "X-Signature-SHA256"
ROUTE = r"/orders/([A-Za-z0-9-]{1,30})/signature"
E_SIGNATURE = Actor("e-signature", Role.OPERATOR)  # the audit's actor for a signed callback


def signature_of(secret: str, body: bytes) -> str:
    """The header value a sender computes for ``body``."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_signed(secret: str, body: bytes, header: str | None) -> bool:
    """True when ``header`` carries the HMAC of ``body`` (compared in constant time)."""
    if not header or not secret:
        return False
    given = header.strip().removeprefix("sha256=")
    return hmac.compare_digest(given.encode(), signature_of(secret, body).encode())


def sign_order(
    sessions: sessionmaker[Session], ref: str, notifier: OrderNotifier | None
) -> tuple[int, dict[str, Any]]:
    """Record the signature; the HTTP status and JSON body to answer."""
    try:
        with UnitOfWork(sessions) as uow:
            order = record_client_signature(uow, E_SIGNATURE, ref, notifier)
    except NotFound:
        return 404, {"error": "unknown order", "order": ref}
    except OrderNotAwaitingSignature as ended:
        if ended.status == "final":
            return 200, {"order": ended.order_ref, "state": "final", "changed": False}
        return 409, {"error": "order ended", "order": ended.order_ref, "state": ended.status}
    except Conflict:
        return 409, {"error": "concurrent change, try again", "order": ref}
    return 200, {"order": order.ref, "state": order.status, "changed": True}


class SignatureCallback(RequestHandler):
    """The e-signature service's callback (see the module's docstring)."""

    def initialize(
        self, sessions: sessionmaker[Session], secret: str, notifier: OrderNotifier | None
    ) -> None:
        self.sessions, self.secret, self.notifier = sessions, secret, notifier

    async def post(self, ref: str) -> None:
        body = self.request.body
        if not is_signed(self.secret, body, self.request.headers.get(HEADER)):
            return self._answer(401, {"error": "bad signature"})
        try:
            named = json.loads(body or b"{}").get("order", "")
        except (ValueError, AttributeError):
            named = None
        if not isinstance(named, str) or named.strip().upper() != ref.upper():
            return self._answer(400, {"error": "the body must name this order", "order": ref})
        status, answer = await asyncio.to_thread(sign_order, self.sessions, ref, self.notifier)
        self._answer(status, answer)

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))

    def check_xsrf_cookie(self) -> None:
        """A server-to-server callback carries no cookie; the HMAC authenticates it."""


def signature_route(
    sessions: sessionmaker[Session], secret: str, notifier: OrderNotifier | None
) -> tuple[str, type[SignatureCallback], dict[str, Any]]:
    """The route to add to the small tornado server of ``run``."""
    return ROUTE, SignatureCallback, {"sessions": sessions, "secret": secret, "notifier": notifier}
