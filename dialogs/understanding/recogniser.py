"""The procedure of an utterance: rule evidence and naive Bayes, mixed, then thresholds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dialogs.understanding.analysis import Analysis, analyse
from dialogs.understanding.classifier import OUT_OF_SCOPE, NaiveBayes, features
from dialogs.understanding.cues import detect_question
from dialogs.understanding.data import Utterance, demo_names, utterances
from dialogs.understanding.rules import PROCEDURES, rule_scores

# Chosen by 5-fold cross-validation on the train split only (python -m
# dialogs.understanding.tuning, 401 utterances). Accuracy / out-of-scope rejection by rule
# weight, at accept 0.5 and margin 0.1: classifier alone (0.0) 0.880 / 0.615; 0.5: 0.988 /
# 0.982; 0.7: 0.998 / 1.000; 0.8: 1.000 / 1.000; rules alone (1.0) 0.998 / 1.000.
# At weight 0.8, accept 0.3..0.5 gives 1.000 and 0.6 gives 0.998: 0.5 is the highest safe
# value, and with it a procedure without any rule evidence (at most 0.2) is never chosen.
# Margins 0.05..0.1 leave no train utterance ambiguous (0.15..0.2: 0.2 %); "je veux résilier"
# is flagged anyway, because the rules tie cancel_licences and cancel_starter_pack.
RULE_WEIGHT = 0.8
ACCEPT = 0.5
MARGIN = 0.1


@dataclass(frozen=True)
class Decision:
    """The procedure chosen (None: out of scope), how sure, and the runners-up."""

    procedure: str | None
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    ambiguous: bool


def train(samples: Iterable[Utterance]) -> NaiveBayes:
    """Fit the classifier on labelled utterances (the recogniser uses the train split only)."""
    clients, sites = demo_names()
    pairs = []
    for utterance in samples:
        analysis = analyse(utterance.text, clients, sites)
        question = detect_question(analysis.tagged, analysis.site is not None)
        pairs.append((features(analysis, question), utterance.procedure or OUT_OF_SCOPE))
    return NaiveBayes().fit(pairs)


MODEL = train(utterances("train"))


@dataclass(frozen=True)
class Scores:
    """Rule evidence per procedure, and the mixed score of each procedure and of ``none``."""

    rules: dict[str, float]
    mixed: dict[str, float]


def mixed_scores(
    analysis: Analysis, question: str | None, model: NaiveBayes = MODEL, weight: float = RULE_WEIGHT
) -> Scores:
    """Score of each procedure and of ``none``: weight × rules + (1 − weight) × classifier."""
    rules = rule_scores(analysis.tagged, question)
    learned = model.probabilities(features(analysis, question))
    scores = {p: weight * rules[p] + (1 - weight) * learned.get(p, 0.0) for p in PROCEDURES}
    strongest_rule = max(rules.values())
    scores[OUT_OF_SCOPE] = weight * (1 - strongest_rule) + (1 - weight) * learned.get(
        OUT_OF_SCOPE, 0.0
    )
    return Scores(rules, scores)


def decide(found: Scores, accept: float = ACCEPT, margin: float = MARGIN) -> Decision:
    """Pick the best procedure if it beats ``none`` and the acceptance threshold.

    Two procedures are ambiguous when their scores are within ``margin``, or when the rules
    cannot tell them apart (the classifier alone does not break such a tie).
    """
    scores, rules = found.mixed, found.rules
    ranked = sorted(((scores[p], p) for p in PROCEDURES), reverse=True)
    (best_score, best), (second_score, second) = ranked[0], ranked[1]
    alternatives = tuple((p, round(s, 3)) for s, p in ranked if s >= 0.05)
    if best_score < accept or best_score <= scores[OUT_OF_SCOPE]:
        return Decision(None, round(scores[OUT_OF_SCOPE], 3), alternatives, False)
    tied = rules[best] == rules[second] > 0
    ambiguous = tied or best_score - second_score < margin
    return Decision(best, round(best_score, 3), alternatives[1:], ambiguous)
