#!/usr/bin/env python3
"""Writes the models layer's golden fixtures (tests/fixtures/models/) with PyTorch + Transformers.

Never run by the test suite. Usage (reference stack from tools/reference-env.sh):
    /opt/ref/bin/python tools/make_model_fixtures.py [--minilm models/all-MiniLM-L6-v2]

Writes, each a Hugging Face model directory saved by Transformers itself plus a parity.json:
  tiny-bert/        BertForSequenceClassification (weights prefixed "bert."), hidden_act gelu, 3 labels
  tiny-bert-base/   BertModel (no prefix), gelu_new, layer_norm_eps 1e-7, type_vocab_size 1
  tiny-bert-base-bin/ the same weights as pytorch_model.bin (torch.save), config.json only
  tiny-distilbert/  DistilBertForSequenceClassification (prefixed "distilbert."), 3 labels
parity.json holds the inputs (with padding) and, in eval mode, last_hidden_state, pooler_output
(BERT) and logits. With --minilm DIR, also minilm-phrasebank.json: real PhraseBank sentences
through all-MiniLM-L6-v2 (ids, the [CLS] row and a few other positions of last_hidden_state).
"""
import argparse
import json
import os
import pathlib

import torch
import transformers
from tokenizers.implementations import BertWordPieceTokenizer
from transformers import (BertConfig, BertForSequenceClassification, BertModel, BertTokenizerFast,
                          DistilBertConfig, DistilBertForSequenceClassification)

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "models"

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "company", "profit", "net", "sales",
         "rose", "fell", "increased", "decreased", "operating", "loss", "quarter", "year", "eur",
         "mn", "of", "to", "from", "in", "and", "a", "by", "%", ".", ",", "'", "s", "is", "was",
         "growth", "market", "shares", "stock", "bank", "finnish", "oyj", "said", "will", "new",
         "##s", "##ed", "##ing", "##ly", "##er", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
         "##0", "##5"]
LABELS = ["negative", "neutral", "positive"]

# Three rows: a full-length single sentence, a short padded one, and a sentence pair (token types).
INPUT_IDS = [[2, 5, 6, 7, 10, 21, 50, 28, 3, 9, 11],
             [2, 14, 15, 11, 3, 0, 0, 0, 0, 0, 0],
             [2, 8, 9, 12, 28, 3, 5, 39, 36, 3, 0]]
ATTENTION_MASK = [[1 if i != 0 or j == 0 else 0 for j, i in enumerate(row)] for row in INPUT_IDS]
TOKEN_TYPE_IDS = [[0] * 11, [0] * 11, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0]]


def perturb(model, seed):
    """Moves LayerNorm and bias parameters away from their 1/0 init so the test sees them."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight") or name.endswith("layer_norm.weight"):
                p.add_(torch.randn(p.shape, generator=g) * 0.2)
            elif name.endswith(".bias"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)


def rows(t):
    """float32 values as the shortest decimals that read back to the same float32."""
    flat = [float(f"{v:.9g}") for v in t.detach().to(torch.float32).flatten().tolist()]
    return torch.tensor(flat, dtype=torch.float64).reshape(t.shape).tolist() if flat else []


def save_tokenizer(path):
    path.mkdir(parents=True, exist_ok=True)
    (path / "vocab.txt").write_text("\n".join(VOCAB) + "\n")
    # From tokenizers' WordPiece pipeline: Transformers 5 ignores BertTokenizerFast(vocab_file=...).
    words = BertWordPieceTokenizer(str(path / "vocab.txt"), lowercase=True)
    tok = BertTokenizerFast(tokenizer_object=words._tokenizer, do_lower_case=True)
    tok.save_pretrained(str(path))
    check_tokenizer(path)
    # tokenizer.json duplicates vocab.txt; the fixtures stay small without it.
    (path / "tokenizer.json").unlink(missing_ok=True)


def check_tokenizer(path):
    """The saved tokenizer must be the fixture's vocabulary, not a degenerate one."""
    tok = transformers.AutoTokenizer.from_pretrained(str(path))
    assert len(tok) == len(VOCAB), f"{path}: tokenizer has {len(tok)} tokens, not {len(VOCAB)}"
    ids = tok("The company's net sales rose 5 %")["input_ids"]
    assert tok.unk_token_id not in ids and ids[0] == VOCAB.index("[CLS]"), tok.convert_ids_to_tokens(ids)


def check_outputs(name, out, hidden_size):
    """Shapes as the inputs say, and rows that differ (a constant model would pin nothing)."""
    h = out.hidden_states[-1]
    assert tuple(h.shape) == (len(INPUT_IDS), len(INPUT_IDS[0]), hidden_size), (name, h.shape)
    assert not torch.allclose(h[0, 1], h[1, 1]) and not torch.allclose(h[0, 1], h[0, 2]), name
    if getattr(out, "logits", None) is not None:
        assert tuple(out.logits.shape) == (len(INPUT_IDS), len(LABELS)), (name, out.logits.shape)
        assert not torch.allclose(out.logits[0], out.logits[1]), (name, out.logits)


def write_parity(path, model, with_types, extra):
    ids = torch.tensor(INPUT_IDS)
    mask = torch.tensor(ATTENTION_MASK)
    kwargs = {"input_ids": ids, "attention_mask": mask}
    if with_types:
        kwargs["token_type_ids"] = torch.tensor(TOKEN_TYPE_IDS)
    with torch.no_grad():
        out = model(**kwargs, output_hidden_states=True)
    check_outputs(path.name, out, model.config.hidden_size if hasattr(model.config, "hidden_size") else model.config.dim)
    doc = {"generator": "tools/make_model_fixtures.py", "torch": torch.__version__,
           "transformers": transformers.__version__, "input_ids": INPUT_IDS,
           "attention_mask": ATTENTION_MASK}
    if with_types:
        doc["token_type_ids"] = TOKEN_TYPE_IDS
    doc.update(extra(out))
    (path / "parity.json").write_text(json.dumps(doc) + "\n")


def make_tiny_bert():
    torch.manual_seed(1)
    cfg = BertConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2,
                     num_attention_heads=4, intermediate_size=64, hidden_act="gelu",
                     max_position_embeddings=64, type_vocab_size=2, initializer_range=0.2,
                     num_labels=3, id2label=dict(enumerate(LABELS)),
                     label2id={l: i for i, l in enumerate(LABELS)})
    model = BertForSequenceClassification(cfg).eval()
    perturb(model, 11)
    path = OUT / "tiny-bert"
    model.save_pretrained(str(path))
    save_tokenizer(path)
    write_parity(path, model, True, lambda out: {
        "last_hidden_state": rows(out.hidden_states[-1]),
        "pooler_output": rows(model.bert.pooler(out.hidden_states[-1])),
        "logits": rows(out.logits)})


def make_tiny_bert_base():
    torch.manual_seed(2)
    cfg = BertConfig(vocab_size=len(VOCAB), hidden_size=24, num_hidden_layers=2,
                     num_attention_heads=3, intermediate_size=40, hidden_act="gelu_new",
                     layer_norm_eps=1e-7, max_position_embeddings=32, type_vocab_size=1,
                     initializer_range=0.2)
    model = BertModel(cfg).eval()
    perturb(model, 12)
    path = OUT / "tiny-bert-base"
    model.save_pretrained(str(path))
    save_tokenizer(path)
    write_parity(path, model, False, lambda out: {
        "last_hidden_state": rows(out.last_hidden_state),
        "pooler_output": rows(out.pooler_output)})
    # The same weights as a pickle checkpoint (torch.save of the state dict), config beside it.
    bin_path = OUT / "tiny-bert-base-bin"
    bin_path.mkdir(parents=True, exist_ok=True)
    (bin_path / "config.json").write_bytes((path / "config.json").read_bytes())
    torch.save(model.state_dict(), str(bin_path / "pytorch_model.bin"))


def make_tiny_distilbert():
    torch.manual_seed(3)
    cfg = DistilBertConfig(vocab_size=len(VOCAB), dim=32, n_layers=2, n_heads=4, hidden_dim=64,
                           activation="gelu", max_position_embeddings=64, initializer_range=0.2,
                           num_labels=3, id2label=dict(enumerate(LABELS)),
                           label2id={l: i for i, l in enumerate(LABELS)})
    model = DistilBertForSequenceClassification(cfg).eval()
    perturb(model, 13)
    path = OUT / "tiny-distilbert"
    model.save_pretrained(str(path))
    save_tokenizer(path)
    write_parity(path, model, False, lambda out: {
        "last_hidden_state": rows(out.hidden_states[-1]),
        "logits": rows(out.logits)})


def phrasebank_sentences(n):
    data = pathlib.Path(os.environ.get("FINSENT_DATA",
                                       ROOT.parent / "shared/data/FinancialPhraseBank-v1.0"))
    lines = (data / "Sentences_AllAgree.txt").read_text(encoding="iso-8859-1").splitlines()
    picked = [lines[i] for i in (0, 1, 7, 42, 1000)][:n]
    return [line.rsplit("@", 1)[0] for line in picked]


def make_minilm(model_dir):
    tok = transformers.AutoTokenizer.from_pretrained(model_dir)
    model = BertModel.from_pretrained(model_dir).eval()
    sentences = phrasebank_sentences(5)
    enc = tok(sentences, padding=True, return_tensors="pt")
    with torch.no_grad():
        out = model(**enc)
    hidden = out.last_hidden_state
    lengths = enc["attention_mask"].sum(1).tolist()
    # The [CLS] row, one inner position and the final [SEP] of every sentence.
    positions = [[0, 5, int(n) - 1] for n in lengths]
    doc = {"generator": "tools/make_model_fixtures.py", "torch": torch.__version__,
           "transformers": transformers.__version__, "model": "sentence-transformers/all-MiniLM-L6-v2",
           "sentences": sentences, "input_ids": enc["input_ids"].tolist(),
           "attention_mask": enc["attention_mask"].tolist(),
           "token_type_ids": enc["token_type_ids"].tolist(), "positions": positions,
           "hidden": [[rows(hidden[b, p]) for p in ps] for b, ps in enumerate(positions)]}
    (OUT / "minilm-phrasebank.json").write_text(json.dumps(doc) + "\n")


def main():
    global OUT
    ap = argparse.ArgumentParser()
    ap.add_argument("--minilm", help="all-MiniLM-L6-v2 directory (scripts/fetch-model.sh)")
    ap.add_argument("--out", default=str(OUT), help="output folder (default tests/fixtures/models)")
    args = ap.parse_args()
    OUT = pathlib.Path(args.out)
    torch.set_default_dtype(torch.float32)
    make_tiny_bert()
    make_tiny_bert_base()
    make_tiny_distilbert()
    if args.minilm:
        make_minilm(args.minilm)


if __name__ == "__main__":
    main()
