#!/usr/bin/env python3
"""finsent save -> Transformers load: records what Transformers computes into a committed fixture.

Never run by the test suite. Usage (after building models_test):
    /opt/ref/bin/python tools/roundtrip_check.py [--test-binary build/tests/models/models_test]

Runs the C++ RoundTrip test with FINSENT_ROUNDTRIP_OUT set, so finsent's save_pretrained writes each
case's model directory (BERT/DistilBERT x Transformers head/notebook linear head); loads each with
AutoModelForSequenceClassification and AutoTokenizer; writes tests/fixtures/models/roundtrip.json with
the logits on the tiny-bert parity inputs and Transformers' loading info. The C++ test
RoundTrip.TransformersLoadsWhatFinsentSavesWithTheSameLogits compares finsent's logits with these.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import torch
import transformers
from transformers import AutoModelForSequenceClassification, AutoTokenizer

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "models"
CASES = ["bert-linear", "distilbert-linear", "bert-head", "distilbert-head"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--test-binary", default=str(ROOT / "build" / "tests" / "models" / "models_test"))
    args = ap.parse_args()
    parity = json.loads((FIXTURES / "tiny-bert" / "parity.json").read_text())
    ids = torch.tensor(parity["input_ids"])
    mask = torch.tensor(parity["attention_mask"])
    out = {"generator": "tools/roundtrip_check.py", "torch": torch.__version__,
           "transformers": transformers.__version__, "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FINSENT_ROUNDTRIP_OUT=tmp)
        subprocess.run([args.test_binary, "--gtest_filter=RoundTrip.SaveThenLoadGivesTheSameLogitsAndHead"],
                       env=env, check=True)
        for name in CASES:
            path = pathlib.Path(tmp) / name
            model, info = AutoModelForSequenceClassification.from_pretrained(
                str(path), output_loading_info=True)
            model.eval()
            tok = AutoTokenizer.from_pretrained(str(path))
            encoded = tok("Operating profit rose to EUR 13.1 mn")["input_ids"]
            with torch.no_grad():
                logits = model(input_ids=ids, attention_mask=mask).logits
            out["cases"][name] = {
                "architecture": type(model).__name__,
                "id2label": {str(k): v for k, v in model.config.id2label.items()},
                "missing_keys": sorted(info["missing_keys"]),
                "unexpected_keys": sorted(info["unexpected_keys"]),
                "mismatched_keys": [list(map(str, m)) for m in info["mismatched_keys"]],
                "tokenizer_class": type(tok).__name__,
                "tokenized_example": encoded,
                "logits": [[float(f"{v:.9g}") for v in row] for row in logits.tolist()],
            }
            print(name, type(model).__name__, "missing", info["missing_keys"], "unexpected",
                  info["unexpected_keys"], file=sys.stderr)
    (FIXTURES / "roundtrip.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
