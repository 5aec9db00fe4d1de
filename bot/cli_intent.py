"""``openip-bot intent``: what the assistant understands of a sentence, as JSON; ``--review``:
the « Vouliez-vous dire » choices users made, as labelled lines for the training data."""

from __future__ import annotations

import json
from typing import TextIO

from bot.database import Database, open_database
from dialogs.understanding import understand
from domain import services
from domain.services.users import actor_of, find_user


def run_intent(text: str, database: Database, handle: str, stdin: TextIO, stdout: TextIO) -> None:
    """One JSON object for TEXT, or one per line of standard input when TEXT is ``-``."""
    with database.uow() as uow:
        actor = actor_of(find_user(uow.session, handle))
        clients = services.list_clients(uow, actor)
    names = [c.name for c in clients]
    sites = [s.name for c in clients for s in c.sites]
    lines = (line.rstrip("\n") for line in stdin) if text == "-" else iter([text])
    for line in lines:
        result = understand(line, clients=names, sites=sites)
        stdout.write(json.dumps(result.as_json(), ensure_ascii=False) + "\n")
        stdout.flush()


def run_review(url: str, stdout: TextIO, *, mark: bool) -> None:
    """One JSON line per choice not yet reviewed, in the format of ``utterances.jsonl`` (with
    who chose, when, and what was offered); ``mark`` marks them reviewed."""
    from domain.services.intent_examples import examples, mark_reviewed

    database = open_database(url, demo_if_new=False)
    with database.uow() as uow:
        found = examples(uow.session)
        for example in found:
            record = {
                "text": example.text,
                "intent": example.chosen,
                "lang": example.lang,
                "split": "train",
                "offered": example.offered,
                "by": example.handle,
                "at": example.at.isoformat(timespec="seconds"),
            }
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        if mark:
            mark_reviewed(uow.session, [e.id for e in found])
            uow.commit()
    database.dispose()
