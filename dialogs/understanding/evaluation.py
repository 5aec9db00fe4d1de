"""Quality figures of the recogniser on a set of labelled utterances (used by the benchmark)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dialogs.understanding.data import Utterance, demo_names
from dialogs.understanding.recogniser import INTENTS

Reader = Callable[[Utterance], tuple[str | None, dict[str, object], str | None, str | None, str]]


@dataclass(frozen=True)
class Report:
    """The figures of one evaluation, and the utterances it got wrong."""

    size: int
    accuracy: float
    macro_f1: float
    rejection: float  # out-of-scope utterances answered None
    slot_match: float  # utterances with expected slots whose slots are exactly right
    question_accuracy: float
    mode_accuracy: float
    language_accuracy: float
    median_ms: float
    p99_ms: float
    cpu_p99_ms: float
    errors: tuple[str, ...]


def read_with_understand(utterance: Utterance) -> tuple[
    str | None, dict[str, object], str | None, str | None, str
]:  # fmt: skip
    """Run :func:`understand` on one utterance with the demo names as candidates."""
    from dialogs.understanding import understand

    clients, sites = demo_names()
    result = understand(utterance.text, clients=clients, sites=sites)
    return result.intent, result.slots.as_dict(), result.question, result.mode, result.lang


def macro_f1(pairs: Sequence[tuple[str | None, str | None]]) -> float:
    """Mean F1 over the intents and ``None`` (those present in the set or predicted)."""
    scores = []
    for label in (*INTENTS, None):
        true_pos = sum(1 for gold, got in pairs if gold == label and got == label)
        predicted = sum(1 for _, got in pairs if got == label)
        actual = sum(1 for gold, _ in pairs if gold == label)
        if not actual and not predicted:
            continue
        precision = true_pos / predicted if predicted else 0.0
        recall = true_pos / actual if actual else 0.0
        total = precision + recall
        scores.append(2 * precision * recall / total if total else 0.0)
    return statistics.fmean(scores)


def evaluate(samples: Sequence[Utterance], reader: Reader = read_with_understand) -> Report:
    """Read every utterance and compare with its labels."""
    pairs: list[tuple[str | None, str | None]] = []
    slot_hits, slot_total, question_hits, mode_hits, mode_total, lang_hits = 0, 0, 0, 0, 0, 0
    times: list[float] = []
    cpu: list[float] = []
    errors: list[str] = []
    for sample in samples:
        start, start_cpu = time.perf_counter(), time.thread_time()
        intent, slots, question, mode, lang = reader(sample)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        pairs.append((sample.intent, intent))
        wrong = [f"intent={intent}"] if intent != sample.intent else []
        if sample.slots is not None:
            slot_total += 1
            slot_hits += slots == sample.slots
            wrong += [f"slots={slots}"] if slots != sample.slots else []
        question_hits += question == sample.question
        wrong += [f"question={question}"] if question != sample.question else []
        if sample.mode_labelled:
            mode_total += 1
            mode_hits += mode == sample.mode
            wrong += [f"mode={mode}"] if mode != sample.mode else []
        lang_hits += lang == sample.lang
        wrong += [f"lang={lang}"] if lang != sample.lang else []
        if wrong:
            errors.append(f"{sample.text!r} [{sample.intent}] → " + ", ".join(wrong))
    out_of_scope = [got for gold, got in pairs if gold is None]
    ordered = sorted(times)
    return Report(
        size=len(samples),
        accuracy=sum(gold == got for gold, got in pairs) / len(pairs),
        macro_f1=macro_f1(pairs),
        rejection=sum(got is None for got in out_of_scope) / max(1, len(out_of_scope)),
        slot_match=slot_hits / max(1, slot_total),
        question_accuracy=question_hits / len(samples),
        mode_accuracy=mode_hits / max(1, mode_total),
        language_accuracy=lang_hits / len(samples),
        median_ms=statistics.median(times),
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        cpu_p99_ms=sorted(cpu)[min(len(cpu) - 1, int(len(cpu) * 0.99))],
        errors=tuple(errors),
    )
