"""The labelled utterances and the demo names the recogniser is trained and measured on."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Utterance:
    """One labelled line of ``utterances.jsonl``.

    ``intent`` is a procedure id, or ``data_question``, ``greeting``, ``thanks``, ``handoff``;
    None means out of scope.
    """

    text: str
    intent: str | None
    lang: str
    split: str
    mode: str | None = None
    question: str | None = None
    slots: dict[str, object] | None = field(default=None, hash=False)
    mode_labelled: bool = False
    source: str = "team"  # who wrote it: the team, or an independent writer (``writer_a``…)


@cache
def utterances(split: str) -> tuple[Utterance, ...]:
    """The utterances of one split: ``train`` (to learn and tune) or ``test`` (held out)."""
    found: list[Utterance] = []
    with (HERE / "utterances.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["split"] != split:
                continue
            found.append(
                Utterance(
                    text=record["text"],
                    intent=record["intent"],
                    lang=record["lang"],
                    split=record["split"],
                    mode=record.get("mode"),
                    question=record.get("question"),
                    slots=record.get("slots"),
                    mode_labelled="mode" in record,
                    source=record.get("source", "team"),
                )
            )
    return tuple(found)


@cache
def demo_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The clients and sites the utterances name (what a demo user may see)."""
    names = json.loads((HERE / "names.json").read_text(encoding="utf-8"))
    return tuple(names["clients"]), tuple(names["sites"])
