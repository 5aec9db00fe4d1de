"""The learned part of the recogniser: a linear model over character n-grams and rule evidence.

It is trained at build time with scikit-learn (``python -m dialogs.understanding.training``,
a ``dev`` dependency) on the train split of the labelled set and shipped as a weight table,
``data/model.json``; here it is scored in plain Python (a dict look-up per feature).

Features of an utterance (slots masked: client → ``zzclient``, quantity → ``zzqty``…):
- character n-grams (2 to 5) of each word as typed, inside word boundaries: they read
  sub-words, so « resil », « résiliation », « resilier » and « rsilier » share most of them;
- the corrected words and word pairs (« pas tout », "not only");
- the rules' evidence: concepts, verb→object relations, the rule score of each procedure,
  the vetoes of near misses, and the non-procedure cues of :mod:`chat`.
"""

from __future__ import annotations

import base64
import json
import math
import sys
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from dialogs.understanding.analysis import Analysis
from dialogs.understanding.normalise import STOPWORDS
from dialogs.understanding.rules import RULED, VETOES, relations

TABLE = Path(__file__).parent / "data" / "model.json"
FEATURES_VERSION = 5
_NGRAMS = (2, 5)


def char_ngrams(word: str) -> list[str]:
    """The character n-grams of `` word `` (with its boundaries), 2 to 5 long."""
    padded = f" {word} "
    low, high = _NGRAMS
    return [
        padded[start : start + size]
        for size in range(low, high + 1)
        for start in range(len(padded) - size + 1)
    ]


def features(analysis: Analysis, question: str | None, evidence: Mapping[str, float]) -> list[str]:
    """Every feature of an analysed utterance, each once, sorted; ``evidence`` is the rules'
    (:func:`recogniser.evidence`), read once a sentence by the caller."""
    tagged = analysis.tagged
    found: set[str] = set()
    for position, word in enumerate(analysis.raw_words):
        if word.startswith("zz"):
            found.add(f"s:{word}")
        elif position in analysis.negated_raw:  # « ne résilie pas… »: asks for nothing
            found.add(f"n:{word}")
        elif not word.isdigit():
            found.update(f"g:{gram}" for gram in char_ngrams(word))
    negated = {i for start, end in tagged.negated for i in range(start, end)}
    words = [w for i, w in enumerate(tagged.words) if not w.isdigit() and i not in negated]
    found.update(f"w:{w}" for w in words if w not in STOPWORDS)
    found.update(f"b:{a}_{b}" for a, b in pairwise(words))
    found.update(f"c:{concept}" for concept in tagged.concepts)
    found.update(f"r:{verb}>{target}" for _, verb, target in relations(tagged))
    raw = analysis.raw_words
    ruled = {procedure: evidence[procedure] for procedure in RULED}
    cues = {
        "greeting_or_thanks": bool(evidence["greeting"] or evidence["thanks"]),
        "person": bool(evidence["handoff"]),
        "data": bool(evidence["data_question"]),
        "order": bool(evidence["order_followup"]),
    }
    for procedure, score in ruled.items():
        if score >= 1.0:
            found.add(f"R:{procedure}")
        elif score > 0:
            found.add(f"R~:{procedure}")
    found.update(f"v:{concept}" for concept in VETOES if concept in tagged.concepts)
    found.update(f"x:{name}" for name, present in cues.items() if present)
    if question:
        found.add(f"q:{question}")
    if analysis.asked:  # « la licence … est sur Agence Aix ? » asks; without it, complains
        found.add("p:asked")
    if not tagged.hits:
        found.add("none:no-concept")
    if len(raw) <= 2:
        found.add("len:short")
    return sorted(found)


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression over TF-IDF features scaled to unit length.

    A feature present weighs its ``idf`` (rarer features weigh more: measured on sentences of
    independent writers, +1.3 points over plain binary features); ``weights`` already hold each
    coefficient times its idf, so a sentence's score is their sum over the norm of its idfs.
    """

    labels: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, Sequence[float]]
    idf: Mapping[str, float] = field(default_factory=dict)

    def probabilities(self, found: Sequence[str]) -> dict[str, float]:
        """Probability of every label (softmax of the linear scores)."""
        weights, idf = self.weights, self.idf
        present = [f for f in found if f in weights]
        known = [weights[f] for f in present]
        norm = math.sqrt(sum(idf.get(f, 1.0) ** 2 for f in present))
        scale = 1 / norm if known else 0.0
        totals = [
            bias + scale * sum(column)
            for bias, column in zip(self.intercepts, zip(*known, strict=True), strict=False)
        ] if known else list(self.intercepts)  # fmt: skip
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        whole = sum(exps)
        return {label: e / whole for label, e in zip(self.labels, exps, strict=True)}


class Rows(Mapping[str, Sequence[float]]):
    """Each feature's row of weights (one per label), read from one flat array of doubles:
    the table's 500,000 weights load in a few milliseconds, not the 120 ms of as many JSON
    numbers made into tuples; a row is sliced when a sentence has its feature."""

    def __init__(self, names: Sequence[str], flat: array[float], width: int) -> None:
        self._index = {name: i * width for i, name in enumerate(names)}
        self._flat, self._width = flat, width

    def __getitem__(self, name: str) -> Sequence[float]:
        start = self._index[name]
        return self._flat[start : start + self._width]

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def encode_rows(names: Sequence[str], weights: Mapping[str, Sequence[float]]) -> str:
    """The rows of ``names``, in that order, as little-endian doubles in base64 (exact: the
    same doubles as the decimals they were rounded to)."""
    flat = array("d", (value for name in names for value in weights[name]))
    if sys.byteorder == "big":
        flat.byteswap()
    return base64.b64encode(flat.tobytes()).decode("ascii")


def read_table(data: Mapping[str, Any]) -> LinearModel:
    """The model a weight table holds (``features``, ``idf``, ``weights`` as written by
    :func:`training.table`)."""
    names, labels = list(data["features"]), tuple(data["labels"])
    flat = array("d")
    flat.frombytes(base64.b64decode(data["weights"]))
    if sys.byteorder == "big":
        flat.byteswap()
    return LinearModel(
        labels=labels,
        intercepts=tuple(data["intercepts"]),
        weights=Rows(names, flat, len(labels)),
        idf=dict(zip(names, data["idf"], strict=True)),
    )


@cache
def shipped() -> tuple[LinearModel, dict[str, object]]:
    """The weight table shipped in the package, and its provenance (data checksum, sizes)."""
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    return read_table(data), dict(data["provenance"])


__all__ = ["LinearModel", "Rows", "char_ngrams", "encode_rows", "features", "read_table", "shipped"]
