#!/usr/bin/env python3
"""Regenerates tests/fixtures/train/distributed_sampler.json from torch's DistributedSampler.

Each case is torch.utils.data.DistributedSampler(range(n), num_replicas, rank, shuffle, seed,
drop_last) after set_epoch(epoch); "ranks" holds, for every rank, the indices it yields as a list
for n <= 33, and for larger n an object with the first 16, their count, their sum and the checksum
sum((i + 1) * index). Without
shuffle the order depends on neither seed nor epoch, so those cases are stored once (seed 0,
epoch 0). Never run by the test suite.
Usage: /work/venv-ref/bin/python tools/make_distributed_sampler_fixture.py
"""
import json
import os

import torch
from torch.utils.data.distributed import DistributedSampler

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "train",
                   "distributed_sampler.json")
SIZES = [1, 5, 7, 10, 33, 4846]
REPLICAS = [1, 2, 3, 4, 8]
SEEDS = [0, 42]
EPOCHS = [0, 1, 3]
FULL_LIST_MAX_N = 33


def rank_record(n, indices):
    if n <= FULL_LIST_MAX_N:
        return indices
    return {
        "count": len(indices),
        "first16": indices[:16],
        "sum": sum(indices),
        "checksum": sum((i + 1) * index for i, index in enumerate(indices)),
    }


def case(n, replicas, shuffle, drop_last, seed, epoch):
    ranks = []
    num_samples = total_size = None
    for rank in range(replicas):
        sampler = DistributedSampler(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle,
                                     seed=seed, drop_last=drop_last)
        sampler.set_epoch(epoch)
        num_samples, total_size = sampler.num_samples, sampler.total_size
        ranks.append(rank_record(n, list(iter(sampler))))
    return {"n": n, "num_replicas": replicas, "shuffle": shuffle, "drop_last": drop_last,
            "seed": seed, "epoch": epoch, "num_samples": num_samples, "total_size": total_size,
            "ranks": ranks}


def main():
    cases = []
    for n in SIZES:
        for replicas in REPLICAS:
            for drop_last in (False, True):
                cases.append(case(n, replicas, False, drop_last, 0, 0))
                for seed in SEEDS:
                    for epoch in EPOCHS:
                        cases.append(case(n, replicas, True, drop_last, seed, epoch))
    with open(OUT, "w") as f:
        f.write('{"torch_version": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(f"{len(cases)} cases written to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
