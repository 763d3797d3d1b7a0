#!/usr/bin/env python3
"""Writes a distilbert-base-sized DistilBertForSequenceClassification with random weights (seed 0)
and the bert-base-uncased vocabulary, for the inference rows of the benchmark (timing does not depend
on the weights' values, but it does on the sequence lengths, so the tokenizer must be the real
WordPiece one). Asserts what it made: the tokenizer's vocabulary is the whole vocab.txt, a sentence
tokenizes to real word pieces (no [UNK]), logits have shape [2, 3] and differ between two inputs.
Usage: ref_make_random_model.py OUT_DIR VOCAB_TXT
"""
import shutil
import sys
from pathlib import Path

import torch
from tokenizers.implementations import BertWordPieceTokenizer
from transformers import AutoTokenizer, BertTokenizerFast, DistilBertConfig, DistilBertForSequenceClassification

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
        logits = model(**{k: v for k, v in enc.items() if k != "token_type_ids"}).logits
    assert logits.shape == (2, 3), logits.shape
    assert not torch.allclose(logits[0], logits[1]), logits
    print(f"{out_dir}: vocabulary {len(tok)}, sentence 1 is {len(ids)} tokens, logits {logits.tolist()}")


def main():
    out, vocab_txt = Path(sys.argv[1]), Path(sys.argv[2])
    if (out / "model.safetensors").exists():
        try:
            check(out, vocab_txt, DistilBertForSequenceClassification.from_pretrained(out).eval())
            return
        except AssertionError as e:  # e.g. one written before the tokenizer fix: rebuild it
            print(f"{out}: degenerate ({e!r}), rebuilding", file=sys.stderr)
            shutil.rmtree(out)
    torch.manual_seed(0)
    config = DistilBertConfig(num_labels=3, id2label={0: "negative", 1: "neutral", 2: "positive"},
                              label2id={"negative": 0, "neutral": 1, "positive": 2})
    model = DistilBertForSequenceClassification(config).eval()
    tmp = out.with_name(out.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    build_tokenizer(vocab_txt).save_pretrained(tmp)
    shutil.copyfile(vocab_txt, tmp / "vocab.txt")
    check(tmp, vocab_txt, model)
    tmp.rename(out)


if __name__ == "__main__":
    main()
