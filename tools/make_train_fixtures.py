#!/usr/bin/env python3
"""Regenerates tests/fixtures/train/*.json from the Python reference (never run by the tests).

adamw_golden.json: torch.optim.AdamW + transformers' get_linear_schedule_with_warmup +
torch.nn.utils.clip_grad_norm_(max_norm=1.0) on two parameters (one with weight decay, one
without, as Trainer groups them) driven by fixed gradients; per step: lr used, grad norm before
clipping, parameters after the step.
class_weights.json: sklearn's compute_class_weight("balanced") on a label list.
Usage: /opt/ref/bin/python tools/make_train_fixtures.py
"""
import json
import os

import numpy as np
import torch
from sklearn.utils.class_weight import compute_class_weight
from transformers import get_linear_schedule_with_warmup

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "train")


def adamw_golden():
    g = torch.Generator().manual_seed(7)
    w = torch.randn(3, 4, generator=g, dtype=torch.float32)
    b = torch.randn(4, generator=g, dtype=torch.float32)
    init = {"w": w.flatten().tolist(), "b": b.tolist()}
    w.requires_grad_(True)
    b.requires_grad_(True)
    lr, wd, warmup, total = 1e-2, 0.01, 2, 7
    opt = torch.optim.AdamW([{"params": [w], "weight_decay": wd}, {"params": [b], "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.999), eps=1e-8, foreach=False)
    sched = get_linear_schedule_with_warmup(opt, warmup, total)
    steps = []
    for step in range(total):
        scale = 3.0 if step % 3 == 0 else 0.05  # some steps clip, some do not
        gw = torch.randn(3, 4, generator=g) * scale
        gb = torch.randn(4, generator=g) * scale
        w.grad = gw.clone()
        b.grad = gb.clone()
        used_lr = opt.param_groups[0]["lr"]
        norm = torch.nn.utils.clip_grad_norm_([w, b], 1.0)
        opt.step()
        sched.step()
        steps.append({"grad_w": gw.flatten().tolist(), "grad_b": gb.tolist(), "lr": used_lr,
                      "grad_norm": float(norm), "w": w.detach().flatten().tolist(),
                      "b": b.detach().tolist()})
    return {"lr": lr, "weight_decay": wd, "warmup_steps": warmup, "total_steps": total,
            "w_shape": [3, 4], "init": init, "steps": steps}


def class_weights():
    y = ["neutral"] * 7 + ["positive"] * 3 + ["negative"] * 2
    classes = np.array(sorted(set(y)))
    weights = compute_class_weight("balanced", classes=classes, y=np.array(y))
    return {"labels": y, "classes": classes.tolist(), "weights": weights.tolist()}


def check(adamw, weights):
    """What the fixtures must exercise: clipped and unclipped steps, warmup then decay, moving
    parameters, and unequal class weights."""
    norms = [s["grad_norm"] for s in adamw["steps"]]
    assert any(n > 1.0 for n in norms) and any(n < 1.0 for n in norms), norms
    lrs = [s["lr"] for s in adamw["steps"]]
    assert lrs[0] == 0.0 and max(lrs) == adamw["lr"] and lrs[-1] < max(lrs), lrs
    assert adamw["steps"][-1]["w"] != adamw["init"]["w"] and adamw["steps"][-1]["b"] != adamw["init"]["b"]
    assert len(weights["weights"]) == len(weights["classes"]) == 3 and len(set(weights["weights"])) == 3


def main():
    os.makedirs(OUT, exist_ok=True)
    adamw, weights = adamw_golden(), class_weights()
    check(adamw, weights)
    for name, data in (("adamw_golden.json", adamw), ("class_weights.json", weights)):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(data, f, indent=1)
        print("wrote", name)


if __name__ == "__main__":
    main()
