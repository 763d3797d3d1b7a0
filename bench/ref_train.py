#!/usr/bin/env python3
"""Reference for bench rows 4-5: Hugging Face Trainer fine-tuning on the notebook's split.

Usage: ref_train.py MODEL_DIR PHRASEBANK_TXT --epochs N [--batch-size 16] [--lr X] [--freeze-encoder]
       [--max-length 128] [--threads N] [--device cpu|cuda|cuda:N] [--bf16] [--attn sdpa|eager]
Dynamic padding per batch (DataCollatorWithPadding), truncation at --max-length, Trainer defaults
otherwise (AdamW, linear decay, clip 1.0, seed 42), no evaluation or saving inside the timed part.
--device cpu (the default) is Trainer's use_cpu; cuda runs on the GPU. --bf16 is Trainer's bf16
(autocast with float32 master weights, as finsent's --bf16). --attn picks the attention
implementation (default: Transformers' own choice).
Prints {"train_seconds", "epoch_seconds", "steps", "tokens", "n_train"}; tokens = unpadded tokens
per epoch (special tokens included), for the FLOP count.
"""
import argparse
import os
import tempfile
import time

import torch
from ref_common import emit, load_phrasebank, notebook_split, threads_arg
from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, Trainer,
                          TrainingArguments)


class Encoded(torch.utils.data.Dataset):
    def __init__(self, rows, tokenizer, label_ids, max_length):
        self.enc = [tokenizer(t, truncation=True, max_length=max_length) for t, _ in rows]
        self.labels = [label_ids[l] for _, l in rows]

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        item = dict(self.enc[i])
        item["labels"] = self.labels[i]
        return item


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("data")
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--freeze-encoder", action="store_true")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    ap.add_argument("--bf16", action="store_true")
    ap.add_argument("--attn", default=None, help="attn_implementation (sdpa, eager); default: Transformers' choice")
    args = ap.parse_args()
    on_cpu = args.device == "cpu"
    if not on_cpu:
        # Trainer places the model on the current CUDA device.
        torch.cuda.set_device(torch.device(args.device))
    torch.set_num_threads(args.threads or threads_arg())

    train, _ = notebook_split(load_phrasebank(args.data))
    labels = sorted({l for _, l in train})
    label_ids = {l: i for i, l in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    extra = {"attn_implementation": args.attn} if args.attn else {}
    model = AutoModelForSequenceClassification.from_pretrained(args.model, num_labels=len(labels), **extra)
    if args.freeze_encoder:
        for p in model.base_model.parameters():
            p.requires_grad = False
    dataset = Encoded(train, tokenizer, label_ids, args.max_length)
    with tempfile.TemporaryDirectory() as out:
        targs = TrainingArguments(output_dir=out, num_train_epochs=args.epochs, per_device_train_batch_size=args.batch_size,
                                  learning_rate=args.lr, seed=42, save_strategy="no", report_to=[], logging_steps=50,
                                  use_cpu=on_cpu, bf16=args.bf16, dataloader_num_workers=0, disable_tqdm=True)
        trainer = Trainer(model=model, args=targs, train_dataset=dataset, data_collator=DataCollatorWithPadding(tokenizer))
        start = time.perf_counter()
        result = trainer.train()
        seconds = time.perf_counter() - start
    emit({"train_seconds": seconds, "epoch_seconds": seconds / args.epochs, "steps": result.global_step,
          "tokens": sum(len(e["input_ids"]) for e in dataset.enc), "n_train": len(train),
          "threads": torch.get_num_threads(), "device": str(trainer.args.device), "bf16": args.bf16,
          "attn": getattr(model.config, "_attn_implementation", None)})


if __name__ == "__main__":
    main()
