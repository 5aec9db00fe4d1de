"""A typed service reference (``SRV-…``) or licence id (``FPC…``) shows that service read-only,
as the portal's « Détails » and « Utilisateurs » tabs do; another reseller's is not found."""

from __future__ import annotations

import re

from dialogs.questions.common import SERVICE_REF
from dialogs.render import render_menu
from dialogs.reply import Reply
from dialogs.service_text import service_text
from dialogs.turn import Turn
from dialogs.understanding import Understanding
from domain.errors import NotFound
from domain.services import locate, service_details

REFERENCE = re.compile(r"\b(?:SRV-\d+|FPC\s*\d+)\b", re.IGNORECASE)  # a look-up's subject


def look_up(turn: Turn, text: str, result: Understanding) -> Reply | None:
    """The service a message names, shown with the menu under it; None when it names none."""
    shown = service_shown(turn, text, result)
    if shown is None:
        return None
    if turn.user.actor is None:
        return render_menu(turn, "common.not_linked")
    return render_menu(turn, "common.menu_after", lead=shown)


def service_shown(turn: Turn, text: str, result: Understanding) -> str | None:
    """The text of the service a message names (by reference or licence id), or why not."""
    refs = SERVICE_REF.findall(text)
    ids = list(result.slots.licence_ids)
    if not refs and not ids:
        return None
    if turn.user.actor is None:
        return turn.say("common.not_linked")
    if not refs:
        found = turn.domain.read(locate, ids, [])
        refs = [found[1]] if found else []
    try:
        details = turn.domain.read(service_details, refs[0] if refs else ids[0])
    except NotFound as missing:
        return turn.say("errors.not_found", ref=missing.ref)
    return service_text(turn.lang, details)
