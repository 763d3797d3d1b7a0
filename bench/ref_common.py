"""Shared helpers of the bench/ref_*.py reference workloads: data, split, threads, one JSON line out."""
import json
import math
import os
import random
import resource
import sys
from pathlib import Path

# Extra wheels the reference stack may lack (onnxruntime, onnx) are installed here by bench/run.sh.
PYDEPS = os.environ.get("FINSENT_BENCH_PYDEPS")
if PYDEPS:
    sys.path.insert(0, PYDEPS)


def load_phrasebank(path):
    """(text, label) per line: iso-8859-1, CRLF, 'sentence@label'."""
    rows = []
    with open(path, encoding="iso-8859-1") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.strip():
                text, label = line.rsplit("@", 1)
                rows.append((text, label))
    return rows


def notebook_split(rows, seed=0, test_ratio=0.15):
    """The notebook's split: random.seed(seed); random.shuffle; first floor(n*(1-ratio)) train."""
    rows = list(rows)
    random.seed(seed)
    random.shuffle(rows)
    n_train = math.floor(len(rows) * (1 - test_ratio))
    return rows[:n_train], rows[n_train:]


def set_threads(n):
    """Same thread count as the finsent side: torch intra-op (when torch is loaded)."""
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)


def emit(result):
    """Prints the workload's one JSON line, with this process's peak RSS in MiB."""
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result), flush=True)


def threads_arg():
    return int(os.environ.get("FINSENT_BENCH_THREADS", "0")) or os.cpu_count()


def data_root():
    return Path(os.environ.get("FINSENT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
