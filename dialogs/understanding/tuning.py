"""Choose the model's regularisation and the thresholds by cross-validation on the train split.

Run ``python -m dialogs.understanding.tuning`` (needs the ``dev`` extra: scikit-learn). For each
``C`` of a small grid it fits one model per fold, then for each acceptance threshold and offer
threshold prints the cross-validated accuracy (intent or out of scope), the out-of-scope
rejection, and the share of in-scope utterances either right or offered as a « Vouliez-vous
dire » button. The test split and any fresh set are never read here.
"""

from __future__ import annotations

from itertools import product

from dialogs.understanding.analysis import Analysis, analyse
from dialogs.understanding.cues import detect_question
from dialogs.understanding.data import Utterance, demo_names, utterances
from dialogs.understanding.recogniser import (
    ACCEPT,
    OFFER,
    RULE_WEIGHT,
    Decision,
    decide,
    scores,
)
from dialogs.understanding.training import featurise, fit

FOLDS = 5
CS = (16.0, 32.0, 64.0)
WEIGHTS = (0.3, 0.4, 0.5, 0.6)
ACCEPTS = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
OFFERS = (0.1, 0.15, 0.2)

Row = tuple[float, float, float, float, float, float, float]


def figures(
    decisions: list[Decision], samples: tuple[Utterance, ...]
) -> tuple[float, float, float]:
    """Accuracy, out-of-scope rejection, in-scope right-or-offered, of decisions vs labels."""
    gold = [s.intent for s in samples]
    pairs = list(zip(decisions, gold, strict=True))
    right = sum(d.intent == g and not d.ambiguous for d, g in pairs)
    oos = [d.intent is None for d, g in pairs if g is None]
    in_scope = [(d, g) for d, g in pairs if g is not None]
    offered = sum(
        (d.intent == g and not d.ambiguous) or g in d.suggestions or (d.ambiguous and g in (
            d.intent, *(a for a, _ in d.alternatives[:2])))
        for d, g in in_scope
    )  # fmt: skip
    return right / len(pairs), sum(oos) / max(1, len(oos)), offered / max(1, len(in_scope))


def cross_validate(samples: tuple[Utterance, ...]) -> list[Row]:
    """(C, weight, accept, offer, accuracy, rejection, right-or-offered) for the grid."""
    clients, sites = demo_names()
    analysed: list[tuple[Analysis, str | None]] = []
    for sample in samples:
        analysis = analyse(sample.text, clients, sites)
        analysed.append((analysis, detect_question(analysis.tagged, analysis.site is not None)))
    pairs = featurise(samples)
    rows: list[Row] = []
    for c in CS:
        models = [
            fit([p for i, p in enumerate(pairs) if i % FOLDS != fold], c) for fold in range(FOLDS)
        ]
        found = [scores(a, q, models[i % FOLDS]) for i, (a, q) in enumerate(analysed)]
        for weight, accept, offer in product(WEIGHTS, ACCEPTS, OFFERS):
            decisions = [
                decide(s, q, accept, offer, weight=weight)
                for s, (_, q) in zip(found, analysed, strict=True)
            ]
            rows.append((c, weight, accept, offer, *figures(decisions, samples)))
    return rows


def main() -> None:
    """Print the grid, best accuracy first."""
    samples = utterances("train")
    rows = cross_validate(samples)
    print(f"{FOLDS}-fold cross-validation on {len(samples)} train utterances")
    print("C      weight accept offer  accuracy rejection right-or-offered")
    for row in sorted(rows, key=lambda r: (-(r[4] + r[5] + r[6]), -r[4]))[:25]:
        print("  ".join(f"{value:.3f}" for value in row))
    print(f"by C and rule weight (accept {ACCEPT}, offer {OFFER}; chosen weight {RULE_WEIGHT}):")
    for row in rows:
        if row[2] == ACCEPT and row[3] == OFFER:
            print("  ".join(f"{value:.3f}" for value in row))


if __name__ == "__main__":
    main()
