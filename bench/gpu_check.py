#!/usr/bin/env python3
"""The Python half of scripts/gpu-check.sh (finsent against PyTorch + Transformers on one GPU).

Subcommands (torch and transformers are imported only where needed, so `record` stays fast):
  prep WORK --data DIR --vocab FILE   random MiniLM-shaped and BERT-base models (config + vocab.txt,
                                      bench/ref_make_random_model.py), the workloads' data files, the
                                      model FLOPs of each (model, data) pair, and the GPU's measured
                                      matrix peaks (torch.matmul, CUDA events) -> WORK/prep.json
  record --workload W --impl I --rc N --seconds S --stdout F --stderr F
                                      one line of bench.jsonl (the command's last JSON line, or its error)
  tests JSON...                       pass/fail/skip counts of gtest JSON reports -> one JSON object
  summary --prep P --bench B --tests T --out DIR [--phases F]
                                      the table, the goals met or not, DIR/gpu-summary.json

Data (all from the Financial PhraseBank, same files on both sides):
  std75-train.jsonl   the notebook split of Sentences_75Agree (train part), for train_bench; ref_train.py
                      reads Sentences_75Agree.txt and splits it the same way (bench/ref_common.py)
  seq128.txt          PhraseBank sentences (50Agree, shuffled with seed 0) joined into texts of at most
                      128 tokens, cut at a word boundary, so nearly every one is 120-128 tokens
                      (the seq-128 workload); PhraseBank format, ISO-8859-1, so ref_*.py read it as is
  seq128-train.jsonl  its notebook split (train part), for train_bench
"""
import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SEQ = 128
SEQ_TEXTS = 8192
MODELS = {"minilm": "minilm", "bert-base": "bert-base"}  # name -> ref_make_random_model.py --arch


def forward_flops(config, s):
    """Forward FLOPs of a BERT-family encoder on s tokens (bench/harness.py's count, docs/bench.md)."""
    h = config.get("hidden_size", config.get("dim"))
    f = config.get("intermediate_size", config.get("hidden_dim"))
    layers = config.get("num_hidden_layers", config.get("n_layers"))
    return layers * (8 * s * h * h + 4 * s * h * f + 4 * s * s * h)


def seq_texts(rows, tokenizer, n, seq, seed=0):
    """n texts of PhraseBank sentences joined with spaces, each cut after its last whole word
    within seq - 2 word pieces (room for [CLS] and [SEP]); the label is the first sentence's."""
    rng = random.Random(seed)
    order = []
    out = []
    while len(out) < n:
        text, label, pieces = "", None, 0
        while pieces < seq - 2:
            if not order:
                order = list(range(len(rows)))
                rng.shuffle(order)
            sentence, lab = rows[order.pop()]
            label = label or lab
            text = f"{text} {sentence}" if text else sentence
            pieces = len(tokenizer(text, add_special_tokens=False)["input_ids"])
        enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        tokens = tokenizer.convert_ids_to_tokens(enc["input_ids"])
        # Largest k <= seq - 2 where token k starts a word: text[:end of token k-1] keeps whole words.
        k = seq - 2
        while k > 1 and k < len(tokens) and tokens[k].startswith("##"):
            k -= 1
        cut = enc["offset_mapping"][min(k, len(tokens)) - 1][1]
        out.append((text[:cut].strip(), label))
    return out


def write_phrasebank(path, rows):
    with open(path, "w", encoding="iso-8859-1", newline="") as f:
        for text, label in rows:
            f.write(f"{text}@{label}\r\n")


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for text, label in rows:
            f.write(json.dumps({"text": text, "label": label}, ensure_ascii=False) + "\n")


def matmul_peak(torch, n, dtype, warmup=3, reps=10):
    """Median and best TFLOP/s of torch.matmul(n x n, n x n) on random normal data, CUDA events."""
    torch.manual_seed(0)
    a = torch.randn(n, n, device="cuda", dtype=dtype)
    b = torch.randn(n, n, device="cuda", dtype=dtype)
    for _ in range(warmup):
        torch.matmul(a, b)
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        torch.matmul(a, b)
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    flop = 2.0 * n ** 3
    return {"n": n, "dtype": str(dtype).replace("torch.", ""), "median_tflops": flop / statistics.median(times) / 1e12,
            "best_tflops": flop / min(times) / 1e12, "reps": reps}


def cmd_prep(args):
    import torch
    import transformers
    from transformers import AutoTokenizer

    import ref_make_random_model
    from ref_common import load_phrasebank, notebook_split

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    data = Path(args.data)
    t0 = time.time()
    result = {"torch": torch.__version__, "cuda": torch.version.cuda, "transformers": transformers.__version__,
              "models": {}, "data": {}, "flops": {}}
    if torch.cuda.is_available():
        result["gpu"] = torch.cuda.get_device_name(0)
        # The peak first: the number every MFU is divided by.
        result["peak_bf16"] = matmul_peak(torch, 8192, torch.bfloat16)
        result["peak_fp32"] = matmul_peak(torch, 8192, torch.float32, warmup=2, reps=5)  # tf32 off: plain fp32
        print(f"prep: bf16 matmul 8192^3 {result['peak_bf16']['median_tflops']:.1f} TFLOP/s (median), "
              f"fp32 {result['peak_fp32']['median_tflops']:.1f}", flush=True)
    else:
        print("prep: no CUDA device visible to torch: no peak measured", flush=True)
    for name, arch in MODELS.items():
        out = work / "models" / name
        ref_make_random_model.main([str(out), args.vocab, "--arch", arch])
        result["models"][name] = str(out)
    tokenizer = AutoTokenizer.from_pretrained(work / "models" / "minilm")  # same vocab.txt for both

    s75 = data / "Sentences_75Agree.txt"
    s50 = data / "Sentences_50Agree.txt"
    train75, _ = notebook_split(load_phrasebank(s75))
    write_jsonl(work / "std75-train.jsonl", train75)
    seq_rows = seq_texts(load_phrasebank(s50), tokenizer, SEQ_TEXTS, SEQ)
    write_phrasebank(work / "seq128.txt", seq_rows)
    seq_train, _ = notebook_split(load_phrasebank(work / "seq128.txt"))  # as ref_train.py will read it
    write_jsonl(work / "seq128-train.jsonl", seq_train)

    def lengths(rows, max_length):
        return [len(tokenizer(t, truncation=True, max_length=max_length)["input_ids"]) for t, _ in rows]

    sets = {  # name -> (file for ref_*.py, file for finsent, token lengths as the workload sees them)
        "std75-train": (str(s75), str(work / "std75-train.jsonl"), lengths(train75, 128)),
        "std50-all": (str(s50), str(s50), lengths(load_phrasebank(s50), 512)),
        "seq128-train": (str(work / "seq128.txt"), str(work / "seq128-train.jsonl"), lengths(seq_train, 128)),
        "seq128-all": (str(work / "seq128.txt"), str(work / "seq128.txt"),
                       lengths(load_phrasebank(work / "seq128.txt"), 512)),
    }
    for key, (ref_file, fs_file, lens) in sets.items():
        result["data"][key] = {"reference_file": ref_file, "finsent_file": fs_file, "rows": len(lens),
                               "tokens": sum(lens), "mean_len": sum(lens) / len(lens), "max_len": max(lens),
                               "min_len": min(lens)}
        for name in MODELS:
            config = json.loads((work / "models" / name / "config.json").read_text())
            result["flops"].setdefault(name, {})[key] = sum(forward_flops(config, s) for s in lens)
    result["prep_seconds"] = time.time() - t0
    (work / "prep.json").write_text(json.dumps(result, indent=2) + "\n")
    for key, d in result["data"].items():
        print(f"prep: {key}: {d['rows']} rows, tokens per row {d['min_len']}-{d['max_len']} "
              f"(mean {d['mean_len']:.1f})", flush=True)
    print(f"prep: done in {result['prep_seconds']:.1f} s -> {work / 'prep.json'}", flush=True)


def last_json_line(path):
    try:
        lines = [l for l in Path(path).read_text(errors="replace").splitlines() if l.startswith("{")]
    except OSError:
        return None
    for line in reversed(lines):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def cmd_record(args):
    entry = {"workload": args.workload, "impl": args.impl, "rc": args.rc, "seconds": args.seconds}
    result = last_json_line(args.stdout) if args.rc == 0 else None
    if result is not None:
        entry["result"] = result
    else:
        try:
            tail = Path(args.stderr).read_text(errors="replace")[-1500:]
        except OSError:
            tail = ""
        entry["error"] = ("timed out; " if args.rc in (124, 137) else f"exit {args.rc}; ") + tail.strip()
    print(json.dumps(entry))


def cmd_tests(args):
    # Skipped when LibTorch's CUDA half is installed: they check the refusal on machines without it.
    expected_skips = {"DeviceFlag.CudaIsOneErrorLineOnEveryCommandWithoutTheCudaLibraries",
                      "ResolveDevice.CudaWithoutCudaIsOneConfigErrorLine"}
    out = {"binaries": {}, "passed": 0, "failed": 0, "skipped": 0, "failed_tests": [], "skipped_cuda_tests": [],
           "skipped_expected": []}
    for report in args.reports:
        name = Path(report).stem
        try:
            doc = json.loads(Path(report).read_text())
        except (OSError, ValueError) as e:
            out["binaries"][name] = {"error": f"no report ({e.__class__.__name__})"}
            continue
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        for suite in doc.get("testsuites", []):
            for t in suite.get("testsuite", []):
                full = f"{suite['name']}.{t['name']}"
                if t.get("failures"):
                    counts["failed"] += 1
                    out["failed_tests"].append(full)
                elif t.get("result") == "SKIPPED" or t.get("status") == "NOTRUN":
                    counts["skipped"] += 1
                    if full in expected_skips:
                        out["skipped_expected"].append(full)
                    elif "cuda" in full.lower():
                        out["skipped_cuda_tests"].append(full)
                else:
                    counts["passed"] += 1
        out["binaries"][name] = counts
        for k, v in counts.items():
            out[k] += v
    print(json.dumps(out))


def fmt(v, digits=1):
    return "-" if v is None else f"{v:.{digits}f}"


def cmd_summary(args):
    prep = json.loads(Path(args.prep).read_text()) if Path(args.prep).exists() else {}
    entries = []
    if Path(args.bench).exists():
        entries = [json.loads(l) for l in Path(args.bench).read_text().splitlines() if l.strip()]
    tests = None
    if args.tests and Path(args.tests).exists():
        try:
            tests = json.loads(Path(args.tests).read_text())
        except ValueError:
            tests = None
    by = {(e["workload"], e["impl"]): e for e in entries}
    peak_bf16 = (prep.get("peak_bf16") or {}).get("median_tflops")
    peak_fp32 = (prep.get("peak_fp32") or {}).get("median_tflops")
    rows = []
    workloads = []
    for e in entries:
        if e["workload"] not in workloads:
            workloads.append(e["workload"])
    for w in workloads:
        # names: <kind>-<model>-<data>-<precision>, e.g. train-bert-base-seq128-bf16 (gpu-check.sh)
        kind, rest = w.split("-", 1)
        precision = rest.rsplit("-", 1)[1]
        model = "bert-base" if rest.startswith("bert-base") else rest.split("-", 1)[0]
        data = rest[len(model) + 1:].rsplit("-", 1)[0]
        dkey = {"train": {"std": "std75-train", "seq128": "seq128-train"},
                "infer": {"std": "std50-all", "seq128": "seq128-all"}}[kind][data]
        flops = (prep.get("flops") or {}).get(model, {}).get(dkey)
        peak = peak_bf16 if precision == "bf16" else peak_fp32
        row = {"workload": w, "kind": kind, "model": model, "data": dkey, "precision": precision}
        for impl in ("finsent", "reference"):
            e = by.get((w, impl))
            r = (e or {}).get("result")
            thr = sec = None
            if r and kind == "train" and r.get("epoch_seconds"):
                sec = r["epoch_seconds"]
                thr = r.get("n_train", 0) / sec
                work = 3 * flops if flops else None  # forward + backward (2x forward)
            elif r and kind == "infer" and r.get("sent_per_s"):
                sec = r["seconds"]
                thr = r["sent_per_s"]
                work = flops
            else:
                work = None
            row[impl] = {"sent_per_s": thr, "seconds": sec, "error": (e or {}).get("error") if not r else None,
                         "ran": e is not None and e.get("rc") != 125}
            if r and kind == "infer":
                row[impl]["latency_ms"] = r.get("latency_ms")
            if thr and work and sec:
                tflops = work / sec / 1e12
                row[impl]["model_tflops"] = tflops
                row[impl]["mfu"] = tflops / peak if peak else None
        a, b = row["finsent"]["sent_per_s"], row["reference"]["sent_per_s"]
        row["ratio"] = a / b if a and b else None
        row["goal_ratio"] = 1.5
        row["ratio_met"] = None if row["ratio"] is None else row["ratio"] >= 1.5
        rows.append(row)

    goals = []
    for r in rows:
        ref = "HF Trainer" if r["kind"] == "train" else "PyTorch eager (SDPA)"
        goals.append({"goal": f"{r['workload']}: finsent >= 1.5x {ref} ({r['precision']})",
                      "value": r["ratio"], "met": r["ratio_met"]})
    mfu_row = next((r for r in rows if r["workload"] == "train-bert-base-seq128-bf16"), None)
    mfu = (mfu_row or {}).get("finsent", {}).get("mfu")
    goals.append({"goal": "MFU >= 35% on the seq-128 workload (finsent, BERT-base training, bf16, "
                          "against the bf16 matmul peak measured in this run)",
                  "value": mfu, "met": None if mfu is None else mfu >= 0.35})
    if tests is not None:
        cuda_ok = tests.get("failed", 1) == 0 and not tests.get("skipped_cuda_tests") and tests.get("passed", 0) > 0
        goals.append({"goal": "CUDA tests pass and none is skipped", "value": None, "met": cuda_ok})

    summary = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "prep": prep, "rows": rows,
               "goals": goals, "tests": tests, "raw": entries}
    if args.phases and Path(args.phases).exists():
        summary["phases"] = [dict(zip(("phase", "rc", "seconds"), l.split("\t")))
                             for l in Path(args.phases).read_text().splitlines() if l.strip()]
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "gpu-summary.json").write_text(json.dumps(summary, indent=2) + "\n")

    lines = []
    lines.append(f"GPU: {prep.get('gpu', '?')}; torch {prep.get('torch', '?')} (CUDA {prep.get('cuda', '?')}), "
                 f"transformers {prep.get('transformers', '?')}; matmul peak 8192^3: bf16 {fmt(peak_bf16)} TFLOP/s, "
                 f"fp32 {fmt(peak_fp32)} TFLOP/s (median of CUDA-event timings)")
    lines.append("")
    lines.append("| workload | finsent sent/s | reference sent/s | ratio (goal 1.5x) | finsent MFU | reference MFU |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        f, ref = r["finsent"], r["reference"]

        def cell(x):
            if x["sent_per_s"]:
                return fmt(x["sent_per_s"])
            return "failed" if x["ran"] else "not run"

        def mfu_cell(x):
            return "-" if x.get("mfu") is None else f"{100 * x['mfu']:.1f}%"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x {'met' if r['ratio_met'] else 'NOT met'}"
        lines.append(f"| {r['workload']} | {cell(f)} | {cell(ref)} | {ratio} | {mfu_cell(f)} | {mfu_cell(ref)} |")
    lines.append("")
    lines.append("MFU = model FLOPs (docs/bench.md's count, real token lengths; training = 3x forward) / time / the "
                 "matmul peak of the same precision measured above.")
    if tests is not None:
        lines.append(f"tests: {tests.get('passed')} passed, {tests.get('failed')} failed, {tests.get('skipped')} skipped"
                     f" (expected skips: {', '.join(tests.get('skipped_expected', [])) or 'none'}; CUDA tests skipped: "
                     f"{', '.join(tests.get('skipped_cuda_tests', [])) or 'none'}; failed: "
                     f"{', '.join(tests.get('failed_tests', [])) or 'none'})")
    else:
        lines.append("tests: not run")
    lines.append("")
    lines.append("goals:")
    for g in goals:
        state = "not measured" if g["met"] is None else ("met" if g["met"] else "NOT met")
        value = ""
        if g["value"] is not None:
            value = f" ({100 * g['value']:.1f}%)" if "MFU" in g["goal"] else f" ({g['value']:.2f}x)"
        lines.append(f"  [{state}] {g['goal']}{value}")
    for r in rows:
        for impl in ("finsent", "reference"):
            if r[impl]["error"]:
                lines.append(f"error: {r['workload']} {impl}: {r[impl]['error'][-300:]}")
    text = "\n".join(lines)
    (Path(args.out) / "gpu-summary.md").write_text(text + "\n")
    print(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep")
    p.add_argument("work")
    p.add_argument("--data", required=True, help="the FinancialPhraseBank-v1.0 folder")
    p.add_argument("--vocab", required=True, help="bert-base-uncased vocab.txt")
    p = sub.add_parser("record")
    p.add_argument("--workload", required=True)
    p.add_argument("--impl", required=True)
    p.add_argument("--rc", type=int, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--stdout", required=True)
    p.add_argument("--stderr", required=True)
    p = sub.add_parser("tests")
    p.add_argument("reports", nargs="*")
    p = sub.add_parser("summary")
    p.add_argument("--prep", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--tests")
    p.add_argument("--phases")
    p.add_argument("--out", required=True)
    args = ap.parse_args()
    {"prep": cmd_prep, "record": cmd_record, "tests": cmd_tests, "summary": cmd_summary}[args.cmd](args)


if __name__ == "__main__":
    main()
