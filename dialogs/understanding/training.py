"""Train the shipped weight table: ``python -m dialogs.understanding.training [--check]``.

Fits scikit-learn's logistic regression (a ``dev`` dependency, never needed at run time) on the
train split of ``data/utterances.jsonl`` and writes ``data/model.json``. ``--check`` retrains
in memory and exits 1 when the shipped table differs (the test suite runs the same check).
The regularisation ``C`` was chosen by cross-validation on the train split (:mod:`tuning`).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from dialogs.understanding.analysis import analyse
from dialogs.understanding.cues import detect_question
from dialogs.understanding.data import Utterance, demo_names, utterances
from dialogs.understanding.model import (
    FEATURES_VERSION,
    TABLE,
    LinearModel,
    encode_rows,
    features,
    read_table,
)
from dialogs.understanding.recogniser import evidence

OUT_OF_SCOPE = "none"
C = 32.0
MIN_SENTENCES = 2  # features kept: those of at least this many training sentences
DECIMALS = 4


def featurise(samples: Iterable[Utterance]) -> list[tuple[list[str], str]]:
    """(features, label) of each utterance, read with the demo names as candidates."""
    clients, sites = demo_names()
    pairs = []
    for sample in samples:
        analysis = analyse(sample.text, clients, sites)
        question = detect_question(analysis.tagged, analysis.site is not None)
        found = features(analysis, question, evidence(analysis, question))
        pairs.append((found, sample.intent or OUT_OF_SCOPE))
    return pairs


def fit(pairs: Sequence[tuple[list[str], str]], c: float = C) -> LinearModel:
    """Logistic regression on TF-IDF features scaled to unit length (as :class:`LinearModel`)."""
    import numpy as np
    from scipy import sparse  # type: ignore[import-untyped]
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfTransformer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

    seen = Counter(feature for found, _ in pairs for feature in found)
    vectoriser = DictVectorizer()  # a feature of one sentence only says nothing general
    binary = vectoriser.fit_transform(
        [{f: 1.0 for f in found if seen[f] >= MIN_SENTENCES} for found, _ in pairs]
    )
    idf = np.round(TfidfTransformer().fit(binary).idf_, DECIMALS)  # as shipped, so as scored
    matrix = normalize(binary @ sparse.diags(idf))
    labels = [label for _, label in pairs]
    regression = LogisticRegression(C=c, max_iter=3000, tol=1e-4)
    regression.fit(matrix, labels)
    coefficients = np.round(regression.coef_.T * idf[:, None], DECIMALS)
    names = [str(name) for name in vectoriser.get_feature_names_out()]
    return LinearModel(
        labels=tuple(str(label) for label in regression.classes_),
        intercepts=tuple(round(float(v), DECIMALS) for v in regression.intercept_),
        weights={
            name: tuple(float(v) for v in row)
            for name, row in zip(names, coefficients, strict=True)
        },
        idf={name: float(v) for name, v in zip(names, idf, strict=True)},
    )


def checksum(samples: Sequence[Utterance]) -> str:
    """SHA-256 of what the table is trained on: each utterance's text and label, in order."""
    digest = hashlib.sha256(f"features-v{FEATURES_VERSION};C={C};min={MIN_SENTENCES}\n".encode())
    for sample in samples:
        digest.update(json.dumps([sample.text, sample.intent], ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def table(model: LinearModel, samples: Sequence[Utterance]) -> dict[str, Any]:
    """The shipped form: each feature's name and idf, and every row of weights in one flat
    block of doubles (:func:`model.encode_rows`), in the names' order."""
    names = sorted(model.weights)
    return {
        "provenance": {
            "trained_on": "dialogs/understanding/data/utterances.jsonl, split train",
            "samples": len(samples),
            "checksum": checksum(samples),
            "features_version": FEATURES_VERSION,
            "C": C,
            "min_sentences": MIN_SENTENCES,
        },
        "labels": list(model.labels),
        "intercepts": list(model.intercepts),
        "features": names,
        "idf": [model.idf[name] for name in names],
        "weights": encode_rows(names, model.weights),
    }


def build() -> dict[str, Any]:
    samples = utterances("train")
    return table(fit(featurise(samples)), samples)


def main(argv: list[str]) -> int:
    built = build()
    if "--check" in argv:
        shipped = json.loads(TABLE.read_text(encoding="utf-8"))
        same = differences(shipped, built) == 0
        print("the shipped table matches a retrain" if same else "the shipped table is stale")
        return 0 if same else 1
    TABLE.write_text(json.dumps(built, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {TABLE} ({len(built['weights'])} features, {built['provenance']['samples']} "
          "utterances)")  # fmt: skip
    return 0


def differences(shipped: dict[str, Any], built: dict[str, Any], tolerance: float = 2e-3) -> int:
    """How many weights differ by more than ``tolerance`` (solver noise across platforms)."""
    if shipped["provenance"] != built["provenance"] or shipped["labels"] != built["labels"]:
        return 1
    if shipped.get("features") != built["features"]:
        return 1
    old, new = read_table(shipped), read_table(built)
    pairs: list[tuple[Sequence[float], Sequence[float]]] = [(old.intercepts, new.intercepts)]
    pairs += [(row, new.weights[name]) for name, row in old.weights.items()]
    pairs += [([v], [new.idf[name]]) for name, v in old.idf.items()]
    return sum(abs(a - b) > tolerance for one, two in pairs for a, b in zip(one, two, strict=True))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
