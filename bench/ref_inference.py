#!/usr/bin/env python3
"""Reference for bench row 3: sequence-classification inference over the PhraseBank with PyTorch +
Transformers (eager, torch.inference_mode) or ONNX Runtime fp32 (model exported once, cached).

Usage: ref_inference.py MODEL_DIR PHRASEBANK_TXT --backend torch|onnx [--batch 32] [--latency-n 200]
       [--onnx-cache DIR] [--threads N] [--limit N] [--device cpu|cuda|cuda:N] [--bf16] [--attn sdpa|eager]
--device and --bf16 are for the torch backend: the model on that device, --bf16 as
torch.autocast(device_type, dtype=torch.bfloat16) around the forward pass (float32 weights, as
finsent's --bf16). Each batch is moved to the device and its logits back to the CPU (as finsent's
TextClassifier returns them), so every timing ends with the device done.
Throughput: all sentences, sorted by token length and cut into batches of --batch padded to their
longest member (the policy finsent's TextClassifier uses), truncation at 512, after one warm-up batch.
Latency: the first --latency-n sentences one at a time; median milliseconds.
Prints {"sent_per_s", "seconds", "latency_ms", "sentences"}.
"""
import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from ref_common import emit, load_phrasebank, threads_arg
from transformers import AutoModelForSequenceClassification, AutoTokenizer


class Logits(torch.nn.Module):
    """Keyword call into the model, so export and eager run the same graph."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits


def length_sorted_batches(encoded, batch):
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    for start in range(0, len(order), batch):
        members = [encoded[i] for i in order[start:start + batch]]
        width = max(len(m) for m in members)
        ids = np.zeros((len(members), width), dtype=np.int64)
        mask = np.zeros((len(members), width), dtype=np.int64)
        for r, m in enumerate(members):
            ids[r, :len(m)] = m
            mask[r, :len(m)] = 1
        yield ids, mask


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("data")
    ap.add_argument("--backend", choices=["torch", "onnx"], required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--latency-n", type=int, default=200)
    ap.add_argument("--onnx-cache", default="build-bench/onnx")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    ap.add_argument("--device", default="cpu", help="torch backend: cpu, cuda or cuda:N")
    ap.add_argument("--bf16", action="store_true", help="torch backend: bf16 autocast")
    ap.add_argument("--attn", default=None, help="attn_implementation (sdpa, eager); default: Transformers' choice")
    args = ap.parse_args()
    if args.backend == "onnx" and (args.device != "cpu" or args.bf16):
        ap.error("--device and --bf16 are for --backend torch")
    device = torch.device(args.device)
    threads = args.threads or threads_arg()
    torch.set_num_threads(threads)

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    sentences = [t for t, _ in load_phrasebank(args.data)]
    if args.limit:
        sentences = sentences[:args.limit]
    encoded = [tokenizer(s, truncation=True, max_length=512)["input_ids"] for s in sentences]
    extra = {"attn_implementation": args.attn} if args.attn else {}
    model = Logits(AutoModelForSequenceClassification.from_pretrained(args.model, num_labels=3, **extra).eval())

    if args.backend == "torch":
        model = model.to(device)

        def run(ids, mask):
            with torch.inference_mode(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.bf16):
                logits = model(torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device))
                return logits.float().cpu().numpy()
    else:
        import onnxruntime as ort
        path = Path(args.onnx_cache) / (Path(args.model).resolve().name + ".onnx")
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            dummy = torch.ones(2, 8, dtype=torch.long)
            torch.onnx.export(model, (dummy, dummy), str(path), input_names=["input_ids", "attention_mask"],
                              output_names=["logits"], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": {0: "b", 1: "s"}, "attention_mask": {0: "b", 1: "s"}})
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

        def run(ids, mask):
            return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    batches = list(length_sorted_batches(encoded, args.batch))
    run(*batches[len(batches) // 2])  # warm-up
    if device.type == "cuda":  # kernels and autotuning for the shortest and longest shapes too
        run(*batches[0])
        run(*batches[-1])
    start = time.perf_counter()
    for ids, mask in batches:
        run(ids, mask)
    seconds = time.perf_counter() - start

    latencies = []
    for e in encoded[:args.latency_n]:
        ids = np.asarray([e], dtype=np.int64)
        t = time.perf_counter()
        run(ids, np.ones_like(ids))
        latencies.append((time.perf_counter() - t) * 1000)
    emit({"sent_per_s": len(sentences) / seconds, "seconds": seconds, "latency_ms": statistics.median(latencies),
          "sentences": len(sentences), "threads": threads, "device": str(device), "bf16": args.bf16})


if __name__ == "__main__":
    main()
