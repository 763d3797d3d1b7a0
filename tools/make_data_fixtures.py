#!/usr/bin/env python3
"""Pins the notebook's split and the scikit-learn NB baseline for the four PhraseBank files.

Writes tests/fixtures/data/phrasebank_reference.json: for each file, the row count, the source line
number (1-based, file order) of every row in split order, the train size, the NB predictions on
the test rows and sklearn.metrics' scores of them. Needs Python's own `random` and scikit-learn
(tools/reference-env.sh); tests never run it. Usage: .venv-ref/bin/python tools/make_data_fixtures.py [PHRASEBANK_DIR]
"""
import json
import random
import sys
from pathlib import Path

import sklearn
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelEncoder

ROOT = Path(__file__).resolve().parent.parent
FILES = ["Sentences_50Agree.txt", "Sentences_66Agree.txt", "Sentences_75Agree.txt", "Sentences_AllAgree.txt"]
ROWS = {"Sentences_50Agree.txt": 4846, "Sentences_66Agree.txt": 4217, "Sentences_75Agree.txt": 3453,
        "Sentences_AllAgree.txt": 2264}


def load(path):
    """The notebook's reader: iso-8859-1, CRLF/LF lines only, split at the last '@'."""
    raw = path.read_bytes().decode("iso-8859-1")
    rows = []
    for number, line in enumerate(raw.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        text, label = line.rsplit("@", 1)
        rows.append((number, text, label.strip()))
    return rows


def metrics(truth, pred, k):
    """sklearn's numbers for the baseline's predictions: what finsent's eval layer must print."""
    labels = list(range(k))
    p, r, f, s = precision_recall_fscore_support(truth, pred, labels=labels, zero_division=0)
    out = {"accuracy": accuracy_score(truth, pred),
           "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
           "confusion_matrix": confusion_matrix(truth, pred, labels=labels).tolist()}
    for avg in ("macro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(truth, pred, labels=labels, average=avg, zero_division=0)
        out[avg] = [ap, ar, af]
    return out


def check(entry, name):
    """What each file's fixture must be: the release's row count, the three classes, a real
    vocabulary, and an NB that beats the majority class while predicting more than one class."""
    assert entry["rows"] == ROWS[name], (name, entry["rows"])
    assert entry["labels"] == ["negative", "neutral", "positive"], entry["labels"]
    assert sorted(entry["line_order"]) == sorted(set(entry["line_order"])), "a line taken twice"
    assert entry["vocabulary_size"] > 5000, entry["vocabulary_size"]
    test = entry["rows"] - entry["train_rows"]
    majority = max(entry["metrics"]["support"]) / test
    assert entry["test_correct"] / test > majority, (name, entry["test_correct"], majority)
    assert len(set(entry["test_predictions"])) >= 2, "NB predicts one class"


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/FinancialPhraseBank-v1.0"
    out = {"sklearn_version": sklearn.__version__, "seed": 0, "train_fraction": 0.85, "files": {}}
    for name in FILES:
        data = load(folder / name)
        random.seed(0)
        random.shuffle(data)
        cut = int(len(data) * 0.85)
        train, test = data[:cut], data[cut:]
        enc = LabelEncoder().fit([r[2] for r in train])
        model = Pipeline([("vect", CountVectorizer()), ("tfidf", TfidfTransformer()), ("nb", MultinomialNB())])
        model.fit([r[1] for r in train], enc.transform([r[2] for r in train]))
        pred = model.predict([r[1] for r in test]).tolist()
        truth = enc.transform([r[2] for r in test]).tolist()
        out["files"][name] = {
            "rows": len(data),
            "train_rows": cut,
            "line_order": [r[0] for r in data],
            "labels": enc.classes_.tolist(),
            "vocabulary_size": len(model.named_steps["vect"].vocabulary_),
            "test_predictions": pred,
            "test_correct": sum(p == t for p, t in zip(pred, truth)),
            "metrics": metrics(truth, pred, len(enc.classes_)),
        }
        check(out["files"][name], name)
        print(f"{name}: {len(data)} rows, train {cut}, NB accuracy {out['files'][name]['test_correct']}/{len(test)}")
    # A short stream check of the generator itself: seed 0, 12345 and 2**40 + 7.
    streams = {}
    for seed in (0, 12345, 2**40 + 7):
        random.seed(seed)
        streams[str(seed)] = {"getrandbits32": [random.getrandbits(32) for _ in range(5)],
                              "getrandbits48": [random.getrandbits(48) for _ in range(3)],
                              "randbelow": [random._inst._randbelow(n) for n in (1, 2, 7, 100, 4846, 2**33 + 1)]}
        xs = list(range(20))
        random.shuffle(xs)
        streams[str(seed)]["shuffle20"] = xs
    out["random_streams"] = streams
    target = ROOT / "tests/fixtures/data/phrasebank_reference.json"
    target.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
