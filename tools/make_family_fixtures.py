#!/usr/bin/env python3
"""Writes golden fixtures for the RoBERTa, XLM-R, ELECTRA and MPNet families (issue 18).

Never run by the test suite. Usage (reference stack from tools/reference-env.sh):
    .venv-ref/bin/python tools/make_family_fixtures.py [--out tests/fixtures/models]

Each folder is a tiny *ForSequenceClassification saved by Transformers itself (config.json,
model.safetensors), a tiny WordPiece tokenizer.json in the family's special-token layout (so that
the CLI can train, evaluate and save these models; the families' real tokenizers have golden
tests of their own under tests/text), and parity.json: the inputs as token ids and, in eval mode,
last_hidden_state and logits.
  tiny-roberta/         RobertaForSequenceClassification: pad 1, positions after padding_idx,
                        type_vocab_size 1, dense -> tanh -> out_proj on <s>, layer_norm_eps 1e-5
  tiny-xlm-roberta/     XLMRobertaForSequenceClassification (model_type xlm-roberta), gelu_new
  tiny-roberta-bf16/    tiny-roberta's weights saved in bfloat16 (what a bf16 checkpoint holds)
  tiny-electra/         ElectraForSequenceClassification: embedding_size 16 < hidden_size 32
                        (embeddings_project), dense -> gelu -> out_proj, no pooler
  tiny-mpnet/           MPNetForSequenceClassification: relative position bias (32 buckets),
                        RoBERTa-style positions, dense -> tanh -> out_proj
With --mpnet DIR (scripts/fetch-model.sh all-mpnet-base-v2), also mpnet-phrasebank.json: real
PhraseBank sentences through sentence-transformers/all-mpnet-base-v2 (ids, and the <s> row, an
inner position and the final </s> of last_hidden_state), as minilm-phrasebank.json is for MiniLM.
Inputs: three rows, the middle one padded (padding in the middle of the batch), and for the
families with token types (ELECTRA) a pair row with token_type_ids. Weights are drawn wide
(initializer_range 0.2, perturbed LayerNorm and biases) so that outputs differ clearly between
inputs; the script asserts they do.
"""
import argparse
import json
import pathlib
import sys

import tokenizers
import torch
import transformers
from tokenizers import decoders, models, normalizers, pre_tokenizers, processors
from transformers import (PreTrainedTokenizerFast, ElectraConfig, ElectraForSequenceClassification, MPNetConfig,
                          MPNetForSequenceClassification, RobertaConfig,
                          RobertaForSequenceClassification, XLMRobertaConfig,
                          XLMRobertaForSequenceClassification)

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "models"
LABELS = ["negative", "neutral", "positive"]
VOCAB_SIZE = 64
LABEL_ARGS = dict(num_labels=3, id2label=dict(enumerate(LABELS)),
                  label2id={label: i for i, label in enumerate(LABELS)})


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def tiny_tokenizer(specials, post_processor, **special_args):
    """A lowercasing WordPiece tokenizer over `specials` + letters + ##letters + '.' + ',' (62
    tokens, inside VOCAB_SIZE); digits and other characters become the unknown token."""
    vocab = {t: i for i, t in enumerate(specials)}
    for piece in list(LETTERS) + ["##" + c for c in LETTERS] + [".", ","]:
        vocab[piece] = len(vocab)
    assert len(vocab) <= VOCAB_SIZE, len(vocab)
    unk = special_args["unk_token"]
    tok = tokenizers.Tokenizer(models.WordPiece(vocab, unk_token=unk, max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = post_processor(vocab)
    tok.decoder = decoders.WordPiece()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, **special_args)
    assert fast.vocab_size == len(vocab), fast.vocab_size
    return fast


def roberta_tokenizer():
    """<s>=0, <pad>=1, </s>=2, <unk>=3, RoBERTa's templates (<s> A </s></s> B </s>)."""
    return tiny_tokenizer(
        ["<s>", "<pad>", "</s>", "<unk>"],
        lambda v: processors.RobertaProcessing(("</s>", v["</s>"]), ("<s>", v["<s>"])),
        bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>", cls_token="<s>",
        sep_token="</s>")


def electra_tokenizer():
    """[PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, BERT's templates with token types."""
    return tiny_tokenizer(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]"],
        lambda v: processors.BertProcessing(("[SEP]", v["[SEP]"]), ("[CLS]", v["[CLS]"])),
        unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]")


def roberta_inputs(pad):
    """<s>=0, </s>=2, pad=`pad`; the middle row is padded, the last is a pair (</s></s>)."""
    ids = [[0, 5, 6, 7, 10, 21, 50, 28, 9, 11, 2],
           [0, 14, 15, 11, 2, pad, pad, pad, pad, pad, pad],
           [0, 8, 9, 12, 2, 2, 5, 39, 36, 2, pad]]
    mask = [[0 if t == pad else 1 for t in row] for row in ids]
    return ids, mask


def bert_style_inputs(pad):
    """[CLS]=2, [SEP]=3 (ELECTRA's vocabulary layout), token types on the pair row."""
    ids = [[2, 5, 6, 7, 10, 21, 50, 28, 9, 11, 3],
           [2, 14, 15, 11, 3, pad, pad, pad, pad, pad, pad],
           [2, 8, 9, 12, 3, 5, 39, 36, 40, 3, pad]]
    mask = [[0 if t == pad else 1 for t in row] for row in ids]
    types = [[0] * 11, [0] * 11, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0]]
    return ids, mask, types


def perturb(model, seed):
    """Moves LayerNorm weights and biases away from their 1/0 init so the test sees them."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight"):
                p.add_(torch.randn(p.shape, generator=g) * 0.2)
            elif name.endswith(".bias"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
            elif name.endswith("relative_attention_bias.weight"):
                p.copy_(torch.randn(p.shape, generator=g))


def rows(t):
    """float32 values as the shortest decimals that read back to the same float32."""
    flat = [float(f"{v:.9g}") for v in t.detach().to(torch.float32).flatten().tolist()]
    return torch.tensor(flat, dtype=torch.float64).reshape(t.shape).tolist() if flat else []


def check_outputs(name, out, ids, hidden_size):
    h = out.hidden_states[-1]
    assert tuple(h.shape) == (len(ids), len(ids[0]), hidden_size), (name, h.shape)
    assert not torch.allclose(h[0, 1], h[1, 1], atol=1e-3), name
    assert not torch.allclose(h[0, 1], h[0, 2], atol=1e-3), name
    assert tuple(out.logits.shape) == (len(ids), len(LABELS)), (name, out.logits.shape)
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            assert (out.logits[a] - out.logits[b]).abs().max() > 1e-2, (name, out.logits)


def write(name, model, tokenizer, ids, mask, types=None, dtype=None):
    path = OUT / name
    model.eval()
    kwargs = {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask)}
    if types is not None:
        kwargs["token_type_ids"] = torch.tensor(types)
    if dtype is not None:
        model = model.to(dtype)
    model.save_pretrained(str(path))
    tokenizer.save_pretrained(str(path))
    # Logits are those of the saved weights read back in float32 (what finsent computes).
    reloaded = type(model).from_pretrained(str(path), dtype=torch.float32).eval()
    with torch.no_grad():
        out = reloaded(**kwargs, output_hidden_states=True)
    check_outputs(name, out, ids, reloaded.config.hidden_size)
    saved = json.loads((path / "config.json").read_text())
    assert saved["model_type"] == reloaded.config.model_type, saved["model_type"]
    doc = {"generator": "tools/make_family_fixtures.py", "torch": torch.__version__,
           "transformers": transformers.__version__, "input_ids": ids, "attention_mask": mask,
           "last_hidden_state": rows(out.hidden_states[-1]), "logits": rows(out.logits)}
    if types is not None:
        doc["token_type_ids"] = types
    (path / "parity.json").write_text(json.dumps(doc) + "\n")
    print(f"{path}: {sum(p.numel() for p in reloaded.parameters())} parameters, logits row 0 "
          f"{out.logits[0].tolist()}")


def roberta_config(cls, act):
    return cls(vocab_size=VOCAB_SIZE, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
               intermediate_size=64, hidden_act=act, max_position_embeddings=40, type_vocab_size=1,
               layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0, eos_token_id=2,
               initializer_range=0.2, **LABEL_ARGS)


def make_roberta():
    torch.manual_seed(21)
    model = RobertaForSequenceClassification(roberta_config(RobertaConfig, "gelu"))
    perturb(model, 31)
    ids, mask = roberta_inputs(pad=1)
    write("tiny-roberta", model, roberta_tokenizer(), ids, mask)
    write("tiny-roberta-bf16", model, roberta_tokenizer(), ids, mask, dtype=torch.bfloat16)


def make_xlm_roberta():
    torch.manual_seed(22)
    model = XLMRobertaForSequenceClassification(roberta_config(XLMRobertaConfig, "gelu_new"))
    perturb(model, 32)
    ids, mask = roberta_inputs(pad=1)
    write("tiny-xlm-roberta", model, roberta_tokenizer(), ids, mask)


def make_electra():
    torch.manual_seed(23)
    cfg = ElectraConfig(vocab_size=VOCAB_SIZE, embedding_size=16, hidden_size=32,
                        num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                        max_position_embeddings=40, type_vocab_size=2, initializer_range=0.2,
                        pad_token_id=0, **LABEL_ARGS)
    model = ElectraForSequenceClassification(cfg)
    perturb(model, 33)
    ids, mask, types = bert_style_inputs(pad=0)
    write("tiny-electra", model, electra_tokenizer(), ids, mask, types)


def make_mpnet():
    torch.manual_seed(24)
    cfg = MPNetConfig(vocab_size=VOCAB_SIZE, hidden_size=32, num_hidden_layers=2,
                      num_attention_heads=4, intermediate_size=64, max_position_embeddings=40,
                      relative_attention_num_buckets=32, layer_norm_eps=1e-5, pad_token_id=1,
                      bos_token_id=0, eos_token_id=2, initializer_range=0.2, **LABEL_ARGS)
    model = MPNetForSequenceClassification(cfg)
    perturb(model, 34)
    ids, mask = roberta_inputs(pad=1)
    write("tiny-mpnet", model, roberta_tokenizer(), ids, mask)


def make_mpnet_phrasebank(model_dir):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    from make_model_fixtures import phrasebank_sentences  # noqa: E402
    tok = transformers.AutoTokenizer.from_pretrained(model_dir)
    model = transformers.MPNetModel.from_pretrained(model_dir).eval()
    sentences = phrasebank_sentences(5)
    enc = tok(sentences, padding="longest", truncation=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state
    lengths = enc["attention_mask"].sum(1).tolist()
    positions = [[0, 5, int(n) - 1] for n in lengths]
    doc = {"generator": "tools/make_family_fixtures.py", "torch": torch.__version__,
           "transformers": transformers.__version__, "model": "sentence-transformers/all-mpnet-base-v2",
           "sentences": sentences, "input_ids": enc["input_ids"].tolist(),
           "attention_mask": enc["attention_mask"].tolist(), "positions": positions,
           "hidden": [[rows(hidden[b, p]) for p in ps] for b, ps in enumerate(positions)]}
    (OUT / "mpnet-phrasebank.json").write_text(json.dumps(doc) + "\n")
    print(f"{OUT / 'mpnet-phrasebank.json'}: lengths {lengths}")


def main():
    global OUT
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(OUT), help="output folder (default tests/fixtures/models)")
    ap.add_argument("--mpnet", help="all-mpnet-base-v2 directory (scripts/fetch-model.sh)")
    args = ap.parse_args()
    OUT = pathlib.Path(args.out)
    if args.mpnet:
        make_mpnet_phrasebank(args.mpnet)
    torch.set_default_dtype(torch.float32)
    make_roberta()
    make_xlm_roberta()
    make_electra()
    make_mpnet()


if __name__ == "__main__":
    main()
