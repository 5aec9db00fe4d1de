"""The independent-set scorer of ``python -m benchmarks.intent --fresh PATH``, on a tiny set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.intent import main
from dialogs.understanding.scoring import load, score

LINES = [
    {"text": "résilie 2 licences full chez Cabinet Azur", "lang": "fr", "intent": "cancel_licences",
     "kind": "plain"},
    {"text": "quel temps fait-il ?", "lang": "fr", "intent": "out_of_scope", "kind": "chitchat"},
    {"text": "thanks a lot", "lang": "en", "intent": "thanks", "kind": "chitchat"},
    # labelled wrongly on purpose: the scorer must count it as a miss and list it
    {"text": "bonjour", "lang": "fr", "intent": "handoff", "kind": "chitchat"},
]  # fmt: skip


@pytest.fixture
def fresh_file(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in LINES) + "\n")
    return path


def test_the_fresh_scorer_counts_right_lines_rejections_and_misses(fresh_file: Path) -> None:
    report = score(load(fresh_file))
    assert report.size == 4
    assert report.accuracy == 0.75
    assert report.rejection == 1.0
    assert report.by_kind == {"chitchat": (2, 3), "plain": (1, 1)}
    assert report.by_lang == {"en": (1, 1), "fr": (2, 3)}
    assert len(report.misses) == 1
    assert "'bonjour': handoff → greeting" in report.misses[0]


def test_the_fresh_benchmark_prints_every_figure_and_the_misses(
    fresh_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--fresh", str(fresh_file)])
    printed = " ".join(capsys.readouterr().out.split())
    for figure in (
        "overall accuracy 75.0%",
        "out-of-scope rejection 100.0%",
        "in-scope right or offered as button 66.7%",
        "time per sentence: median",
        "chitchat 66.7% (2/3)",
        "fr 66.7% (2/3)",
        "misses (1): [chitchat/fr] 'bonjour': handoff → greeting",
    ):
        assert figure in printed
