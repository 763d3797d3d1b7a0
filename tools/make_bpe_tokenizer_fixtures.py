#!/usr/bin/env python3
"""Regenerates tests/fixtures/text/bpe/* with Hugging Face `tokenizers` (tests never run this).

Usage: .venv-ref/bin/python tools/make_bpe_tokenizer_fixtures.py [SHARED_DATA_DIR | sections]

For roberta-base, gpt2 and ModernBERT-base it builds a tokenizer with that model's Hub pipeline
(normalizer, ByteLevel pre-tokenizer, post-processor, decoder, added tokens with their flags) over
a small byte-level BPE vocabulary trained here on Sentences_50Agree.txt, and writes:
  <model>/tokenizer.json       the tokenizer (what finsent loads)
  <model>/tokenizer_config.json the special tokens by role, as the Hub's file names them
  <model>_phrasebank.txt       per 50 PhraseBank sentences: token count and an FNV-1a digest of
                               ids, tokens, byte offsets, type ids, special masks and decode
  <model>_cases.jsonl          adversarial strings, pairs, truncation and padding in full
  <model>_lengths.json         count/min/max/mean tokens per PhraseBank sentence (data lengths)
Offsets are UTF-8 byte offsets (finsent's), converted from the binding's character offsets.
"""
import json
import random
import sys
from pathlib import Path

from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors, trainers
from tokenizers.models import BPE

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_tokenizer_fixtures import adversarial_strings, byte_offsets, fnv1a64, phrasebank_sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "text" / "bpe"
VOCAB_SIZE = 1000
CHUNK = 50

# Each model's Hub pipeline: (specials in id order with their AddedToken flags, pipeline builder,
# tokenizer_config.json roles).
MODELS = {
    "roberta": {
        "specials": [("<s>", dict(normalized=True)), ("<pad>", dict(normalized=True)),
                     ("</s>", dict(normalized=True)), ("<unk>", dict(normalized=True)),
                     ("<mask>", dict(lstrip=True, normalized=False))],
        "config": {"tokenizer_class": "RobertaTokenizer", "bos_token": "<s>", "eos_token": "</s>",
                   "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>",
                   "mask_token": "<mask>", "add_prefix_space": False, "model_max_length": 512},
    },
    "gpt2": {
        "specials": [("<|endoftext|>", dict(normalized=True))],
        "config": {"tokenizer_class": "GPT2Tokenizer", "bos_token": "<|endoftext|>",
                   "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
                   "add_prefix_space": False, "model_max_length": 1024},
    },
    "modernbert": {
        "specials": [("[UNK]", dict(normalized=False)), ("[CLS]", dict(normalized=False)),
                     ("[SEP]", dict(normalized=False)), ("[PAD]", dict(normalized=False)),
                     ("[MASK]", dict(lstrip=True, normalized=False)),
                     ("|||IP_ADDRESS|||", dict(normalized=True, special=False)),
                     ("|||EMAIL_ADDRESS|||", dict(normalized=True, special=False)),
                     ("|||PHONE_NUMBER|||", dict(normalized=True, special=False))]
                    # The Hub file's runs of 24 down to 2 spaces, each one added token (the real
                    # tokenizer gives 5 spaces one id, 50273, and 3 spaces 50275).
                    + [(" " * n, dict(normalized=True, special=False)) for n in range(24, 1, -1)],
        "config": {"tokenizer_class": "PreTrainedTokenizerFast", "cls_token": "[CLS]", "sep_token": "[SEP]",
                   "unk_token": "[UNK]", "pad_token": "[PAD]", "mask_token": "[MASK]",
                   "model_max_length": 8192},
    },
}


def train(name, sentences):
    tok = Tokenizer(BPE(dropout=None, unk_token=None, continuing_subword_prefix="", end_of_word_suffix="",
                        fuse_unk=False, byte_fallback=False))
    if name == "modernbert":
        tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
    tok.train_from_iterator(sentences, trainer)
    # The added tokens take the ids after the trained vocabulary, in the Hub's order.
    base = tok.get_vocab_size()
    specials = []
    for content, flags in MODELS[name]["specials"]:
        special = flags.pop("special", True)
        specials.append(AddedToken(content, special=special, single_word=False, rstrip=False,
                                   lstrip=flags.get("lstrip", False), normalized=flags.get("normalized", not special)))
    tok.add_tokens(specials)
    ids = {t.content: tok.token_to_id(t.content) for t in specials}
    assert sorted(ids.values()) == list(range(base, base + len(specials))), ids
    if name == "roberta":
        tok.post_processor = processors.RobertaProcessing(("</s>", ids["</s>"]), ("<s>", ids["<s>"]),
                                                          trim_offsets=True, add_prefix_space=False)
    elif name == "gpt2":
        tok.post_processor = processors.ByteLevel(add_prefix_space=True, trim_offsets=False, use_regex=True)
    else:
        tok.post_processor = processors.TemplateProcessing(
            single="[CLS]:0 $A:0 [SEP]:0", pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
            special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])])
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    assert tok.get_vocab_size() == base + len(specials)
    assert VOCAB_SIZE - 50 <= base <= VOCAB_SIZE, base
    return tok


def canonical(text_a, text_b, enc, decoded):
    parts = []
    for i, t, o, ty, sp, seq in zip(enc.ids, enc.tokens, enc.offsets, enc.type_ids,
                                    enc.special_tokens_mask, enc.sequence_ids):
        src = text_b if seq == 1 else text_a
        b, e = byte_offsets(src, [o])[0] if seq is not None else (0, 0)
        parts.append(f"{i}:{b}:{e}:{ty}:{sp}:{t}\n")
    parts.append("decoded:" + decoded)
    return "".join(parts)


def record(text_a, text_b, enc, tok):
    offsets = []
    for o, seq in zip(enc.offsets, enc.sequence_ids):
        src = text_b if seq == 1 else text_a
        offsets.append(byte_offsets(src, [o])[0] if seq is not None else [0, 0])
    return {"ids": enc.ids, "tokens": enc.tokens, "offsets": offsets, "type_ids": enc.type_ids,
            "special_tokens_mask": enc.special_tokens_mask,
            "decoded": tok.decode(enc.ids), "decoded_specials": tok.decode(enc.ids, skip_special_tokens=False)}


def extra_strings(name):
    s = ["  leading spaces", "trailing spaces   ", "a  b   c    d", "\n\nnewlines\n", "tabs\t\tand\tspaces",
         "<s>typed</s> specials", "x<mask>y", "x <mask> y", "<mask>", "  <mask>  ", "[MASK] here", "a [MASK]",
         "<|endoftext|>", "a<|endoftext|>b", "[CLS] a [SEP] b", "|||IP_ADDRESS||| 10.0.0.1", "I'm we'll they'd",
         "'s 't 're 've 'm 'll 'd", "CAPS'S", "日本語のテキスト", "e\u0301 vs é", "Å vs A\u030a", "ﬁ ligature",
         "\u200b\u200b", "😀😀😀", "€" * 30, "ä" * 200, "word" * 80, "123456789012345678901234567890",
         "\x00\x01\x02", "\ufffd", "a\u0301\u0301b", "Ο Ω ω"]
    return s


def invalid_utf8_cases():
    return [b"ok \xff bad", b"\xc3\x28 half", b"\xe2\x82 cut", b"\xf0\x9f\x98 emoji cut", b"\xed\xa0\x80 surrogate",
            b"\xc0\xaf overlong", b"end \xe2"]


def main():
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".." / "shared" / "data"
    sentences = phrasebank_sentences(shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt")
    assert len(sentences) == 4846, len(sentences)
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(17)
    for name in MODELS:
        tok = train(name, sentences)
        d = OUT / name
        d.mkdir(exist_ok=True)
        tok.save(str(d / "tokenizer.json"))
        (d / "tokenizer_config.json").write_text(json.dumps(MODELS[name]["config"], indent=2) + "\n")
        reloaded = Tokenizer.from_file(str(d / "tokenizer.json"))
        with open(OUT / f"{name}_phrasebank.txt", "w", encoding="utf-8") as f:
            f.write(f"# tokens digest per {CHUNK} sentences of Sentences_50Agree.txt (tools/make_bpe_tokenizer_fixtures.py)\n")
            for start in range(0, len(sentences), CHUNK):
                n, text = 0, []
                for s in sentences[start:start + CHUNK]:
                    enc = reloaded.encode(s)
                    n += len(enc.ids)
                    text.append(canonical(s, None, enc, reloaded.decode(enc.ids)))
                f.write(f"{n} {fnv1a64(''.join(text).encode('utf-8')):016x}\n")
        lengths = [len(reloaded.encode(s).ids) for s in sentences]
        (OUT / f"{name}_lengths.json").write_text(json.dumps(
            {"count": len(lengths), "min": min(lengths), "max": max(lengths),
             "mean": sum(lengths) / len(lengths)}) + "\n")
        rows = []
        # The BERT generator's strings, but only every third of its per-code-point sweeps and
        # random mixes (they target BERT's normalizer; a third keeps the fixture small).
        strings = adversarial_strings()
        strings = strings[:150] + strings[150::3]
        for s in strings + extra_strings(name):
            rows.append({"kind": "single", "a": s, "specials": True, **record(s, None, reloaded.encode(s), reloaded)})
        for raw in invalid_utf8_cases():
            s = raw.decode("utf-8", errors="replace")
            r = record(s, None, reloaded.encode(s), reloaded)
            del r["offsets"]  # offsets of the replaced bytes are finsent's own; checked for bounds only
            rows.append({"kind": "invalid_utf8", "a_hex": raw.hex(), **r})
        for _ in range(60):
            a, b = rng.choice(sentences), rng.choice(sentences)
            specials = rng.random() < 0.7
            strategy = rng.choice(["longest_first", "only_first", "only_second"])
            max_length = rng.choice([None, 5, 8, 12, 16, 20, 30, 64])
            pair = rng.random() < 0.8
            tok2 = Tokenizer.from_file(str(d / "tokenizer.json"))
            if max_length is not None:
                tok2.enable_truncation(max_length, strategy=strategy, direction=rng.choice(["right", "left"]))
            row = {"kind": "pair" if pair else "single", "a": a, "b": b if pair else None, "specials": specials,
                   "max_length": max_length, "strategy": strategy,
                   "direction": tok2.truncation["direction"] if tok2.truncation else "right"}
            try:
                enc = tok2.encode(a, b, add_special_tokens=specials) if pair else tok2.encode(a, add_special_tokens=specials)
            except Exception as e:  # the reference refuses the strategy: finsent must too
                row["error"] = str(e)
                rows.append(row)
                continue
            rows.append({**row, **record(a, b if pair else None, enc, tok2)})
        if name != "gpt2":
            pad = MODELS[name]["config"]["pad_token"]
            for length, side, multiple in [(40, "right", None), (40, "left", None), (None, "right", 8)]:
                tok2 = Tokenizer.from_file(str(d / "tokenizer.json"))
                tok2.enable_padding(direction=side, pad_id=tok2.token_to_id(pad), pad_token=pad, length=length,
                                    pad_to_multiple_of=multiple)
                a = sentences[3]
                enc = tok2.encode(a)
                rows.append({"kind": "padding", "a": a, "specials": True, "pad_length": length, "pad_side": side,
                             "pad_multiple": multiple, "attention_mask": enc.attention_mask, **record(a, None, enc, tok2)})
        with open(OUT / f"{name}_cases.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(name, "vocab", reloaded.get_vocab_size(), "cases", len(rows))




# --- tokenizer.json's truncation and padding sections ------------------------------------------
# Written by `make_bpe_tokenizer_fixtures.py sections`, from the committed tokenizer files (no
# training): tests/fixtures/text/sections.jsonl. Each row names a committed tokenizer, the
# top-level sections it replaces, the API called and what it returned:
#  - "tokenizers": Tokenizer.from_str(...).encode / encode_batch, which apply the sections
#    (overflowing windows in full, nested as the binding returns them);
#  - "transformers": AutoTokenizer on a directory holding the file, called as a user calls it
#    (it ignores the sections' lengths and strategy; it keeps their sides and pad type id).
# The texts are ASCII, so the binding's character offsets are the byte offsets finsent reports.

SECTION_MODELS = {"bpe/roberta": "Roberta", "bpe/gpt2": "GPT2", "bpe/modernbert": "Template",
                  "small_cased_tokenizer.json": "WordPiece"}


def truncation(max_length, strategy="LongestFirst", direction="Right", stride=0):
    return {"direction": direction, "max_length": max_length, "strategy": strategy, "stride": stride}


def padding(strategy="BatchLongest", direction="Right", multiple=None, pad_id=0, pad_type_id=0,
            pad_token="[PAD]"):
    return {"strategy": strategy, "direction": direction, "pad_to_multiple_of": multiple,
            "pad_id": pad_id, "pad_type_id": pad_type_id, "pad_token": pad_token}


def encoding_record(enc):
    return {"ids": enc.ids, "tokens": enc.tokens, "offsets": [list(o) for o in enc.offsets],
            "type_ids": enc.type_ids, "special_tokens_mask": enc.special_tokens_mask,
            "attention_mask": enc.attention_mask,
            "overflowing": [encoding_record(o) for o in enc.overflowing]}


def section_cases(pad_id, pad_token):
    """(replace, inputs) per case; inputs: ("single", a) | ("pair", a, b) | ("batch", [texts])."""
    pad = dict(pad_id=pad_id, pad_token=pad_token)
    long_a = "The company said its operating profit rose to EUR 13.1 mn from EUR 8.7 mn in 2007 ."
    short_a = "Sales fell by 5 % in the quarter ."
    short_b = "Profit rose to EUR 2 mn , the company said ."
    texts = [short_a, long_a, "Shares rose ."]
    template_b0 = {"type": "TemplateProcessing",
                   "single": "[CLS]:0 $A:0 [SEP]:0", "pair": "[CLS]:0 $A:0 [SEP]:0 $B:0 [SEP]:0"}
    return [
        ({"truncation": truncation(12)}, ("single", long_a)),
        ({"truncation": truncation(12, stride=3)}, ("single", long_a)),
        ({"truncation": truncation(12, direction="Left", stride=4)}, ("single", long_a)),
        ({"truncation": truncation(14, stride=1)}, ("pair", short_a, short_b)),
        ({"truncation": truncation(14, direction="Left", stride=2)}, ("pair", short_a, short_b)),
        ({"truncation": truncation(16, "OnlyFirst", stride=2)}, ("pair", long_a, short_b)),
        ({"truncation": truncation(16, "OnlySecond", "Left", 1)}, ("pair", short_a, long_a)),
        ({"truncation": truncation(16, "OnlySecond")}, ("single", short_a)),
        ({"truncation": truncation(8, "OnlyFirst")}, ("pair", short_a, long_a)),
        ({"truncation": truncation(10, stride=9)}, ("single", long_a)),
        ({"truncation": truncation(2)}, ("single", short_a)),
        ({"truncation": truncation(3)}, ("pair", "Shares rose .", "Sales fell .")),
        ({"truncation": truncation(1)}, ("single", short_a)),
        ({"padding": padding(**pad)}, ("batch", texts)),
        ({"padding": padding(direction="Left", multiple=8, pad_type_id=1, **pad)}, ("batch", texts)),
        ({"padding": padding({"Fixed": 24}, **pad)}, ("single", short_a)),
        ({"padding": padding({"Fixed": 24}, "Left", 5, **pad)}, ("pair", short_a, short_b)),
        ({"padding": padding(multiple=8, **pad)}, ("single", short_a)),
        ({"padding": padding(pad_id=5, pad_token="pad!", pad_type_id=2)}, ("batch", texts)),
        ({"truncation": truncation(10, stride=2), "padding": padding(multiple=4, **pad)}, ("batch", texts)),
        ({"truncation": truncation(11, stride=2), "padding": padding({"Fixed": 14}, "Left", **pad)},
         ("pair", "Sales fell by 5 % .", "Profit rose .")),
        ({"truncation": truncation(14, stride=1), "post_processor": template_b0}, ("pair", short_a, short_b)),
    ]


def transformers_cases():
    """(replace, config additions, call, inputs): what a Transformers user gets."""
    long_a = "The company said its operating profit rose to EUR 13.1 mn from EUR 8.7 mn in 2007 ."
    short_b = "Profit rose to EUR 2 mn , the company said ."
    texts = [long_a, short_b, "Shares rose ."]
    both = {"truncation": truncation(9, "OnlySecond", "Left", 2),
            "padding": padding({"Fixed": 30}, "Left", 8, pad_type_id=1)}
    return [
        (both, {}, {}, ("single", long_a)),
        (both, {}, {"truncation": True, "max_length": 12}, ("single", long_a)),
        (both, {}, {"truncation": True, "max_length": 16}, ("pair", long_a, short_b)),
        (both, {"truncation_side": "right"}, {"truncation": True, "max_length": 12}, ("single", long_a)),
        (both, {}, {"padding": True}, ("batch", texts)),
        (both, {"padding_side": "right"}, {"padding": True, "truncation": True, "max_length": 10}, ("batch", texts)),
        ({}, {}, {"truncation": True, "max_length": 12}, ("single", long_a)),
    ]


def write_section_fixtures():
    import copy
    import tempfile
    from transformers import AutoTokenizer
    fixtures = ROOT / "tests" / "fixtures" / "text"
    rows = []
    for model, kind in SECTION_MODELS.items():
        path = fixtures / model
        file = path / "tokenizer.json" if path.is_dir() else path
        doc = json.loads(file.read_text(encoding="utf-8"))
        config = json.loads((path / "tokenizer_config.json").read_text()) if path.is_dir() else {}
        pad_token = config.get("pad_token") or ("[PAD]" if kind == "WordPiece" else "<|endoftext|>")
        base = Tokenizer.from_str(json.dumps(doc))
        pad_id = base.token_to_id(pad_token)
        for replace, inputs in section_cases(pad_id, pad_token):
            if "post_processor" in replace and kind != "Template":
                continue
            d = copy.deepcopy(doc)
            d.update(replace)
            if "post_processor" in replace:
                pp = processors.TemplateProcessing(
                    single=replace["post_processor"]["single"], pair=replace["post_processor"]["pair"],
                    special_tokens=[("[CLS]", base.token_to_id("[CLS]")), ("[SEP]", base.token_to_id("[SEP]"))])
                d["post_processor"] = json.loads(pp.__getstate__())
                replace = {**replace, "post_processor": d["post_processor"]}
            row = {"model": model, "api": "tokenizers", "replace": replace, "inputs": list(inputs)}
            try:
                tok = Tokenizer.from_str(json.dumps(d))
                if inputs[0] == "batch":
                    out = tok.encode_batch(inputs[1])
                elif inputs[0] == "pair":
                    out = [tok.encode(inputs[1], inputs[2])]
                else:
                    out = [tok.encode(inputs[1])]
                row["encodings"] = [encoding_record(e) for e in out]
            except BaseException as e:  # noqa: B036 (a Rust panic is not an Exception)
                row["error"] = str(e).splitlines()[0]
            rows.append(row)
        if kind in ("GPT2",):
            continue  # no pad token for Transformers' padding
        for replace, extra, call, inputs in transformers_cases():
            d = copy.deepcopy(doc)
            d.update(replace)
            if "padding" in replace:
                d["padding"] = {**replace["padding"], "pad_id": pad_id, "pad_token": pad_token}
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "tokenizer.json").write_text(json.dumps(d), encoding="utf-8")
                cfg = {**config, **extra} if config else {"tokenizer_class": "PreTrainedTokenizerFast",
                                                          "pad_token": pad_token, **extra}
                (Path(tmp) / "tokenizer_config.json").write_text(json.dumps(cfg))
                tok = AutoTokenizer.from_pretrained(tmp)
                args = [inputs[1]] if inputs[0] != "pair" else [inputs[1], inputs[2]]
                out = tok(*args, **call, return_token_type_ids=True)
            ids = out["input_ids"] if inputs[0] == "batch" else [out["input_ids"]]
            types = out["token_type_ids"] if inputs[0] == "batch" else [out["token_type_ids"]]
            masks = out["attention_mask"] if inputs[0] == "batch" else [out["attention_mask"]]
            rows.append({"model": model, "api": "transformers", "replace": {k: d[k] for k in replace},
                         "config": extra, "call": call, "inputs": list(inputs),
                         "encodings": [{"ids": i, "type_ids": t, "attention_mask": m}
                                       for i, t, m in zip(ids, types, masks)]})
    with open(fixtures / "sections.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    print("sections", len(rows), "rows")


if __name__ == "__main__":
    if sys.argv[1:] == ["sections"]:
        write_section_fixtures()
    else:
        main()
        write_section_fixtures()
