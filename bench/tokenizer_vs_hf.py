#!/usr/bin/env python3
"""finsent's tokenizers against Hugging Face tokenizers (Rust) on the same machine.

Usage: .venv-ref/bin/python bench/tokenizer_vs_hf.py BUILD_DIR [SHARED_DATA_DIR] [REPEATS] [TYPES] [ROUNDS]
Runs BUILD_DIR/bench/tokenizer_bench, then the reference on the same sentences (all of
Sentences_50Agree.txt), in ROUNDS (default 3) interleaved rounds of REPEATS runs each, best run of
all per side, and prints sentences/s, MB/s and the finsent/HF
ratio, one thread and all threads, for each tokenizer type in TYPES (comma-separated; default
wordpiece,roberta,gpt2,modernbert): WordPiece is bert-base-uncased's vocabulary, the BPE types the
byte-level fixture tokenizers of tests/fixtures/text/bpe (their Hub pipelines over a vocabulary
trained on the PhraseBank).
       .venv-ref/bin/python bench/tokenizer_vs_hf.py --unigram BUILD_DIR [SHARED_DATA_DIR] [REPEATS]
(--unigram: the SentencePiece path, Precompiled nmt_nfkc + Metaspace + Unigram over the
xlm-roberta fixture vocabulary, BUILD_DIR/bench/sentencepiece_bench against a tokenizers Tokenizer
with the same three components, one thread.)
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def hf_run(vocab, data, repeats, parallel):
    """Runs in a child so TOKENIZERS_PARALLELISM is read before the Rust thread pool starts."""
    code = f"""
import json, sys, time
sys.path.insert(0, {str(ROOT / 'tools')!r})
from make_tokenizer_fixtures import bert_tokenizer, phrasebank_sentences
from pathlib import Path
from tokenizers import Tokenizer
if Path({vocab!r}).is_dir():
    tok = Tokenizer.from_file(str(Path({vocab!r}) / 'tokenizer.json'))
else:
    lines = Path({vocab!r}).read_text(encoding='utf-8').split('\\n')
    if lines[-1] == '': lines.pop()
    tok = bert_tokenizer({{t.rstrip(): i for i, t in enumerate(lines)}})
sents = phrasebank_sentences(Path({data!r}))
def best(f):
    b, c = 1e300, 1e300
    for _ in range({repeats}):
        t, p = time.perf_counter(), time.process_time(); f()
        b, c = min(b, time.perf_counter() - t), min(c, time.process_time() - p)
    return b, c
tok.encode_batch(sents)
loop, loop_cpu = best(lambda: [tok.encode(s) for s in sents])
batch, batch_cpu = best(lambda: tok.encode_batch(sents))
print(json.dumps({{"loop_s": loop, "loop_cpu_s": loop_cpu, "batch_s": batch, "batch_cpu_s": batch_cpu,
                  "sentences": len(sents),
                  "bytes": sum(len(s.encode('utf-8')) for s in sents)}}))
"""
    env = dict(os.environ, TOKENIZERS_PARALLELISM="true" if parallel else "false")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def hf_unigram_run(data, repeats):
    """tokenizers with the components sentencepiece_bench runs, one thread, in a child."""
    fixtures = ROOT / "tests" / "fixtures" / "text" / "sentencepiece"
    code = f"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {str(ROOT / 'tools')!r})
from make_tokenizer_fixtures import phrasebank_sentences
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers
from tokenizers.models import Unigram
fx = Path({str(fixtures)!r})
vocab = [tuple(p) for p in json.loads((fx / "xlm-roberta" / "tokenizer.json").read_text())["model"]["vocab"]]
tok = Tokenizer(Unigram(vocab, unk_id=3, byte_fallback=False))
tok.normalizer = normalizers.Precompiled((fx / "nmt_nfkc.charsmap").read_bytes())
tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="always", split=True)
sents = phrasebank_sentences(Path({data!r}))
def best(f):
    b, c = 1e300, 1e300
    for _ in range({repeats}):
        t, p = time.perf_counter(), time.process_time(); f()
        b, c = min(b, time.perf_counter() - t), min(c, time.process_time() - p)
    return b, c
tok.encode_batch(sents)
loop, loop_cpu = best(lambda: [tok.encode(s, add_special_tokens=False) for s in sents])
batch, batch_cpu = best(lambda: tok.encode_batch(sents, add_special_tokens=False))
print(json.dumps({{"loop_s": loop, "loop_cpu_s": loop_cpu, "batch_s": batch, "batch_cpu_s": batch_cpu,
                  "sentences": len(sents), "tokens": sum(len(tok.encode(s).ids) for s in sents),
                  "bytes": sum(len(s.encode('utf-8')) for s in sents)}}))
"""
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def unigram_main(args):
    build = Path(args[0])
    shared = Path(args[1]) if len(args) > 1 else ROOT.parent / "shared" / "data"
    repeats = int(args[2]) if len(args) > 2 else 5
    data = shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt"
    fixtures = ROOT / "tests" / "fixtures" / "text" / "sentencepiece"
    ours = json.loads(subprocess.run([str(build / "bench" / "sentencepiece_bench"), str(fixtures), str(data),
                                      str(repeats)], check=True, capture_output=True, text=True).stdout)
    hf = hf_unigram_run(str(data), repeats)
    n, mb = ours["sentences"], ours["bytes"] / 1e6
    assert hf["sentences"] == n and hf["bytes"] == ours["bytes"] and hf["tokens"] == ours["tokens"], \
        "different inputs or outputs"
    print(f"Unigram (Precompiled + Metaspace + Unigram, xlm-roberta fixture vocabulary): {n} sentences, "
          f"{mb:.3f} MB UTF-8, {ours['tokens']} tokens, best of {repeats}")
    print(f"{'workload':42} {'finsent sent/s':>15} {'MB/s':>8} {'HF sent/s':>12} {'MB/s':>8} {'finsent/HF':>10}")
    for name, ours_s, hf_s in [("1 thread, encode() per sentence, wall", ours["single_s"], hf["loop_s"]),
                               ("1 thread, encode() per sentence, CPU", ours["single_cpu_s"], hf["loop_cpu_s"]),
                               ("1 thread, batch, CPU", ours["single_cpu_s"], hf["batch_cpu_s"])]:
        print(f"{name:42} {n / ours_s:15.0f} {mb / ours_s:8.2f} {n / hf_s:12.0f} {mb / hf_s:8.2f} {hf_s / ours_s:10.2f}x")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--unigram":
        unigram_main(sys.argv[2:])
        return
    build = Path(sys.argv[1])
    shared = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "data"
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    types = (sys.argv[4] if len(sys.argv) > 4 else "wordpiece,roberta,gpt2,modernbert").split(",")
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    data = shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt"
    for kind in types:
        vocab = shared / "bert-base-uncased" / "vocab.txt" if kind == "wordpiece" else \
            ROOT / "tests" / "fixtures" / "text" / "bpe" / kind
        print(f"\n== {kind} ==")
        compare(build, vocab, data, repeats, rounds)


def fastest(runs):
    """Field by field, the smallest time over the rounds (the other fields are equal)."""
    return {k: min(r[k] for r in runs) if k.endswith("_s") else runs[0][k] for k in runs[0]}


def compare(build, vocab, data, repeats, rounds):
    # Rounds interleave the two sides, so a slow spell of this (shared) host lands on both.
    ours_runs, hf1_runs, hfn_runs = [], [], []
    for _ in range(rounds):
        ours_runs.append(json.loads(subprocess.run(
            [str(build / "bench" / "tokenizer_bench"), str(vocab), str(data), str(repeats)],
            check=True, capture_output=True, text=True).stdout))
        hf1_runs.append(hf_run(str(vocab), str(data), repeats, parallel=False))
        hfn_runs.append(hf_run(str(vocab), str(data), repeats, parallel=True))
    ours, hf1, hfn = fastest(ours_runs), fastest(hf1_runs), fastest(hfn_runs)
    n, mb = ours["sentences"], ours["bytes"] / 1e6
    assert hf1["sentences"] == n and hf1["bytes"] == ours["bytes"], "different inputs"
    rows = [
        ("1 thread, encode() per sentence, wall", ours["single_s"], hf1["loop_s"]),
        ("1 thread, encode() per sentence, CPU", ours["single_cpu_s"], hf1["loop_cpu_s"]),
        ("1 thread, batch, wall", ours["single_s"], hf1["batch_s"]),
        ("1 thread, batch, CPU", ours["single_cpu_s"], hf1["batch_cpu_s"]),
        (f"all threads ({ours['threads']}), batch, wall", ours["batch_s"], hfn["batch_s"]),
    ]
    print(f"{n} sentences, {mb:.3f} MB UTF-8, {os.cpu_count()} hardware threads, best of {repeats} runs"
          f" in each of {rounds} interleaved rounds (CPU = process CPU time)")
    print(f"{'workload':42} {'finsent sent/s':>15} {'MB/s':>8} {'HF sent/s':>12} {'MB/s':>8} {'finsent/HF':>10}")
    for name, ours_s, hf_s in rows:
        print(f"{name:42} {n / ours_s:15.0f} {mb / ours_s:8.2f} {n / hf_s:12.0f} {mb / hf_s:8.2f} {hf_s / ours_s:10.2f}x")


if __name__ == "__main__":
    main()
