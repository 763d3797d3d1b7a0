#!/usr/bin/env python3
"""Reference for bench row 1: CountVectorizer + TfidfTransformer + MultinomialNB (the notebook's
baseline) fitted on the notebook's train split and predicting the test split, timed together.

Usage: ref_nb.py PHRASEBANK_TXT   -> one JSON line {"seconds", "accuracy", "n_train", "n_test"}
"""
import sys
import time

from ref_common import emit, load_phrasebank, notebook_split
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline


def main():
    train, test = notebook_split(load_phrasebank(sys.argv[1]))
    x_train, y_train = [t for t, _ in train], [l for _, l in train]
    x_test, y_test = [t for t, _ in test], [l for _, l in test]
    start = time.perf_counter()
    model = Pipeline([("vect", CountVectorizer()), ("tfidf", TfidfTransformer()), ("nb", MultinomialNB())])
    model.fit(x_train, y_train)
    predicted = model.predict(x_test)
    seconds = time.perf_counter() - start
    accuracy = sum(p == y for p, y in zip(predicted, y_test)) / len(y_test)
    emit({"seconds": seconds, "accuracy": accuracy, "n_train": len(train), "n_test": len(test)})


if __name__ == "__main__":
    main()
