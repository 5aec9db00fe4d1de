"""Choose the model's regularisation and the thresholds by leaving one writer out.

Run ``python -m dialogs.understanding.tuning`` (needs the ``dev`` extra: scikit-learn). The train
split holds the team's lines and those of independent writers (``source``). For each ``C`` of a
small grid, one model is fitted per writer on everything but that writer's lines, then for each
rule weight, acceptance threshold and offer threshold the held-out writer's lines are read: the
grid prints the accuracy (intent or out of scope), the out-of-scope rejection and the share of
in-scope lines right or offered as a « Vouliez-vous dire » button, averaged over the writers.
A writer's sentences stand for people the model never read, as a fresh set does; a random fold
of one writer's lines flatters (98 % against 90 % measured on a writer held out). The test split
and any fresh set are never read here.
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
    Scores,
    decide,
    scores,
)
from dialogs.understanding.training import featurise, fit

CS = (16.0, 32.0, 64.0)
WEIGHTS = (0.1, 0.2, 0.3)
ACCEPTS = (0.5, 0.55, 0.6, 0.65)
OFFERS = (0.1, 0.15)

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
    """(C, weight, accept, offer, accuracy, rejection, right-or-offered) for the grid, each
    figure the mean over the writers held out in turn."""
    clients, sites = demo_names()
    analysed: list[tuple[Analysis, str | None]] = []
    for sample in samples:
        analysis = analyse(sample.text, clients, sites)
        analysed.append((analysis, detect_question(analysis.tagged, analysis.site is not None)))
    pairs = featurise(samples)
    writers = sorted({s.source for s in samples} - {"team"})
    rows: list[Row] = []
    for c in CS:
        found: dict[str, list[tuple[Scores, str | None, Utterance]]] = {}
        for writer in writers:
            model = fit([p for p, s in zip(pairs, samples, strict=True) if s.source != writer], c)
            found[writer] = [
                (scores(a, q, model), q, s)
                for (a, q), s in zip(analysed, samples, strict=True)
                if s.source == writer
            ]
        for weight, accept, offer in product(WEIGHTS, ACCEPTS, OFFERS):
            per_writer = [
                figures(
                    [decide(f, q, accept, offer, weight=weight) for f, q, _ in found[w]],
                    tuple(s for _, _, s in found[w]),
                )
                for w in writers
            ]
            accuracy, rejection, offered = (
                sum(f[i] for f in per_writer) / len(per_writer) for i in range(3)
            )
            rows.append((c, weight, accept, offer, accuracy, rejection, offered))
    return rows


def main() -> None:
    """Print the grid, best accuracy first."""
    samples = utterances("train")
    rows = cross_validate(samples)
    writers = len({s.source for s in samples} - {"team"})
    print(f"{len(samples)} train utterances, each of {writers} writers held out in turn")
    print("C      weight accept offer  accuracy rejection right-or-offered")
    for row in sorted(rows, key=lambda r: (-(r[4] + r[5] + r[6]), -r[4]))[:25]:
        print("  ".join(f"{value:.3f}" for value in row))
    print(f"by C and rule weight (accept {ACCEPT}, offer {OFFER}; chosen weight {RULE_WEIGHT}):")
    for row in rows:
        if row[2] == ACCEPT and row[3] == OFFER:
            print("  ".join(f"{value:.3f}" for value in row))


if __name__ == "__main__":
    main()
