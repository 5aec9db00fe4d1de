"""A summary is a commitment: what it lists is saved with its Confirmer and performed exactly.

A procedure's summary calls :func:`bind` with the licences it lists (as read, versions included)
and anything else it promises (``extra``: a number, quote lines…). Its ``perform`` hands
:func:`ids` and :func:`versions` to the domain, which refuses with ``ListedChanged`` when one of
them changed meanwhile (and with ``Conflict`` when a concurrent change won the race). Then nothing
is done: :func:`explain` renders a fresh summary that says what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from dialogs.reply import Reply
from dialogs.texts import bullets
from dialogs.turn import Turn
from domain.errors import ListedChanged
from domain.phone import national_format
from domain.views import LicenceView


def bind(
    turn: Turn,
    service_ref: str,
    licences: Iterable[LicenceView],
    extra: dict[str, Any] | None = None,
) -> None:
    """Save what the summary about to be shown lists (it replaces the previous summary's); when
    something the previous one listed changed since, the summary shown now says so (its note)."""
    previous = turn.frame.commitment
    changes = _licence_changes(turn, previous) if previous is not None else []
    if changes:
        turn.frame.commitment_note = turn.say("commitment.changed_since", changes=bullets(changes))
    turn.frame.commitment = {
        "service": service_ref,
        "licences": {lic.id: _facts(lic) for lic in licences},
        "extra": extra or {},
    }


def listed(turn: Turn) -> dict[str, Any]:
    """The commitment of the summary shown; none (an older conversation) means: show it again."""
    found = turn.frame.commitment
    if found is None:
        raise ListedChanged(())
    return found


def take_note(turn: Turn) -> str:
    """What changed since the previous summary (once: it is said above the new one), or ""."""
    if turn.conv.frame is None:
        return ""
    note, turn.frame.commitment_note = turn.frame.commitment_note, ""
    return note


def ids(turn: Turn) -> tuple[str, ...]:
    return tuple(listed(turn)["licences"])


def versions(turn: Turn) -> tuple[tuple[str, int], ...]:
    return tuple((i, int(f["v"])) for i, f in listed(turn)["licences"].items())


def extra(turn: Turn) -> dict[str, Any]:
    found: dict[str, Any] = listed(turn)["extra"]
    return found


def explain(turn: Turn, show: Any) -> Reply:
    """Nothing was done: say what changed since the summary, then show the situation now."""
    old = turn.frame.commitment or {}  # said below: not again by the fresh summary
    turn.frame.commitment = None
    turn.domain.forget()
    reply: Reply = show(turn)
    lines = _licence_changes(turn, old)
    new = turn.frame.commitment if turn.conv.frame is not None else None
    if new is not None and new.get("extra") != old.get("extra"):
        lines.append(turn.say("commitment.other_changed"))
    note = turn.say("commitment.changed", changes=bullets(lines))
    return replace(reply, text=f"{note}\n\n{reply.text}")


def _facts(lic: LicenceView) -> dict[str, Any]:
    return {"state": lic.state, "site": lic.site, "sda": lic.sda, "v": lic.version}


def _licence_changes(turn: Turn, old: dict[str, Any]) -> list[str]:
    listed_before: dict[str, dict[str, Any]] = old.get("licences") or {}
    if not listed_before or turn.user.actor is None:
        return []
    from domain.errors import NotFound

    try:
        now = {lic.id: lic for lic in turn.domain.service(str(old["service"])).licences}
    except NotFound:
        return [turn.say("commitment.gone", id=i) for i in listed_before]
    lines = []
    for licence_id, facts in listed_before.items():
        lines.extend(_one(turn, licence_id, facts, now.get(licence_id)))
    return lines


def _one(turn: Turn, licence_id: str, facts: dict[str, Any], now: LicenceView | None) -> list[str]:
    if now is None:
        return [turn.say("commitment.gone", id=licence_id)]
    if now.state != facts["state"]:
        return [turn.say("commitment.cancelled", id=licence_id)]
    if now.site != facts["site"]:
        return [turn.say("commitment.moved", id=licence_id, site=now.site)]
    if now.sda != facts["sda"]:
        if now.sda is None:
            return [turn.say("commitment.number_removed", id=licence_id)]
        number = national_format(now.sda)
        return [turn.say("commitment.number_attached", id=licence_id, number=number)]
    if now.version != facts["v"]:
        return [turn.say("commitment.modified", id=licence_id)]
    return []
