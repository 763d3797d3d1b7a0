#!/usr/bin/env python3
"""Python side of bench/checkpoint_bench: the same load workload with the reference stack.

    /opt/ref/bin/python bench/checkpoint_vs_python.py MODEL_DIR [REPEATS=20]

safetensors: safetensors.torch.load_file (reads every tensor into torch memory);
pytorch_model.bin: torch.load(map_location="cpu", weights_only=True, mmap=False).
Prints one JSON object per format found in MODEL_DIR, medians over REPEATS.
"""
import json
import os
import statistics
import sys
import time

import torch
from safetensors.torch import load_file


def bench(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sd = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return sd, statistics.median(times)


def main():
    d = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    torch.set_num_threads(1)
    st = os.path.join(d, "model.safetensors")
    bin_ = os.path.join(d, "pytorch_model.bin")
    if os.path.exists(st):
        sd, ms = bench(lambda: load_file(st), repeats)
        print(json.dumps({"path": st, "loader": "safetensors.torch.load_file", "tensors": len(sd),
                          "repeats": repeats, "load_ms_median": round(ms, 3)}))
    if os.path.exists(bin_):
        sd, ms = bench(lambda: torch.load(bin_, map_location="cpu", weights_only=True), repeats)
        print(json.dumps({"path": bin_, "loader": "torch.load(weights_only=True)", "tensors": len(sd),
                          "repeats": repeats, "load_ms_median": round(ms, 3)}))


if __name__ == "__main__":
    main()
