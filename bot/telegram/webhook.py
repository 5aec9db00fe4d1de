"""The webhook: an update is answered 200 once its turn committed, 5xx when it could not.

Telegram delivers an update again until it gets 200, so an update whose turn could not commit
(the database away) is answered 503 and comes back later. A request without the right secret
token header gets 403 and runs nothing.

A button press is answered (``answerCallbackQuery``) in the 200 reply itself, as the Bot API
allows a webhook to do ("making requests when getting updates"): one HTTP request less per press,
for an answer whose outcome nobody reads (it only stops the button's spinner).
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.telegram.handlers import Handlers, Outcome

log = logging.getLogger("openip_bot.telegram")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class UpdateHandler(RequestHandler):
    def initialize(self, app: Any, handlers: Handlers, secret: str) -> None:
        self.app, self.handlers, self.secret = app, handlers, secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self._answer(403)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError):
            self._answer(400)
            return
        processor = self.app.update_processor  # one chat's updates one after another
        await processor.process_update(update, self.app.process_update(update))
        outcome = self.handlers.outcomes.pop(update.update_id, Outcome.DONE)
        query = self.handlers.reply_answers.pop(update.update_id, None)
        if not outcome.acknowledged:
            self._answer(503)
        elif query is not None:
            self._answer(200, {"method": "answerCallbackQuery", "callback_query_id": query})
        else:
            self._answer(200)

    def _answer(self, status: int, method: dict[str, str] | None = None) -> None:
        self.set_status(status)
        if method is None:
            self.finish()
            return
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(method))


def start_webhook_server(
    app: Any, handlers: Handlers, secret: str, listen: str, port: int, path: str
) -> HTTPServer:
    """Serve ``POST /<path>`` in the running event loop; stop it with ``server.stop()``."""
    route = f"/{path.strip('/')}" if path.strip("/") else "/"
    handlers.answer_in_reply = True
    given = {"app": app, "handlers": handlers, "secret": secret}
    web = Application([(route, UpdateHandler, given)])
    server = HTTPServer(web)
    server.listen(port, address=listen)
    return server
