"""Scoring on an independent set: JSON lines ``{"text", "lang", "intent", "kind"}``.

``intent`` is a procedure id, ``data_question``, ``greeting``, ``thanks``, ``handoff`` or
``out_of_scope``. A line is **right** when the assistant's first move is exactly that: start
that procedure, answer that kind of message, or (out of scope) start nothing. Asking which of
several procedures, or offering « Vouliez-vous dire … ? » buttons, is not right, but an in-scope
line whose intent is among the buttons counts as **offered**. An out-of-scope line is
**rejected** when no intent is decided (buttons offered to it are counted apart).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from dialogs.understanding import Understanding, understand
from dialogs.understanding.data import demo_names

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Line:
    text: str
    lang: str
    intent: str
    kind: str


Reader = Callable[[Line], Understanding]


def read_with_demo_names(line: Line) -> Understanding:
    """What the operator's assistant understands of a line (every demo client and site)."""
    clients, sites = demo_names()
    return understand(line.text, clients=clients, sites=sites)


@dataclass(frozen=True)
class FreshReport:
    size: int
    accuracy: float
    rejection: float  # out-of-scope lines where no intent was decided
    offered_to_out_of_scope: int  # of those, lines that were still offered buttons
    right_or_offered: float  # in-scope lines right, or their intent among the buttons
    by_kind: dict[str, tuple[int, int]]  # kind → (right, total)
    by_lang: dict[str, tuple[int, int]]
    median_ms: float
    p99_ms: float
    cpu_median_ms: float
    cpu_p99_ms: float
    misses: tuple[str, ...]


def load(path: Path) -> list[Line]:
    """The lines of a fresh set (blank lines skipped)."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            record = json.loads(raw)
            lines.append(Line(record["text"], record["lang"], record["intent"], record["kind"]))
    return lines


def decided(result: Understanding) -> str:
    """The assistant's first move as an intent label (``out_of_scope`` when nothing is decided)."""
    if result.intent is None or result.ambiguous:
        return OUT_OF_SCOPE
    return result.intent


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _tally(pairs: Iterable[tuple[str, bool]]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, right in pairs:
        counts[key][0] += right
        counts[key][1] += 1
    return {key: (right, total) for key, (right, total) in sorted(counts.items())}


def score(lines: list[Line], reader: Reader = read_with_demo_names) -> FreshReport:
    """Read every line once and score it."""
    wall: list[float] = []
    cpu: list[float] = []
    rights: list[bool] = []
    misses: list[str] = []
    offered_oos = rejected = in_scope = in_scope_ok = 0
    for line in lines:
        start, start_cpu = time.perf_counter(), time.thread_time()
        result = reader(line)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        move = decided(result)
        right = move == line.intent
        rights.append(right)
        offers = result.offers()
        if line.intent == OUT_OF_SCOPE:
            rejected += move == OUT_OF_SCOPE
            offered_oos += move == OUT_OF_SCOPE and bool(offers)
        else:
            in_scope += 1
            in_scope_ok += right or line.intent in offers
        if not right:
            shown = f" offered {list(offers)}" if offers else ""
            misses.append(f"[{line.kind}/{line.lang}] {line.text!r}: {line.intent} → {move}{shown}")
    out_of_scope = sum(line.intent == OUT_OF_SCOPE for line in lines)
    return FreshReport(
        size=len(lines),
        accuracy=sum(rights) / max(1, len(lines)),
        rejection=rejected / max(1, out_of_scope),
        offered_to_out_of_scope=offered_oos,
        right_or_offered=in_scope_ok / max(1, in_scope),
        by_kind=_tally((line.kind, r) for line, r in zip(lines, rights, strict=True)),
        by_lang=_tally((line.lang, r) for line, r in zip(lines, rights, strict=True)),
        median_ms=statistics.median(wall) if wall else 0.0,
        p99_ms=_percentile(wall, 0.99) if wall else 0.0,
        cpu_median_ms=statistics.median(cpu) if cpu else 0.0,
        cpu_p99_ms=_percentile(cpu, 0.99) if cpu else 0.0,
        misses=tuple(misses),
    )


def print_report(report: FreshReport, write: Callable[[str], object] = print) -> None:
    """The figures, then every miss."""
    write(f"fresh set: {report.size} lines, each read once")
    write(f"  overall accuracy                     {report.accuracy:7.1%}   target >= 95 %")
    write(f"  out-of-scope rejection               {report.rejection:7.1%}   target >= 95 %"
          f"   ({report.offered_to_out_of_scope} of them offered buttons)")  # fmt: skip
    write(f"  in-scope right or offered as button  {report.right_or_offered:7.1%}   target >= 99 %")
    write(f"  time per sentence: median {report.median_ms:.3f} ms, p99 {report.p99_ms:.3f} ms"
          "   target median <= 1 ms, p99 <= 5 ms")  # fmt: skip
    write(f"    (CPU time: median {report.cpu_median_ms:.3f} ms, p99 {report.cpu_p99_ms:.3f} ms)")
    for title, table in (("kind", report.by_kind), ("language", report.by_lang)):
        write(f"  accuracy by {title}:")
        for key, (right, total) in table.items():
            write(f"    {key:<12} {right / total:7.1%}  ({right}/{total})")
    write(f"misses ({len(report.misses)}):")
    for miss in report.misses:
        write("  " + miss)
