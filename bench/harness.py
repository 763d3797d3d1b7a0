#!/usr/bin/env python3
"""finsent against the Python stack, same machine, same inputs, same thread count (bench/run.sh).

Each workload group is a set of commands (finsent bench binaries and bench/ref_*.py scripts); every
command times its own workload after loading and warm-up and prints one JSON line. Repeats are
interleaved (finsent, reference, finsent, reference, ...) so a change in machine load hits both sides.
Medians over repeats are compared; ratios say how many times faster finsent is (>1: finsent wins).
Writes --out (JSON) and prints a table.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_json(cmd, env):
    """Runs one command, returns its last JSON line; raises with its stderr on failure."""
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if not lines:
        raise RuntimeError(f"{' '.join(map(str, cmd))} printed no JSON:\n{proc.stdout[-1000:]}{proc.stderr[-1000:]}")
    return json.loads(lines[-1])


class Group:
    """Commands measured together, interleaved; rows read numbers out of their medians."""

    def __init__(self, name, commands, repeats):
        self.name, self.commands, self.repeats = name, commands, repeats
        self.samples = {k: [] for k in commands}
        self.error = None

    def run(self, base_env):
        for r in range(self.repeats):
            for key, (cmd, env) in self.commands.items():
                print(f"  [{self.name}] repeat {r + 1}/{self.repeats}: {key}", file=sys.stderr, flush=True)
                self.samples[key].append(run_json(cmd, {**base_env, **env}))

    def median(self, key, field):
        values = [s[field] for s in self.samples.get(key, []) if field in s]
        return statistics.median(values) if values else None


def model_flops_per_sentence(config, s):
    """Forward FLOPs of a BERT-family encoder on one sentence of s tokens (multiply-add = 2 FLOP):
    per layer Q, K, V, O projections 4 * 2*s*h*h, feed-forward 2 * 2*s*h*f, scores QK^T and
    probabilities x V 2 * 2*s*s*h; embeddings, layer norms, softmax and the head are left out."""
    h = config.get("hidden_size", config.get("dim"))
    f = config.get("intermediate_size", config.get("hidden_dim"))
    layers = config.get("num_hidden_layers", config.get("n_layers"))
    return layers * (8 * s * h * h + 4 * s * h * f + 4 * s * s * h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--train-repeats", type=int, default=1)
    ap.add_argument("--groups", default="gemm,nb,tokenize,inference,train")
    ap.add_argument("--shared-data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--minilm", default=str(ROOT / "models" / "all-MiniLM-L6-v2"))
    ap.add_argument("--cache", default=str(ROOT / "build-bench"))
    ap.add_argument("--frozen-epochs", type=int, default=16)
    ap.add_argument("--train-modes", default="frozen,unfrozen", help="which training rows to run")
    ap.add_argument("--inference-models", default="minilm,distilbert-base")
    ap.add_argument("--inference-limit", type=int, default=0, help="first N sentences only (0: all 4846)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = ap.parse_args()

    build, py, t = Path(args.build).resolve(), args.python, args.threads
    shared, cache = Path(args.shared_data), Path(args.cache)
    bench_bin = build / "bench"
    data50 = shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt"
    data75 = shared / "FinancialPhraseBank-v1.0" / "Sentences_75Agree.txt"
    vocab = shared / "bert-base-uncased" / "vocab.txt"
    ref = lambda name: [py, str(ROOT / "bench" / name)]  # noqa: E731
    base_env = dict(os.environ, OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t), FINSENT_BENCH_THREADS=str(t),
                    FINSENT_BENCH_PYDEPS=str(cache / "pydeps"), PYTHONPATH=str(ROOT / "bench"),
                    TOKENIZERS_PARALLELISM="true", RAYON_NUM_THREADS=str(t), TRANSFORMERS_VERBOSITY="error")
    wanted = set(args.groups.split(","))
    cache.mkdir(parents=True, exist_ok=True)

    # Shared inputs: the notebook split of Sentences_75Agree as JSONL, and a random distilbert-base.
    sys.path.insert(0, str(ROOT / "bench"))
    from ref_common import load_phrasebank, notebook_split
    train75, _ = notebook_split(load_phrasebank(data75))
    split_dir = cache / "split75"
    split_dir.mkdir(exist_ok=True)
    with open(split_dir / "train.jsonl", "w", encoding="utf-8") as f:
        for text, label in train75:
            f.write(json.dumps({"text": text, "label": label}, ensure_ascii=False) + "\n")
    distil = cache / "distilbert-base-random"
    if "inference" in wanted and "distilbert-base" in args.inference_models:
        subprocess.run([py, str(ROOT / "bench" / "ref_make_random_model.py"), str(distil), str(vocab)], check=True,
                       env=base_env)

    groups = []
    if "gemm" in wanted:
        groups.append(Group("gemm", {"finsent": ([bench_bin / "gemm_bench", "--threads", str(t)], {})}, 1))
    if "nb" in wanted and (bench_bin / "nb_bench").exists():
        groups.append(Group("nb", {"finsent": ([bench_bin / "nb_bench", data75], {}),
                                   "sklearn": (ref("ref_nb.py") + [data75], {})}, args.repeats))
    if "tokenize" in wanted:
        groups.append(Group("tokenize", {
            "finsent": ([bench_bin / "tokenizer_bench", vocab, data50, "1", str(t)], {}),
            "hf-1": (ref("ref_tokenize.py") + [vocab, data50], {"RAYON_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}),
            "hf-all": (ref("ref_tokenize.py") + [vocab, data50], {})}, args.repeats))
    if "inference" in wanted:
        for name, model in (("minilm", args.minilm), ("distilbert-base", str(distil))):
            if name not in args.inference_models.split(","):
                continue
            common = [model, data50] + (["--limit", str(args.inference_limit)] if args.inference_limit else [])
            groups.append(Group(f"inference-{name}", {
                "finsent": ([bench_bin / "inference_bench"] + common + ["--threads", str(t)], {}),
                "finsent-bf16": ([bench_bin / "inference_bench"] + common + ["--threads", str(t), "--bf16"], {}),
                "torch": (ref("ref_inference.py") + common + ["--backend", "torch", "--onnx-cache", str(cache / "onnx")], {}),
                "onnx": (ref("ref_inference.py") + common + ["--backend", "onnx", "--onnx-cache", str(cache / "onnx")], {}),
            }, args.repeats))
    if "train" in wanted:
        jsonl = split_dir / "train.jsonl"
        for name, extra_f, extra_r in (("frozen", ["--epochs", str(args.frozen_epochs), "--freeze-encoder"],
                                        ["--epochs", str(args.frozen_epochs), "--freeze-encoder"]),
                                       ("unfrozen", ["--epochs", "1"], ["--epochs", "1"])):
            if name not in args.train_modes.split(","):
                continue
            groups.append(Group(f"train-{name}", {
                "finsent": ([bench_bin / "train_bench", args.minilm, jsonl, cache / f"train-{name}", "--batch-size", "16",
                             "--threads", str(t)] + extra_f, {}),
                "trainer": (ref("ref_train.py") + [args.minilm, data75, "--batch-size", "16", "--threads", str(t)] + extra_r, {}),
            }, args.train_repeats))

    for g in groups:
        print(f"group {g.name} ({g.repeats} interleaved repeat(s))", file=sys.stderr, flush=True)
        try:
            g.run(base_env)
        except RuntimeError as e:
            g.error = str(e)
            print(f"  failed: {e}", file=sys.stderr)

    by = {g.name: g for g in groups}
    rows = []

    def row(name, group, ours, theirs, field, higher_is_better, unit, ours_field=None):
        g = by.get(group)
        if g is None:
            return
        a, b = g.median(ours, ours_field or field), g.median(theirs, field)
        ratio = None
        if a and b:
            ratio = a / b if higher_is_better else b / a
        rows.append({"row": name, "finsent": a, "reference": b, "unit": unit, "speedup": ratio,
                     "finsent_impl": ours, "reference_impl": theirs, "error": g.error,
                     "finsent_peak_rss_mib": g.median(ours, "peak_rss_mib"),
                     "reference_peak_rss_mib": g.median(theirs, "peak_rss_mib")})

    row("NB fit+predict, 75Agree (s)", "nb", "finsent", "sklearn", "seconds", False, "s")
    row("tokenize 50Agree, 1 thread (s)", "tokenize", "finsent", "hf-1", "seconds", False, "s", "single_s")
    row(f"tokenize 50Agree, {t} threads (s)", "tokenize", "finsent", "hf-all", "seconds", False, "s", "batch_s")
    for name in ("minilm", "distilbert-base"):
        g = f"inference-{name}"
        row(f"{name} batch 32, fp32 vs torch eager (sent/s)", g, "finsent", "torch", "sent_per_s", True, "sent/s")
        row(f"{name} batch 32, fp32 vs ONNX Runtime (sent/s)", g, "finsent", "onnx", "sent_per_s", True, "sent/s")
        row(f"{name} batch 32, finsent bf16 vs torch fp32 (sent/s)", g, "finsent-bf16", "torch", "sent_per_s", True, "sent/s")
        row(f"{name} batch 1 latency vs torch eager (ms)", g, "finsent", "torch", "latency_ms", False, "ms")
        row(f"{name} batch 1 latency vs ONNX Runtime (ms)", g, "finsent", "onnx", "latency_ms", False, "ms")
    # finsent's whole run (load, the one encoder pass of the feature cache, training, save) against
    # Trainer.train() alone, which runs the frozen encoder in every epoch.
    row(f"frozen training, {args.frozen_epochs} epochs, MiniLM (s)", "train-frozen", "finsent", "trainer", "train_seconds",
        False, "s", "wall_seconds")
    row("unfrozen training, 1 epoch at batch 16, MiniLM (s)", "train-unfrozen", "finsent", "trainer", "epoch_seconds", False, "s")

    derived = {}
    gemm = by.get("gemm")
    if gemm and not gemm.error:
        derived["gemm_fp32_gflops"] = gemm.median("finsent", "fp32_gflops")
        derived["gemm_bf16_gflops"] = gemm.median("finsent", "bf16_gflops")
    unf = by.get("train-unfrozen")
    if unf and not unf.error:
        from transformers import AutoTokenizer
        config = json.loads((Path(args.minilm) / "config.json").read_text())
        tok = AutoTokenizer.from_pretrained(args.minilm)
        lengths = [len(tok(text, truncation=True, max_length=128)["input_ids"]) for text, _ in train75]
        flops = 3 * sum(model_flops_per_sentence(config, s) for s in lengths)  # forward + 2x backward
        derived["train_epoch_model_gflop"] = flops / 1e9
        for impl in ("finsent", "trainer"):
            sec = unf.median(impl, "epoch_seconds")
            if sec:
                derived[f"{impl}_train_gflops"] = flops / sec / 1e9
                if derived.get("gemm_fp32_gflops"):
                    derived[f"{impl}_mfu_fp32"] = derived[f"{impl}_train_gflops"] / derived["gemm_fp32_gflops"]

    loadavg = os.getloadavg()
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpu": cpu_model(), "hardware_threads": os.cpu_count(), "threads_used": t,
                    "kernel": platform.release(), "loadavg_at_end": loadavg},
        "repeats": args.repeats, "train_repeats": args.train_repeats,
        "rows": rows, "derived": derived,
        "groups": {g.name: {"samples": g.samples, "error": g.error} for g in groups},
    }
    Path(args.out).write_text(json.dumps(result, indent=2, default=str) + "\n")
    print_table(result)


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.4g}" if abs(v) < 1e4 else f"{v:.0f}"


def print_table(result):
    print(f"| workload | finsent | reference | finsent speedup | peak RSS finsent / ref (MiB) |")
    print("|---|---:|---:|---:|---:|")
    for r in result["rows"]:
        speed = "failed" if r["error"] else (f"{r['speedup']:.2f}x" if r["speedup"] else "-")
        rss = f"{fmt(r['finsent_peak_rss_mib'])} / {fmt(r['reference_peak_rss_mib'])}"
        print(f"| {r['row']} | {fmt(r['finsent'])} | {fmt(r['reference'])} ({r['reference_impl']}) | {speed} | {rss} |")
    for k, v in result["derived"].items():
        print(f"{k}: {fmt(v)}")


if __name__ == "__main__":
    main()
