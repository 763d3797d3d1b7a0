#!/usr/bin/env python3
"""Checks the linear-head folding of save_pretrained at real scale (never run by the tests).

Usage: /opt/ref/bin/python tools/check_linear_fold.py [models/all-MiniLM-L6-v2]
Takes all-MiniLM-L6-v2's [CLS] vectors of the first 256 PhraseBank sentences and a random 3-label
linear head, applies the two foldings of src/models/linear_head_folding.cpp (BERT: pooler eps*I,
classifier W/eps; DistilBERT-style: pre_classifier I with bias c, classifier bias b - W c) in float32
with the same ops Transformers runs, and prints the largest logit difference to the linear head.
"""
import math
import os
import pathlib
import sys

import torch
import torch.nn.functional as F
from transformers import AutoTokenizer, BertModel

ROOT = pathlib.Path(__file__).resolve().parent.parent
d = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "models" / "all-MiniLM-L6-v2")
data = pathlib.Path(os.environ.get("FINSENT_DATA", ROOT.parent / "shared/data/FinancialPhraseBank-v1.0"))
m = BertModel.from_pretrained(d).eval()
tok = AutoTokenizer.from_pretrained(d)
lines = (data / "Sentences_AllAgree.txt").read_text(encoding="iso-8859-1").splitlines()[:256]
enc = tok([l.rsplit("@", 1)[0] for l in lines], padding=True, return_tensors="pt")
with torch.no_grad():
    h = m(**enc).last_hidden_state[:, 0]
dim = h.shape[1]
g = torch.Generator().manual_seed(0)
W = torch.randn(3, dim, generator=g) * 0.02
b = torch.randn(3, generator=g) * 0.1
ref = h @ W.T + b
ln = m.encoder.layer[-1].output.LayerNorm
c = ln.weight.double().abs() * math.sqrt(dim) + ln.bias.double().abs() + 1
eps = 2.0 ** math.floor(math.log2(2**-12 / c.max().item()))
bert = F.linear(torch.tanh(F.linear(h, torch.eye(dim) * eps, torch.zeros(dim))), W / eps, b)
pre = torch.relu(F.linear(h, torch.eye(dim), c.float()))
distil = F.linear(pre, W, (b.double() - W.double() @ c).float())
print(f"largest |[CLS] component| {h.abs().max().item():.3g}, bound {c.max().item():.3g}, eps 2^{int(math.log2(eps))}")
print(f"bert fold max |logit diff| {(bert - ref).abs().max().item():.3g}; "
      f"distilbert-style fold {(distil - ref).abs().max().item():.3g}")
