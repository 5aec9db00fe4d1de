"""Turns benchmark, report side: the table of figures, the ratios and the issue's targets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.turns_traffic import Figures

ECHO, PEER = "echo bot (PTB)", "peer (PTB + pickle)"


@dataclass(frozen=True)
class Row:
    bot: str
    walk: str  # "guide", "act" or "both"
    figures: Figures

    @property
    def cpu(self) -> float:
        """CPU ms per turn of the bot process."""
        return self.figures.cpu_ms_per_turn or 0.0

    @property
    def all_cpu(self) -> float:
        """CPU ms per turn of the bot process and of its database server."""
        return self.cpu + (self.figures.server_ms_per_turn or 0.0)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| bot | walk | turns | turns/s | p50 | p99 | CPU per turn | DB server CPU per turn "
        "| tries failed |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        f = row.figures
        lines.append(
            f"| {row.bot} | {row.walk} | {f.turns:,} | {f.per_second:,.1f} | "
            f"{f.p50_ms:,.0f} ms | {f.p99_ms:,.0f} ms | {_ms(f.cpu_ms_per_turn)} ms | "
            + (f"{_ms(f.server_ms_per_turn)} ms |" if f.server_cpu is not None else "— |")
            + f" {f.failed} |"
        )
    return lines


@dataclass(frozen=True)
class Target:
    what: str
    ratio: float
    limit: float
    at_most: bool

    def line(self) -> str:
        met = self.ratio <= self.limit if self.at_most else self.ratio >= self.limit
        sign = "≤" if self.at_most else "≥"
        verdict = "ok" if met else f"MISSED by {abs(self.ratio / self.limit - 1):.0%}"
        return f"- {self.what}: × {self.ratio:.2f} (target {sign} {self.limit:g}) {verdict}"


def targets(rows: Sequence[Row]) -> list[Target]:
    """The issue's targets, for each backend the assistant ran on."""
    by = {(r.bot, r.walk): r for r in rows}
    echo, peer = by.get((ECHO, "guide")), by.get((PEER, "guide"))
    found: list[Target] = []
    for backend, cpu_limit in (("SQLite", 1.0), ("PostgreSQL", 1.2)):
        guide = by.get((f"openip-bot, {backend}", "guide"))
        acted = by.get((f"openip-bot, {backend}", "act"))
        if guide is None:
            continue
        pace = guide.figures.per_second
        if peer is not None:
            found.append(Target(f"{backend}: CPU per guide turn / peer's",
                                guide.cpu / peer.cpu, cpu_limit, True))
            if guide.figures.server_cpu is not None:
                found.append(Target(
                    f"{backend}: CPU per guide turn, database server included / peer's",
                    guide.all_cpu / peer.cpu, cpu_limit, True))
            found.append(Target(f"{backend}: guide turns/s / peer's",
                                pace / peer.figures.per_second, 1.0, False))
        if acted is not None:
            found.append(Target(f"{backend}: CPU per act turn / per guide turn",
                                acted.all_cpu / guide.all_cpu, 1.5, True))
        if echo is not None:
            found.append(Target(f"{backend}: guide turns/s / echo bot's",
                                pace / echo.figures.per_second, 0.8, False))
            found.append(Target(f"{backend}: guide p99 / echo bot's",
                                guide.figures.p99_ms / echo.figures.p99_ms, 2.0, True))
    return found


def report(rows: Sequence[Row], chats: int, rounds: int) -> str:
    lines = [f"{chats} chats at once, {rounds} round(s) pooled; CPU from /proc "
             "(DB server: the PostgreSQL backends serving the bot)", "", *table(rows), ""]
    lines += ["Targets:", *(t.line() for t in targets(rows))]
    return "\n".join(lines)
