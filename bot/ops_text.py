"""What the operations commands print: the audit trail, the statistics, the health checks."""

from __future__ import annotations

from collections import Counter
from typing import Any

from dialogs.stats import ProcedureStats
from domain.services.audit_log import AuditRecord

NOTHING = "∅"
_COLUMNS = ("started", "completed", "cancelled", "abandoned", "under_way")


def audit_text(record: AuditRecord) -> str:
    """``date  who  action  client  objects`` then one ``key: before → after`` line per change."""
    client = f"{record.client} ({record.account_ref})" if record.client else "-"
    head = "  ".join(
        (
            record.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            record.actor,
            record.action,
            client,
            ", ".join(str(o) for o in record.objects),
        )
    )
    keys = list(dict.fromkeys([*record.before, *record.after]))
    changes = [
        f"    {key}: {_value(record.before.get(key))} → {_value(record.after.get(key))}"
        for key in keys
    ]
    return "\n".join([head, *changes])


def _value(value: Any) -> str:
    return NOTHING if value is None or value == "" else str(value)


def stats_text(table: list[ProcedureStats], idle_minutes: int) -> str:
    """A table per procedure, then the steps where people abandon or cancel, most often first."""
    width = max([len("procedure"), *(len(s.procedure) for s in table)])
    header = f"{'procedure':<{width}}  " + "  ".join(f"{c.replace('_', ' '):>9}" for c in _COLUMNS)
    lines = [header, "-" * len(header)]
    for stats in table:
        counts = "  ".join(f"{getattr(stats, c):>9}" for c in _COLUMNS)
        lines.append(f"{stats.procedure:<{width}}  {counts}")
    lines.append(f"\nabandoned = under way and idle for more than {idle_minutes} min")
    for stats in table:
        for label, steps in (
            ("abandoned at", stats.abandoned_at),
            ("cancelled at", stats.cancelled_at),
        ):
            if steps:
                lines.append(f"{stats.procedure} — {label}: {_steps(steps)}")
    return "\n".join(lines)


def _steps(steps: Counter[str]) -> str:
    return ", ".join(f"{step} ({n})" for step, n in steps.most_common())


def stats_json(table: list[ProcedureStats]) -> list[dict[str, Any]]:
    return [
        {
            **{c: getattr(s, c) for c in ("procedure", *_COLUMNS)},
            "abandoned_at": dict(s.abandoned_at.most_common()),
            "cancelled_at": dict(s.cancelled_at.most_common()),
        }
        for s in table
    ]


def health_text(report: dict[str, Any]) -> str:
    """One line per check: ``name  STATUS  detail``, then liveness and readiness."""
    lines = [f"{c['name']:<9} {c['status'].upper():<8} {c['detail']}" for c in report["checks"]]
    verdict = {True: "yes", False: "no"}
    lines.append(
        f"live: {verdict[report['live']]}, ready: {verdict[report['ready']]} "
        "(the Bot API is reported, not required)"
    )
    return "\n".join(lines)
