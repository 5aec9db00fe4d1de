"""Choose the recogniser's thresholds by cross-validation on the train split only.

Run ``python -m dialogs.understanding.tuning``: for every rule weight, acceptance threshold
and margin of a small grid it prints the 5-fold cross-validated accuracy, out-of-scope
rejection and ambiguity rate; the figures quoted in ``recogniser.py`` come from here.
"""

from __future__ import annotations

from itertools import product

from dialogs.understanding.analysis import Analysis, analyse
from dialogs.understanding.classifier import NaiveBayes
from dialogs.understanding.cues import detect_question
from dialogs.understanding.data import Utterance, demo_names, utterances
from dialogs.understanding.recogniser import (
    ACCEPT,
    MARGIN,
    RULE_WEIGHT,
    decide,
    mixed_scores,
    train,
)

FOLDS = 5
WEIGHTS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 1.0)
ACCEPTS = (0.3, 0.4, 0.45, 0.5, 0.6)
MARGINS = (0.05, 0.1, 0.15, 0.2)

Row = tuple[float, float, float, float, float, float]


def cross_validate(samples: tuple[Utterance, ...]) -> list[Row]:
    """(weight, accept, margin, accuracy, rejection, ambiguous rate) for the whole grid."""
    clients, sites = demo_names()
    analysed: list[tuple[Analysis, str | None]] = []
    for sample in samples:
        analysis = analyse(sample.text, clients, sites)
        analysed.append((analysis, detect_question(analysis.tagged, analysis.site is not None)))
    models: list[NaiveBayes] = [
        train(s for i, s in enumerate(samples) if i % FOLDS != fold) for fold in range(FOLDS)
    ]
    rows: list[Row] = []
    for weight in WEIGHTS:
        scores = [
            mixed_scores(a, q, models[i % FOLDS], weight) for i, (a, q) in enumerate(analysed)
        ]
        for accept, margin in product(ACCEPTS, MARGINS):
            decisions = [decide(s, accept, margin) for s in scores]
            gold = [sample.procedure for sample in samples]
            right = sum(d.procedure == g for d, g in zip(decisions, gold, strict=True))
            oos = [d.procedure is None for d, g in zip(decisions, gold, strict=True) if g is None]
            ambiguous = sum(d.ambiguous for d in decisions)
            rows.append(
                (
                    weight,
                    accept,
                    margin,
                    right / len(samples),
                    sum(oos) / len(oos),
                    ambiguous / len(samples),
                )
            )
    return rows


def main() -> None:
    """Print the grid, best accuracy first."""
    samples = utterances("train")
    rows = cross_validate(samples)
    print(f"{FOLDS}-fold cross-validation on {len(samples)} train utterances")
    print("weight accept margin accuracy rejection ambiguous")
    for row in sorted(rows, key=lambda r: (-r[3], -r[4], r[5]))[:25]:
        print("  ".join(f"{value:.3f}" for value in row))
    print(f"by rule weight (accept {ACCEPT}, margin {MARGIN}):")
    for row in rows:
        if row[1] == ACCEPT and row[2] == MARGIN:
            print("  ".join(f"{value:.3f}" for value in row))
    print(f"by acceptance threshold (rule weight {RULE_WEIGHT}, margin {MARGIN}):")
    for row in rows:
        if row[0] == RULE_WEIGHT and row[2] == MARGIN:
            print("  ".join(f"{value:.3f}" for value in row))


if __name__ == "__main__":
    main()
