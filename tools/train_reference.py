#!/usr/bin/env python3
"""Hugging Face Trainer run on the PhraseBank, the reference `finsent train` is compared with.

Usage (the reference stack at /opt/ref/bin/python; see docs/training.md for the exact runs):
  /opt/ref/bin/python tools/train_reference.py --data Sentences_75Agree.txt --model models/all-MiniLM-L6-v2 \
      --out runs/hf-unfrozen --epochs 3 --batch-size 16 --lr 5e-5 --warmup-ratio 0.1 [--freeze-encoder]

Split: the notebook's (random.seed(seed); random.shuffle; first floor(n*(1-test_ratio)) rows train).
Labels: sorted label names (like sklearn's LabelEncoder and finsent). Dynamic padding per batch
(DataCollatorWithPadding), truncation at --max-length. Trainer defaults otherwise: AdamW (0.9, 0.999,
1e-8), linear decay, max_grad_norm 1.0, no weight decay on biases and LayerNorm weights.
Prints and writes OUT/metrics.json: accuracy, macro_f1, per-class report, wall time. With
--max-steps N it times the first N steps only and prints sentences/s (compare with
`finsent train ... --stop-after-steps N`, whose progress line gives sentences/s).
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import accuracy_score, classification_report, f1_score
from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding,
                          Trainer, TrainingArguments)

# The PhraseBank reader, the notebook's split and the tokenized dataset are the benchmark's own.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from ref_common import load_phrasebank, notebook_split  # noqa: E402
from ref_train import Encoded  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0, help="split seed (the notebook's 0)")
    ap.add_argument("--test-ratio", type=float, default=0.15)
    ap.add_argument("--train-seed", type=int, default=42, help="Trainer seed (HF default 42)")
    ap.add_argument("--epochs", type=float, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup-ratio", type=float, default=0.0)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--freeze-encoder", action="store_true")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--max-steps", type=int, default=0,
                    help="time only the first N optimizer steps (no evaluation): sentences/s for "
                         "side-by-side speed on models too slow to train to the end here")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    rows = load_phrasebank(args.data)
    train, test = notebook_split(rows, args.seed, args.test_ratio)
    labels = sorted({l for _, l in rows})
    label_ids = {l: i for i, l in enumerate(labels)}

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForSequenceClassification.from_pretrained(
        args.model, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label_ids)
    if args.freeze_encoder:  # the notebook's first try: only the classifier learns
        for p in model.base_model.parameters():
            p.requires_grad = False

    targs = TrainingArguments(
        output_dir=args.out, num_train_epochs=args.epochs, per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=64, learning_rate=args.lr, weight_decay=args.weight_decay,
        warmup_steps=args.warmup_ratio, seed=args.train_seed, save_strategy="no", report_to=[],
        logging_steps=50, use_cpu=True, dataloader_num_workers=0, disable_tqdm=True,
        max_steps=args.max_steps or -1)
    trainer = Trainer(model=model, args=targs, train_dataset=Encoded(train, tokenizer, label_ids, args.max_length),
                      data_collator=DataCollatorWithPadding(tokenizer))
    start = time.time()
    trainer.train()
    train_seconds = time.time() - start
    if args.max_steps:
        sentences = args.max_steps * args.batch_size
        print(json.dumps({"steps": args.max_steps, "train_seconds": train_seconds,
                          "sentences_per_second": sentences / train_seconds,
                          "threads": torch.get_num_threads()}))
        return
    pred = trainer.predict(Encoded(test, tokenizer, label_ids, args.max_length))
    y_pred = np.argmax(pred.predictions, axis=-1)
    y_true = pred.label_ids
    metrics = {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro")),
        "weighted_f1": float(f1_score(y_true, y_pred, average="weighted")),
        "train_seconds": train_seconds,
        "total_seconds": time.time() - start,
        "threads": torch.get_num_threads(),
        "args": vars(args),
        "n_train": len(train),
        "n_test": len(test),
    }
    print(classification_report(y_true, y_pred, target_names=labels, digits=4))
    print(json.dumps({k: metrics[k] for k in ("accuracy", "macro_f1", "train_seconds", "threads")}))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)


if __name__ == "__main__":
    main()
