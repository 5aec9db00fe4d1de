"""Reading the user's words: what a typed message means, with the names this user may see, and
the answers its slots give to act mode."""

from __future__ import annotations

from typing import Any

from dialogs.turn import Turn
from dialogs.understanding import Understanding, understand

# slots of the first sentence -> answers of act mode
SLOT_ANSWERS = {
    "client": "client",
    "site": "site",
    "quantity": "quantity",
    "licence_type": "licence_type",
    "licence_ids": "licences",
    "numbers": "number",
    "new_site": "name",
    "street": "street",
    "postal_code": "postal_code",
    "city": "city",
}


def read(turn: Turn, text: str, *, follow_lang: bool = True) -> Understanding:
    """Understand a message with the names this user may see; follow its language unless
    ``follow_lang`` is False (the caller decides once it knows the message is answered)."""
    clients: list[str] = []
    sites: list[str] = []
    if turn.user.actor is not None:
        for client in turn.domain.clients():
            clients.append(client.name)
            sites.extend(s.name for s in client.sites)
    result = understand(text, clients=clients, sites=sites, fallback_lang=turn.conv.lang)
    if follow_lang:
        turn.conv.lang = result.lang
    return result


def prefill(result: Understanding) -> dict[str, Any]:
    """The answers of act mode that a message's slots give."""
    answers: dict[str, Any] = {}
    slots: dict[str, Any] = result.slots.as_dict()
    for slot, value in slots.items():
        if slot in SLOT_ANSWERS and value not in (None, (), []):
            if slot == "numbers":
                value = next(iter(value))
            elif slot == "licence_ids":
                value = list(value)
            answers[SLOT_ANSWERS[slot]] = value
    ids: list[str] = list(slots.get("licence_ids") or ())
    if "number" not in answers and len(ids) == 1:
        answers["number"] = ids[0]  # "dissocie la SDA de FPC367124": the number by its licence
    return answers
