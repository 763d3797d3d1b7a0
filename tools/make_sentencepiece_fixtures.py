#!/usr/bin/env python3
"""Regenerates tests/fixtures/text/sentencepiece/* with sentencepiece, transformers and tokenizers
(the reference; tests never run this).

Usage: .venv-ref/bin/python tools/make_sentencepiece_fixtures.py [SHARED_DATA_DIR]

For xlm-roberta-base, albert-base-v2 and deberta-v3-base: a SentencePiece Unigram model trained
here on the PhraseBank (vocab 1000, nmt_nfkc, so the Precompiled charsmap is SentencePiece's real
one) with that model's special-piece layout, converted by transformers' convert_slow_tokenizer
converter for the model type (XLMRobertaConverter, AlbertConverter, DebertaV2Converter), with the
special tokens the Hub tokenizer.json of that model declares. Written per model type:
  <spm file>              the SentencePiece model (the Hub's file name for that model)
  tokenizer_config.json   tokenizer_class and the settings the converter reads
  tokenizer.json          the converted tokenizer as tokenizers saves it, except that the
                          Precompiled normalizer's base64 charsmap (about 300 KB, the .model's
                          normalizer_spec.precompiled_charsmap, asserted equal here) is replaced by
                          "precompiled_charsmap_from": "<spm file>"; tests put it back
  phrasebank50_digests.txt  per Sentences_50Agree.txt line: n_tokens and an FNV-1a digest of
                          ids, byte offsets, type ids, special masks, tokens and decode
  adversarial.jsonl       every adversarial string of make_tokenizer_fixtures.py plus added tokens
                          typed in the text, in full
  pairs.jsonl             pairs and truncation (longest-first), with and without special tokens
Offsets are UTF-8 byte offsets (converted from the binding's character offsets).
"""
import base64
import io
import json
import random
import sys
from pathlib import Path
from types import SimpleNamespace

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2
from tokenizers import AddedToken, Tokenizer
from transformers import convert_slow_tokenizer as csl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_tokenizer_fixtures import adversarial_strings, byte_offsets, fnv1a64, phrasebank_sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "text" / "sentencepiece"
VOCAB_SIZE = 1000

# name: (converter, spm file name, trainer special layout, tokenizer_config, Hub added tokens)
# Hub added tokens: (content, lstrip, rstrip) in id order, as each model's Hub tokenizer.json has
# them (special, normalized=false); a token missing from the vocabulary is appended (DeBERTa's
# [MASK]).
MODELS = {
    "xlm-roberta": (
        csl.XLMRobertaConverter, "sentencepiece.bpe.model",
        dict(unk_id=0, bos_id=1, eos_id=2, pad_id=-1),
        {"tokenizer_class": "XLMRobertaTokenizer", "bos_token": "<s>", "eos_token": "</s>",
         "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>",
         "mask_token": "<mask>", "model_max_length": 512},
        [("<s>", False, False), ("<pad>", False, False), ("</s>", False, False),
         ("<unk>", False, False), ("<mask>", True, False)]),
    "albert": (
        csl.AlbertConverter, "spiece.model",
        dict(pad_id=0, unk_id=1, bos_id=2, eos_id=3, pad_piece="<pad>", unk_piece="<unk>",
             bos_piece="[CLS]", eos_piece="[SEP]", control_symbols=["[MASK]"]),
        {"tokenizer_class": "AlbertTokenizer", "do_lower_case": True, "keep_accents": False,
         "remove_space": True, "bos_token": "[CLS]", "eos_token": "[SEP]", "sep_token": "[SEP]",
         "cls_token": "[CLS]", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "[MASK]",
         "model_max_length": 512},
        [("<pad>", False, False), ("<unk>", False, False), ("[CLS]", False, False),
         ("[SEP]", False, False), ("[MASK]", True, False)]),
    "deberta-v3": (
        csl.DebertaV2Converter, "spm.model",
        dict(pad_id=0, bos_id=1, eos_id=2, unk_id=3, pad_piece="[PAD]", bos_piece="[CLS]",
             eos_piece="[SEP]", unk_piece="[UNK]"),
        {"tokenizer_class": "DebertaV2Tokenizer", "do_lower_case": False, "split_by_punct": False,
         "bos_token": "[CLS]", "eos_token": "[SEP]", "sep_token": "[SEP]", "cls_token": "[CLS]",
         "unk_token": "[UNK]", "pad_token": "[PAD]", "mask_token": "[MASK]",
         "model_max_length": 512},
        [("[PAD]", False, False), ("[CLS]", False, False), ("[SEP]", False, False),
         ("[UNK]", False, False), ("[MASK]", False, False)]),
}


def train(sentences, layout):
    """A Unigram model over the PhraseBank with SentencePiece's nmt_nfkc normalizer."""
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=out, vocab_size=VOCAB_SIZE,
        model_type="unigram", normalization_rule_name="nmt_nfkc", character_coverage=0.9995,
        seed_sentencepiece_size=200000, num_threads=1, minloglevel=2, **layout)
    return out.getvalue()


def convert(name, model_path):
    converter_class, _, _, config, hub_tokens = MODELS[name]
    sp = spm.SentencePieceProcessor(model_file=str(model_path))
    proto = model_pb2.ModelProto()
    proto.ParseFromString(model_path.read_bytes())
    # The converter reads only these attributes of the slow tokenizer.
    final_vocab = [p for p, _ in converter_class.vocab(SimpleNamespace(), proto)] \
        if converter_class is csl.XLMRobertaConverter else [p.piece for p in proto.pieces]
    ids = {p: i for i, p in enumerate(final_vocab)}
    original = SimpleNamespace(
        vocab_file=str(model_path), do_lower_case=config.get("do_lower_case", False),
        keep_accents=config.get("keep_accents", False),
        split_by_punct=config.get("split_by_punct", False),
        convert_tokens_to_ids=lambda t: ids.get(t, len(final_vocab)))
    converter = converter_class(original)
    if not hasattr(converter, "special_tokens"):
        converter.special_tokens = set()
    tok = converter.converted()
    assert tok.get_vocab_size(with_added_tokens=False) == len(final_vocab) == \
        (sp.get_piece_size() + (2 if name == "xlm-roberta" else 0)), name
    tok.add_special_tokens([AddedToken(c, lstrip=l, rstrip=r, normalized=False, special=True)
                            for c, l, r in hub_tokens])
    for c, _, _ in hub_tokens:
        assert tok.token_to_id(c) is not None, c
    return tok, proto


def charsmap_moved_out(tok, proto, spm_name):
    """tokenizer.json with the Precompiled charsmap replaced by a reference to the .model."""
    data = json.loads(tok.to_str())
    found = 0
    for n in data["normalizer"]["normalizers"]:
        if n["type"] == "Precompiled":
            assert base64.b64decode(n["precompiled_charsmap"]) == \
                proto.normalizer_spec.precompiled_charsmap
            del n["precompiled_charsmap"]
            n["precompiled_charsmap_from"] = spm_name
            found += 1
    assert found == 1
    return data


def digest(text, enc, decoded):
    parts = []
    for i, b_e, t, ty, sp in zip(enc.ids, byte_offsets(text, enc.offsets), enc.tokens,
                                 enc.type_ids, enc.special_tokens_mask):
        parts.append(f"{i}:{b_e[0]}:{b_e[1]}:{ty}:{sp}:{t}\n")
    parts.append("decoded:" + decoded)
    return "%016x" % fnv1a64("".join(parts).encode("utf-8"))


def adversarial(name):
    specials = [c for c, _, _ in MODELS[name][4]]
    extra = ["x" * 3000, "▁", "▁▁x", "x ▁ y", "  leading and trailing  ", "a  b   c    d",
             "``quoted'' text", "''", "``", "tab\there", "ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ", "ｱﾞ", "⁉️", "Ａ\u0301",
             "ﷺ", "ﷻ long ligature", "㍻ ㌔", "\u2581word"]
    for s in specials:
        extra += [s, f"hello{s}world", f"hello {s} world", f" {s} ", f"{s}{s}", s.lower(),
                  f"a  {s}  b"]
    return adversarial_strings() + extra


def write_expected(name, tok, sentences, out_dir):
    with open(out_dir / "phrasebank50_digests.txt", "w", encoding="utf-8") as f:
        f.write("# n_tokens digest per line of Sentences_50Agree.txt "
                "(tools/make_sentencepiece_fixtures.py)\n")
        for text in sentences:
            enc = tok.encode(text)
            f.write(f"{len(enc.ids)} {digest(text, enc, tok.decode(enc.ids))}\n")
    with open(out_dir / "adversarial.jsonl", "w", encoding="utf-8") as f:
        for text in adversarial(name) + sentences[:10]:
            enc = tok.encode(text)
            row = {"text": text, "ids": enc.ids, "tokens": enc.tokens,
                   "offsets": byte_offsets(text, enc.offsets), "type_ids": enc.type_ids,
                   "special": enc.special_tokens_mask, "decoded": tok.decode(enc.ids),
                   "decoded_specials": tok.decode(enc.ids, skip_special_tokens=False)}
            f.write(json.dumps(row, ensure_ascii=True) + "\n")
    rng = random.Random(11)
    adv = adversarial(name)
    with open(out_dir / "pairs.jsonl", "w", encoding="utf-8") as f:
        for _ in range(120):
            a = rng.choice(sentences + adv)
            b = rng.choice([None, None] + sentences + adv)
            max_length = rng.choice([None, 0, 1, 2, 3, 4, 5, 8, 16, 32, 64])
            specials = rng.random() < 0.8
            if max_length is None:
                tok.no_truncation()
            else:
                tok.enable_truncation(max_length=max_length)
            enc = tok.encode(a, b, add_special_tokens=specials) if b is not None else \
                tok.encode(a, add_special_tokens=specials)
            offs = []
            for seq, (s, e) in zip(enc.sequence_ids, enc.offsets):
                src = b if seq == 1 else a
                offs.append(byte_offsets(src, [(s, e)])[0] if seq is not None else [0, 0])
            f.write(json.dumps({"a": a, "b": b, "max_length": max_length, "specials": specials,
                                "ids": enc.ids, "type_ids": enc.type_ids, "tokens": enc.tokens,
                                "special": enc.special_tokens_mask, "offsets": offs},
                               ensure_ascii=True) + "\n")
        tok.no_truncation()


def main():
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    sentences = phrasebank_sentences(shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt")
    for name, (_, spm_name, layout, config, _) in MODELS.items():
        out_dir = OUT / name
        out_dir.mkdir(parents=True, exist_ok=True)
        model_path = out_dir / spm_name
        model_path.write_bytes(train(sentences, layout))
        (out_dir / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
        tok, proto = convert(name, model_path)
        data = charsmap_moved_out(tok, proto, spm_name)
        (out_dir / "tokenizer.json").write_text(
            json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        write_expected(name, tok, sentences, out_dir)
        print(f"{name}: {tok.get_vocab_size()} ids, charsmap "
              f"{len(proto.normalizer_spec.precompiled_charsmap)} bytes")


if __name__ == "__main__":
    main()
