"""A small multinomial naive Bayes over concepts, verb→object relations and corrected words."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from dialogs.understanding.analysis import Analysis
from dialogs.understanding.normalise import STOPWORDS
from dialogs.understanding.rules import relations

OUT_OF_SCOPE = "none"


def features(analysis: Analysis, question: str | None) -> list[str]:
    """The features of an analysed utterance: concepts, relations, words and the question."""
    tagged = analysis.tagged
    found = {f"c:{concept}" for concept in tagged.concepts}
    found |= {f"r:{verb}>{target}" for _, verb, target in relations(tagged)}
    found |= {f"w:{word}" for word in tagged.words if word not in STOPWORDS}
    if question:
        found.add(f"q:{question}")
    if not tagged.hits:
        found.add("none:no-concept")
    return sorted(found)


class NaiveBayes:
    """Multinomial naive Bayes with Laplace smoothing; features count once per utterance."""

    def __init__(self, smoothing: float = 0.5) -> None:
        self.smoothing = smoothing
        self.log_prior: dict[str, float] = {}
        self.log_likelihood: dict[str, dict[str, float]] = {}
        self.log_unseen: dict[str, float] = {}
        self.samples = 0

    def fit(self, samples: Iterable[tuple[Sequence[str], str]]) -> NaiveBayes:
        """Learn from (features, label) pairs."""
        per_label: dict[str, Counter[str]] = defaultdict(Counter)
        label_counts: Counter[str] = Counter()
        vocabulary: set[str] = set()
        for found, label in samples:
            per_label[label].update(found)
            label_counts[label] += 1
            vocabulary.update(found)
        total = self.samples = sum(label_counts.values())
        for label, counts in per_label.items():
            denominator = sum(counts.values()) + self.smoothing * (len(vocabulary) + 1)
            self.log_prior[label] = math.log(label_counts[label] / total)
            self.log_likelihood[label] = {
                feature: math.log((count + self.smoothing) / denominator)
                for feature, count in counts.items()
            }
            self.log_unseen[label] = math.log(self.smoothing / denominator)
        return self

    def probabilities(self, found: Sequence[str]) -> dict[str, float]:
        """Posterior probability of every label."""
        known = [f for f in found if any(f in table for table in self.log_likelihood.values())]
        logs = {
            label: prior
            + sum(self.log_likelihood[label].get(f, self.log_unseen[label]) for f in known)
            for label, prior in self.log_prior.items()
        }
        top = max(logs.values())
        exps = {label: math.exp(value - top) for label, value in logs.items()}
        total = sum(exps.values())
        return {label: value / total for label, value in exps.items()}
