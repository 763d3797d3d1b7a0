#!/usr/bin/env python3
"""Regenerates tests/fixtures/text/pipelines/* with Hugging Face `tokenizers` / `transformers`
(tests never run this).

Usage: .venv-ref/bin/python tools/make_pipeline_component_fixtures.py [SHARED_DATA_DIR]

Small tokenizers that exercise the tokenizer.json components the Hub BPE fixtures do not (BPE with
continuing_subword_prefix / end_of_word_suffix / unk_token + fuse_unk / byte_fallback /
ignore_merges, merges in the "a b" form; NFKC/NFD/Lowercase/Strip/StripAccents/Replace/Prepend
normalizers; Whitespace/WhitespaceSplit/Punctuation/Digits/Split pre-tokenizers with each behavior;
BertProcessing/TemplateProcessing; BPEDecoder/WordPiece/Replace/ByteFallback/Fuse/Strip decoders),
each trained on 600 PhraseBank sentences, plus a vocab.json + merges.txt RoBERTa directory that
Transformers loads. For each: <name>/ (the files finsent loads) and <name>.jsonl (expected
encodings of a fixed string set, byte offsets).
"""
import json
import shutil
import sys
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors, trainers
from tokenizers.models import BPE

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_tokenizer_fixtures import byte_offsets, phrasebank_sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "text" / "pipelines"
STRINGS = ["Operating profit rose to EUR 13.1 mn from EUR 8.7 mn .", "  Café  RÉSUMÉ naïve  ", "",
           "Q1/2010: +5.3% (vs. 4,2%)", "ﬁnance ＡＢＣ １２３ x2", "don't STOP!!! ... ok?", "tab\tnew\nline",
           "中文 text 😀 emoji", "e\u0301 \u212b ǅ", "[CLS] typed [SEP] [UNK]", "zzzqqqxxx", "a" * 60,
           "Nokia's net sales 2009-2010", "\u00a0nbsp\u2003em", "ÅÄÖ åäö"]
BYTES = [f"<0x{b:02X}>" for b in range(256)]


def train(tok, sentences, **kw):
    tok.train_from_iterator(sentences, trainers.BpeTrainer(vocab_size=kw.pop("vocab_size", 400),
                                                           show_progress=False, **kw))
    return tok


def pipelines(sentences):
    out = {}
    # WordPiece-like BPE: prefix, unk + fuse_unk, a normalizer chain, WhitespaceSplit, BERT specials.
    t = Tokenizer(BPE(unk_token="[UNK]", fuse_unk=True, continuing_subword_prefix="##"))
    t.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase(), normalizers.Strip(),
                                         normalizers.Replace(Regex(r"\d"), "0")])
    t.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    train(t, sentences, special_tokens=["[UNK]", "[CLS]", "[SEP]", "[PAD]"], continuing_subword_prefix="##",
          limit_alphabet=40)
    t.post_processor = processors.BertProcessing(("[SEP]", t.token_to_id("[SEP]")), ("[CLS]", t.token_to_id("[CLS]")))
    t.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    out["prefix_unk_fuse"] = t
    # Suffix BPE with the original BPEDecoder, Whitespace, NFD + StripAccents.
    t = Tokenizer(BPE(unk_token="<unk>", end_of_word_suffix="</w>"))
    t.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents()])
    t.pre_tokenizer = pre_tokenizers.Whitespace()
    train(t, sentences, special_tokens=["<unk>"], end_of_word_suffix="</w>", limit_alphabet=60)
    t.decoder = decoders.BPEDecoder(suffix="</w>")
    out["suffix"] = t
    # Llama-style byte fallback: Prepend + Replace normalizers, no pre-tokenizer, the decoder chain.
    t = Tokenizer(BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    t.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    train(t, sentences, special_tokens=["<unk>", "<s>", "</s>"] + BYTES, limit_alphabet=50, vocab_size=600)
    t.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s>:1 $B:1",
                                                     special_tokens=[("<s>", t.token_to_id("<s>"))])
    t.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                   decoders.Strip(" ", 1, 0)])
    out["byte_fallback"] = t
    # Splitting pre-tokenizers with every behavior, ignore_merges, NFKD.
    t = Tokenizer(BPE(ignore_merges=True, unk_token="[UNK]"))
    t.normalizer = normalizers.NFKD()
    t.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"\s+"), "removed"), pre_tokenizers.Split("-", "merged_with_next"),
        pre_tokenizers.Split(Regex(r"[.,]"), "merged_with_previous"), pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.Punctuation("contiguous"), pre_tokenizers.Split(Regex(r"[aeiou]"), "isolated", invert=True)])
    train(t, sentences, special_tokens=["[UNK]"], vocab_size=300)
    t.decoder = decoders.Fuse()
    out["splits_ignore_merges"] = t
    return out


def record(tok, s):
    e = tok.encode(s)
    return {"text": s, "ids": e.ids, "tokens": e.tokens, "offsets": byte_offsets(s, e.offsets),
            "type_ids": e.type_ids, "special_tokens_mask": e.special_tokens_mask,
            "decoded": tok.decode(e.ids), "decoded_specials": tok.decode(e.ids, skip_special_tokens=False)}


def main():
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".." / "shared" / "data"
    sentences = phrasebank_sentences(shared / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt")[:600]
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for name, tok in pipelines(sentences).items():
        (OUT / name).mkdir()
        tok.save(str(OUT / name / "tokenizer.json"))
        doc = json.loads((OUT / name / "tokenizer.json").read_text())
        if name == "suffix":  # the older "a b" merge form; the reference must read it the same
            doc["model"]["merges"] = [" ".join(m) for m in doc["model"]["merges"]]
            (OUT / name / "tokenizer.json").write_text(json.dumps(doc, ensure_ascii=False))
        tok = Tokenizer.from_file(str(OUT / name / "tokenizer.json"))
        with open(OUT / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for s in STRINGS:
                f.write(json.dumps(record(tok, s), ensure_ascii=False) + "\n")
        print(name, tok.get_vocab_size())
    # vocab.json + merges.txt as a RoBERTa checkpoint ships them, read by Transformers.
    from transformers import AutoTokenizer
    src = Tokenizer.from_file(str(ROOT / "tests" / "fixtures" / "text" / "bpe" / "roberta" / "tokenizer.json"))
    legacy = OUT / "roberta_legacy"
    legacy.mkdir()
    src.model.save(str(legacy))
    # Like roberta-base's vocab.json, the file holds the special tokens too.
    vocab = dict(sorted(src.get_vocab(with_added_tokens=True).items(), key=lambda kv: kv[1]))
    (legacy / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False) + "\n")
    (legacy / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "RobertaTokenizer"}) + "\n")
    hf = AutoTokenizer.from_pretrained(str(legacy)).backend_tokenizer
    assert hf.get_vocab_size() == src.get_vocab_size(), (hf.get_vocab_size(), src.get_vocab_size())
    with open(OUT / "roberta_legacy.jsonl", "w", encoding="utf-8") as f:
        for s in STRINGS + ["x <mask> y", "<s>a</s>"]:
            f.write(json.dumps(record(hf, s), ensure_ascii=False) + "\n")
    print("roberta_legacy", hf.get_vocab_size())


if __name__ == "__main__":
    main()
