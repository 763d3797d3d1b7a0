#!/usr/bin/env python3
"""Regenerates tests/fixtures/text/sentencepiece/* with sentencepiece, transformers and tokenizers
(the reference; tests never run this).

Usage: .venv-ref/bin/python tools/make_sentencepiece_fixtures.py [SHARED_DATA_DIR]

For xlm-roberta-base, albert-base-v2 and deberta-v3-base: a SentencePiece Unigram model trained
here on the PhraseBank (vocab 1000, nmt_nfkc, so the Precompiled charsmap is SentencePiece's real
one) with that model's special-piece layout, converted by transformers' convert_slow_tokenizer
converter for the model type (XLMRobertaConverter, AlbertConverter, DebertaV2Converter), with the
special tokens the Hub tokenizer.json of that model declares.

The charsmap (240 KB, the same for the three) is stored once, nmt_nfkc.charsmap, and left out of
the per-model files; tests put it back (the .model by appending a ModelProto that holds only
normalizer_spec.precompiled_charsmap: protobuf merges concatenated messages, asserted here; the
tokenizer.json by setting "precompiled_charsmap" to its base64 where the Precompiled normalizer
says "precompiled_charsmap_from").
  adversarial_texts.jsonl, pair_inputs.jsonl   the inputs, shared by the three
Per model type:
  <spm file>              the SentencePiece model without its charsmap (the Hub's file name)
  tokenizer_config.json   tokenizer_class and the settings the converter reads
  tokenizer.json          the converted tokenizer as tokenizers saves it (charsmap left out)
  phrasebank50_digests.txt, adversarial_digests.txt, pair_digests.txt
                          per input: n_tokens and an FNV-1a digest of ids, byte offsets, type ids,
                          special-token masks, tokens and decode (with and without specials)
components/<variant>.txt: the Precompiled normalizer, Metaspace and Unigram alone (the xlm-roberta
vocabulary with prepend_scheme always + split, first without split; the albert vocabulary plus
256 <0xXX> pieces with byte_fallback and never), over the adversarial texts then the PhraseBank.
Offsets are UTF-8 byte offsets (converted from the binding's character offsets).
"""
import base64
import io
import json
import random
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2
from tokenizers import AddedToken, Tokenizer
import importlib

csl = importlib.import_module("transformers.convert_slow_tokenizer")

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


def digest(enc, sources, decoded, decoded_specials):
    """Canonical text of one encoding, hashed; tests/text recompute it the same way. `sources`
    are the texts offsets point into, by sequence id."""
    parts = []
    for i, seq, (b, e), t, ty, sp in zip(enc.ids, enc.sequence_ids, enc.offsets, enc.tokens,
                                         enc.type_ids, enc.special_tokens_mask):
        b_e = byte_offsets(sources[seq], [(b, e)])[0] if seq is not None else [0, 0]
        parts.append(f"{i}:{b_e[0]}:{b_e[1]}:{ty}:{sp}:{t}\n")
    parts.append("decoded:" + decoded + "\n")
    parts.append("decoded_specials:" + decoded_specials)
    return "%016x" % fnv1a64("".join(parts).encode("utf-8"))


def digest_line(tok, enc, sources):
    return f"{len(enc.ids)} " + digest(enc, sources, tok.decode(enc.ids),
                                       tok.decode(enc.ids, skip_special_tokens=False)) + "\n"


def adversarial_texts(sentences):
    extra = ["x" * 3000, "▁", "▁▁x", "x ▁ y", "  leading and trailing  ", "a  b   c    d",
             "``quoted'' text", "''", "``", "tab\there", "ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ", "ｱﾞ", "⁉️", "Ａ\u0301",
             "ﷺ", "ﷻ long ligature", "㍻ ㌔", "\u2581word", "\u200bstart", "end\u200b",
             "a\u200b\u200bb", "\ufeff\u200b", "é" * 40]
    for name in MODELS:
        for s in [c for c, _, _ in MODELS[name][4]]:
            extra += [s, f"hello{s}world", f"hello {s} world", f" {s} ", f"{s}{s}", s.lower(),
                      f"a  {s}  b", f"{s}é"]
    return list(dict.fromkeys(adversarial_strings() + extra + sentences[:10]))


def pair_inputs(sentences, adv):
    rng = random.Random(11)
    out = []
    for _ in range(150):
        a = rng.choice(sentences + adv)
        b = rng.choice([None, None] + sentences + adv)
        out.append({"a": a, "b": b, "max_length": rng.choice([None, 0, 1, 2, 3, 4, 5, 8, 16, 32, 64]),
                    "specials": rng.random() < 0.8})
    return out


def write_expected(tok, sentences, adv, pairs, out_dir):
    with open(out_dir / "phrasebank50_digests.txt", "w", encoding="utf-8") as f:
        f.write("# n_tokens digest per line of Sentences_50Agree.txt "
                "(tools/make_sentencepiece_fixtures.py)\n")
        for text in sentences:
            f.write(digest_line(tok, tok.encode(text), [text]))
    with open(out_dir / "adversarial_digests.txt", "w", encoding="utf-8") as f:
        f.write("# n_tokens digest per line of ../adversarial_texts.jsonl\n")
        for text in adv:
            f.write(digest_line(tok, tok.encode(text), [text]))
    with open(out_dir / "pair_digests.txt", "w", encoding="utf-8") as f:
        f.write("# n_tokens digest per line of ../pair_inputs.jsonl\n")
        for p in pairs:
            if p["max_length"] is None:
                tok.no_truncation()
            else:
                tok.enable_truncation(max_length=p["max_length"])
            if p["b"] is None:
                enc = tok.encode(p["a"], add_special_tokens=p["specials"])
            else:
                enc = tok.encode(p["a"], p["b"], add_special_tokens=p["specials"])
            f.write(digest_line(tok, enc, [p["a"], p["b"]]))
        tok.no_truncation()


def without_charsmap(model_bytes):
    """The .model without its charsmap (asserting that appending the patch restores it)."""
    proto = model_pb2.ModelProto()
    proto.ParseFromString(model_bytes)
    charsmap = proto.normalizer_spec.precompiled_charsmap
    proto.normalizer_spec.ClearField("precompiled_charsmap")
    stripped = proto.SerializeToString()
    patch = model_pb2.ModelProto()
    patch.normalizer_spec.precompiled_charsmap = charsmap
    merged = model_pb2.ModelProto()
    merged.ParseFromString(stripped + patch.SerializeToString())
    original = model_pb2.ModelProto()
    original.ParseFromString(model_bytes)
    assert merged == original
    return stripped, charsmap


def component_tokenizers(xlmr, albert, charsmap):
    """The SentencePiece components alone (Precompiled, Metaspace, Unigram; no added tokens, no
    post-processor), in the variants the converted tokenizers do not use."""
    from tokenizers import decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    out = {}
    for name, vocab, unk, byte_fallback, scheme, split in [
            ("always_split", xlmr, 3, False, "always", True),
            ("first_nosplit", xlmr, 3, False, "first", False),
            ("never_byte_fallback", albert, 1, True, "never", True)]:
        if byte_fallback:
            vocab = vocab + [(f"<0x{b:02X}>", -30.0) for b in range(256)]
        tok = Tokenizer(Unigram(vocab, unk_id=unk, byte_fallback=byte_fallback))
        tok.normalizer = normalizers.Precompiled(charsmap)
        tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme=scheme, split=split)
        tok.decoder = decoders.Metaspace(prepend_scheme=scheme, split=split)
        out[name] = tok
    return out


def write_component_digests(toks, texts):
    for name, tok in toks.items():
        with open(OUT / "components" / f"{name}.txt", "w", encoding="utf-8") as f:
            f.write("# n_tokens digest per line of ../adversarial_texts.jsonl, then of "
                    "Sentences_50Agree.txt\n")
            for text in texts:
                f.write(digest_line(tok, tok.encode(text), [text]))


def main():
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    sentences = phrasebank_sentences(shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt")
    OUT.mkdir(parents=True, exist_ok=True)
    adv = adversarial_texts(sentences)
    pairs = pair_inputs(sentences, adv)
    with open(OUT / "adversarial_texts.jsonl", "w", encoding="utf-8") as f:
        for text in adv:
            f.write(json.dumps(text, ensure_ascii=True) + "\n")
    with open(OUT / "pair_inputs.jsonl", "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=True) + "\n")
    charsmaps = set()
    for name, (_, spm_name, layout, config, _) in MODELS.items():
        out_dir = OUT / name
        out_dir.mkdir(parents=True, exist_ok=True)
        model_bytes = train(sentences, layout)
        with tempfile.TemporaryDirectory() as tmp:
            model_path = Path(tmp) / spm_name
            model_path.write_bytes(model_bytes)
            tok, proto = convert(name, model_path)
        stripped, charsmap = without_charsmap(model_bytes)
        charsmaps.add(charsmap)
        (out_dir / spm_name).write_bytes(stripped)
        (out_dir / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
        data = charsmap_moved_out(tok, proto, spm_name)
        (out_dir / "tokenizer.json").write_text(
            json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        write_expected(tok, sentences, adv, pairs, out_dir)
        print(f"{name}: {tok.get_vocab_size()} ids")
    assert len(charsmaps) == 1
    charsmap = charsmaps.pop()
    (OUT / "nmt_nfkc.charsmap").write_bytes(charsmap)
    (OUT / "components").mkdir(exist_ok=True)
    vocabs = {n: [tuple(p) for p in json.loads((OUT / n / "tokenizer.json").read_text())["model"]["vocab"]]
              for n in ("xlm-roberta", "albert")}
    write_component_digests(component_tokenizers(vocabs["xlm-roberta"], vocabs["albert"], charsmap),
                            adv + sentences)
    print(f"{len(sentences)} sentences, {len(adv)} adversarial texts, {len(pairs)} pairs")


if __name__ == "__main__":
    main()
