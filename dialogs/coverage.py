"""Which transitions of each machine have fired in this process (bounded: one entry each)."""

from __future__ import annotations

from dialogs.spec import Procedure, machine_definition

FIRED: set[tuple[str, str, str]] = set()


def note(procedure: str, source: str, trigger: str) -> None:
    FIRED.add((procedure, source, trigger))


def declared(procedure: Procedure) -> set[tuple[str, str, str]]:
    """Every (source, trigger) pair of a machine; an error move (from any question) counts once."""
    _, moves = machine_definition(procedure)
    return {
        (procedure.id, "*" if isinstance(m["source"], list) else str(m["source"]), m["trigger"])
        for m in moves
    }


def report(procedures: dict[str, Procedure]) -> list[tuple[str, int, int, list[str]]]:
    """Per procedure: fired, declared, and the moves never fired."""
    rows = []
    for pid, procedure in sorted(procedures.items()):
        wanted = declared(procedure)
        fired = {
            w
            for w in wanted
            if w in FIRED or (w[1] == "*" and any(f[0] == pid and f[2] == w[2] for f in FIRED))
        }
        missing = sorted(f"{s} --{t}-->" for _, s, t in wanted - fired)
        rows.append((pid, len(fired), len(wanted), missing))
    return rows
