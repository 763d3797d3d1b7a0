#!/usr/bin/env python3
"""Writes a *ForSequenceClassification with random weights (seed 0) and the bert-base-uncased
vocabulary, for the benchmark rows (timing does not depend on the weights' values, but it does on the
sequence lengths, so the tokenizer must be the real WordPiece one). Asserts what it made: the
tokenizer's vocabulary is the whole vocab.txt, a sentence tokenizes to real word pieces (no [UNK]),
logits have shape [2, 3] and differ between two inputs.
Usage: ref_make_random_model.py OUT_DIR VOCAB_TXT [--arch distilbert-base|bert-base|minilm]
  distilbert-base (default)  DistilBertConfig's defaults (6 layers, hidden 768)
  bert-base                  BertConfig's defaults: bert-base-uncased's shapes (12 layers, hidden 768)
  minilm                     all-MiniLM-L6-v2's shapes (BERT, 6 layers, hidden 384, 12 heads, FFN 1536)
A directory already there is kept when it passes the checks and has the shapes asked for.
"""
import argparse
import shutil
import sys
from pathlib import Path

import torch
from tokenizers.implementations import BertWordPieceTokenizer
from transformers import (AutoModelForSequenceClassification, AutoTokenizer, BertConfig, BertTokenizerFast,
                          DistilBertConfig)

LABELS = {"num_labels": 3, "id2label": {0: "negative", 1: "neutral", 2: "positive"},
          "label2id": {"negative": 0, "neutral": 1, "positive": 2}}
ARCHS = {
    "distilbert-base": lambda: DistilBertConfig(**LABELS),
    "bert-base": lambda: BertConfig(**LABELS),
    "minilm": lambda: BertConfig(hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                                 intermediate_size=1536, max_position_embeddings=512, **LABELS),
}
SHAPE_KEYS = ("model_type", "hidden_size", "num_hidden_layers", "intermediate_size", "dim", "n_layers", "hidden_dim")

SENTENCES = ["Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007 .",
             "The company 's net sales decreased by 5 % ."]


def build_tokenizer(vocab_txt):
    """bert-base-uncased's WordPiece pipeline from its vocab.txt. (Transformers 5 ignores
    BertTokenizerFast(vocab_file=...) and would leave a 5-token vocabulary.)"""
    words = BertWordPieceTokenizer(str(vocab_txt), lowercase=True)
    return BertTokenizerFast(tokenizer_object=words._tokenizer, do_lower_case=True, unk_token="[UNK]",
                             sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]")


def check(out_dir, vocab_txt, model):
    """Fails loudly when the directory holds a degenerate tokenizer or model."""
    lines = Path(vocab_txt).read_text(encoding="utf-8").splitlines()
    tok = AutoTokenizer.from_pretrained(out_dir)
    assert len(tok) == len(lines) == model.config.vocab_size, (len(tok), len(lines), model.config.vocab_size)
    enc = tok(SENTENCES, padding=True, return_tensors="pt")
    ids = enc["input_ids"][0].tolist()
    assert tok.unk_token_id not in ids, tok.convert_ids_to_tokens(ids)
    assert ids[0] == tok.cls_token_id and sum(enc["attention_mask"][0].tolist()) >= 20, ids
    with torch.no_grad():
        keep = ("input_ids", "attention_mask") if model.config.model_type == "distilbert" else tuple(enc.keys())
        logits = model(**{k: v for k, v in enc.items() if k in keep}).logits
    assert logits.shape == (2, 3), logits.shape
    assert not torch.allclose(logits[0], logits[1]), logits
    print(f"{out_dir}: vocabulary {len(tok)}, sentence 1 is {len(ids)} tokens, logits {logits.tolist()}")


def same_shapes(a, b):
    return all(getattr(a, k, None) == getattr(b, k, None) for k in SHAPE_KEYS)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("vocab")
    ap.add_argument("--arch", choices=sorted(ARCHS), default="distilbert-base")
    args = ap.parse_args(argv)
    out, vocab_txt = Path(args.out), Path(args.vocab)
    config = ARCHS[args.arch]()
    if (out / "model.safetensors").exists():
        try:
            model = AutoModelForSequenceClassification.from_pretrained(out).eval()
            assert same_shapes(model.config, config), f"not {args.arch}-shaped"
            check(out, vocab_txt, model)
            return
        except AssertionError as e:  # e.g. one written before the tokenizer fix: rebuild it
            print(f"{out}: degenerate ({e!r}), rebuilding", file=sys.stderr)
            shutil.rmtree(out)
    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_config(config).eval()
    tmp = out.with_name(out.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    build_tokenizer(vocab_txt).save_pretrained(tmp)
    shutil.copyfile(vocab_txt, tmp / "vocab.txt")
    check(tmp, vocab_txt, model)
    tmp.rename(out)


if __name__ == "__main__":
    main()
