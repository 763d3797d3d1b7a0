#!/usr/bin/env python3
"""Pins finsent's metrics and NB baseline to scikit-learn's label-set rules.

Writes tests/fixtures/eval/sklearn_label_sets.json and three small PhraseBank-format files under
tests/fixtures/data/ (classes missing from one split). For each (y_true, y_pred) case: the labels
sklearn reports (unique_labels), accuracy, precision_recall_fscore_support per class and with
average="macro"/"weighted" (zero_division="warn", the default), the confusion matrix, and which
UndefinedMetricWarnings classification_report raised. For each data file: the notebook's split
(random.seed(0); random.shuffle; first floor(0.85 n) rows train), the CountVectorizer + TF-IDF +
MultinomialNB pipeline fitted on the training rows' label names, and the same metrics of its test
predictions. Needs scikit-learn (tools/reference-env.sh); tests never run it.
Usage: .venv-ref/bin/python tools/make_metrics_fixtures.py
"""
import itertools
import json
import random
import warnings
from pathlib import Path

import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, precision_recall_fscore_support
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import unique_labels

ROOT = Path(__file__).resolve().parent.parent

METRIC_CASES = {
    "all_classes_both_sides": (["neg", "neu", "pos", "pos", "neu", "neg"], ["neg", "pos", "pos", "neu", "neu", "neg"]),
    "class_only_in_true": (["neg", "neu", "pos", "pos"], ["neg", "pos", "pos", "neg"]),
    "class_only_in_pred": (["neg", "pos", "pos", "neg"], ["neg", "neu", "pos", "neu"]),
    "one_true_class_two_predicted": (["pos", "pos", "pos"], ["pos", "neg", "pos"]),
    "single_label_everywhere": (["pos", "pos"], ["pos", "pos"]),
    "disjoint_true_and_pred": (["a", "a", "b"], ["c", "c", "c"]),
    "majority_collapse": (["negative", "neutral", "positive", "neutral", "neutral"], ["neutral"] * 5),
    "byte_order_of_names": (["Zeta", "alpha", "\u00c4rger", "alpha", "10", "2"], ["alpha", "alpha", "Zeta", "2", "10", "Zeta"]),
    "twelve_labels": (
        [f"c{i:02d}" for i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3, 4, 5, 6)],
        [f"c{i:02d}" for i in (0, 2, 2, 3, 5, 5, 6, 7, 9, 9, 11, 1, 1, 2, 4, 4, 5, 7)],
    ),
}


def scores(y_true, y_pred):
    labels = unique_labels(y_true, y_pred).tolist()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        classification_report(y_true, y_pred, digits=4)
    kinds = sorted({str(w.message).split(" is ill-defined")[0] for w in caught if w.category is UndefinedMetricWarning})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, r, f, s = precision_recall_fscore_support(y_true, y_pred)
    out = {"labels": labels, "accuracy": accuracy_score(y_true, y_pred),
           "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
           "confusion_matrix": confusion_matrix(y_true, y_pred).tolist(), "warnings": kinds}
    for avg in ("macro", "weighted"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[avg] = list(precision_recall_fscore_support(y_true, y_pred, average=avg)[:3])
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0.0)
    assert [k for k in report if k not in ("accuracy", "macro avg", "weighted avg", "micro avg")] == labels
    assert abs(report["macro avg"]["f1-score"] - out["macro"][2]) < 1e-15
    return out


# Each class's sentences share its words and none of the other's, so NB learns them from a few rows.
POS = [f"Profit rose and sales grew in period {i}" for i in range(20)]
NEG = [f"Loss widened and orders fell in period {i}" for i in range(20)]


def test_indices(n):
    random.seed(0)
    order = list(range(n))
    random.shuffle(order)
    return set(order[int(n * 0.85):])


def make_file(name, n, test_labels, train_labels):
    """n PhraseBank lines; rows landing in the notebook's test split get test_labels in turn."""
    held = sorted(test_indices(n))
    lines, pos, neg = [], itertools.cycle(POS), itertools.cycle(NEG)
    train_cycle = iter(train_labels * n)
    test_cycle = iter(test_labels)
    for i in range(n):
        label = next(test_cycle) if i in held else next(train_cycle)
        text = {"positive": lambda: next(pos), "negative": lambda: next(neg), "neutral": lambda: "The meeting is on Monday"}[label]()
        lines.append(f"{text} .@{label}")
    path = ROOT / "tests/fixtures/data" / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("iso-8859-1"))
    return path


def baseline(path):
    raw = path.read_bytes().decode("iso-8859-1")
    rows = [line.rsplit("@", 1) for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]
    random.seed(0)
    random.shuffle(rows)
    cut = int(len(rows) * 0.85)
    train, test = rows[:cut], rows[cut:]
    model = Pipeline([("vect", CountVectorizer()), ("tfidf", TfidfTransformer()), ("nb", MultinomialNB())])
    model.fit([t for t, _ in train], [l.strip() for _, l in train])
    pred = model.predict([t for t, _ in test]).tolist()
    truth = [l.strip() for _, l in test]
    return {"file": path.name, "classes_": model.named_steps["nb"].classes_.tolist(),
            "y_true": truth, "y_pred": pred, "metrics": scores(truth, pred)}


def main():
    warnings.simplefilter("ignore")  # the warnings that matter are recorded in scores()
    out = {"sklearn_version": sklearn.__version__, "cases": {}, "baselines": {}}
    for name, (y_true, y_pred) in METRIC_CASES.items():
        assert len(y_true) == len(y_pred)
        out["cases"][name] = {"y_true": y_true, "y_pred": y_pred, "expected": scores(y_true, y_pred)}
    files = {
        "neutral_only_in_test": make_file("only_in_test_two_train_classes.txt", 20,
                                          ["positive", "neutral", "negative"], ["positive", "negative"]),
        "one_training_class": make_file("only_in_test_one_train_class.txt", 20,
                                        ["positive", "neutral", "negative"], ["positive"]),
        "training_class_absent_from_test": make_file("train_class_absent_from_test.txt", 20,
                                                     ["positive", "positive", "positive"],
                                                     ["positive", "negative", "neutral"]),
    }
    for key, path in files.items():
        out["baselines"][key] = baseline(path)
    # What the generator must have made (the numbers and the label sets each case is for).
    b = out["baselines"]
    assert b["neutral_only_in_test"]["classes_"] == ["negative", "positive"]
    assert b["neutral_only_in_test"]["metrics"]["accuracy"] == 2 / 3
    assert b["neutral_only_in_test"]["metrics"]["labels"] == ["negative", "neutral", "positive"]
    assert b["one_training_class"]["classes_"] == ["positive"]
    assert b["one_training_class"]["metrics"]["accuracy"] == 1 / 3
    assert b["training_class_absent_from_test"]["metrics"]["labels"] == ["positive"]
    c = out["cases"]
    assert c["class_only_in_true"]["expected"]["warnings"] == ["Precision"]
    assert c["class_only_in_pred"]["expected"]["warnings"] == ["Recall"]
    assert c["disjoint_true_and_pred"]["expected"]["labels"] == ["a", "b", "c"]
    assert len(c["twelve_labels"]["expected"]["labels"]) == 12
    target = ROOT / "tests/fixtures/eval/sklearn_label_sets.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size} bytes); files: " + ", ".join(p.name for p in files.values()))


if __name__ == "__main__":
    main()
