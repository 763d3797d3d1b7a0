#!/usr/bin/env python3
"""finsent save -> Transformers load: records what Transformers computes into a committed fixture.

Never run by the test suite. Usage (after building models_test):
    /opt/ref/bin/python tools/roundtrip_check.py [--test-binary build/tests/models/models_test]

Runs the C++ RoundTrip test with FINSENT_ROUNDTRIP_OUT set, so finsent's save_pretrained writes each
case's model directory (each family x its Transformers head / the notebook linear head); loads each with
AutoModelForSequenceClassification and AutoTokenizer; writes tests/fixtures/models/roundtrip.json with
the logits on each source fixture's parity inputs and Transformers' loading info. The C++ test
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
# Each case's source fixture, whose parity.json inputs it is run on (as the C++ test does).
CASES = {"bert-linear": "tiny-bert", "distilbert-linear": "tiny-distilbert",
         "bert-head": "tiny-bert", "distilbert-head": "tiny-distilbert",
         "roberta-head": "tiny-roberta", "roberta-linear": "tiny-roberta",
         "xlm-roberta-head": "tiny-xlm-roberta", "electra-head": "tiny-electra",
         "electra-linear": "tiny-electra", "mpnet-head": "tiny-mpnet", "mpnet-linear": "tiny-mpnet"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--test-binary", default=str(ROOT / "build" / "tests" / "models" / "models_test"))
    args = ap.parse_args()
    out = {"generator": "tools/roundtrip_check.py", "torch": torch.__version__,
           "transformers": transformers.__version__, "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FINSENT_ROUNDTRIP_OUT=tmp)
        subprocess.run([args.test_binary, "--gtest_filter=RoundTrip.SaveThenLoadGivesTheSameLogitsAndHead"],
                       env=env, check=True)
        for name, source in CASES.items():
            parity = json.loads((FIXTURES / source / "parity.json").read_text())
            inputs = {"input_ids": torch.tensor(parity["input_ids"]),
                      "attention_mask": torch.tensor(parity["attention_mask"])}
            if "token_type_ids" in parity:
                inputs["token_type_ids"] = torch.tensor(parity["token_type_ids"])
            path = pathlib.Path(tmp) / name
            model, info = AutoModelForSequenceClassification.from_pretrained(
                str(path), output_loading_info=True)
            model.eval()
            tok = AutoTokenizer.from_pretrained(str(path))
            encoded = tok("Operating profit rose to EUR 13.1 mn")["input_ids"]
            with torch.no_grad():
                logits = model(**inputs).logits
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
