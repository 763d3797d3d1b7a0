#!/usr/bin/env python3
"""Writes a distilbert-base-sized DistilBertForSequenceClassification with random weights (seed 0)
and the bert-base-uncased vocabulary, for the inference rows of the benchmark (timing does not depend
on the weights' values). Usage: ref_make_random_model.py OUT_DIR VOCAB_TXT
"""
import shutil
import sys
from pathlib import Path

import torch
from transformers import BertTokenizerFast, DistilBertConfig, DistilBertForSequenceClassification


def main():
    out = Path(sys.argv[1])
    if (out / "model.safetensors").exists():
        return
    torch.manual_seed(0)
    config = DistilBertConfig(num_labels=3, id2label={0: "negative", 1: "neutral", 2: "positive"},
                              label2id={"negative": 0, "neutral": 1, "positive": 2})
    model = DistilBertForSequenceClassification(config).eval()
    tmp = out.with_name(out.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    BertTokenizerFast(vocab_file=sys.argv[2], do_lower_case=True).save_pretrained(tmp)
    tmp.rename(out)


if __name__ == "__main__":
    main()
