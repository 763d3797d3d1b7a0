#!/usr/bin/env python3
"""Prints the gradient all-reduce arithmetic of docs/distributed.md (plain Python, no packages).

Parameters are counted from each model's config.json fields (BertModel with its pooler, plus a
linear classification head of 3 labels), gradients are fp32, and one step all-reduces every
gradient once with a ring: each rank sends (and receives) 2 (N - 1) / N x the gradient bytes, in
2 (N - 1) messages. Time per step = bandwidth term + latency term:
    t = 2 (N - 1) / N x bytes x 8 / bandwidth  +  2 (N - 1) x alpha
with alpha = 5 us per message (an assumption for TCP within one datacentre).
Usage: python3 tools/allreduce_cost.py
"""

ALPHA_S = 5e-6
RANKS = (8, 32, 128)
BANDWIDTHS_GBPS = (10, 25, 100)
NUM_LABELS = 3

MODELS = {
    # name: (vocab_size, hidden_size, num_hidden_layers, intermediate_size,
    #        max_position_embeddings, type_vocab_size)
    "all-MiniLM-L6-v2": (30522, 384, 6, 1536, 512, 2),
    "bert-base-uncased": (30522, 768, 12, 3072, 512, 2),
}


def bert_parameters(vocab, hidden, layers, intermediate, max_pos, type_vocab):
    """BertModel's parameter count: embeddings, encoder layers, pooler."""
    layer_norm = 2 * hidden
    embeddings = (vocab + max_pos + type_vocab) * hidden + layer_norm
    attention = 4 * (hidden * hidden + hidden) + layer_norm  # Q, K, V, output dense + LayerNorm
    feed_forward = (hidden * intermediate + intermediate) + (intermediate * hidden + hidden)
    layer = attention + feed_forward + layer_norm
    pooler = hidden * hidden + hidden
    return embeddings + layers * layer + pooler


def ring_allreduce_seconds(grad_bytes, ranks, gbps):
    bandwidth_s = 2 * (ranks - 1) / ranks * grad_bytes * 8 / (gbps * 1e9)
    latency_s = 2 * (ranks - 1) * ALPHA_S
    return bandwidth_s, latency_s


def main():
    for name, config in MODELS.items():
        hidden = config[1]
        encoder = bert_parameters(*config)
        head = hidden * NUM_LABELS + NUM_LABELS
        grad_bytes = 4 * (encoder + head)
        print(f"{name}: encoder {encoder:,} parameters + head {head:,} = {encoder + head:,}; "
              f"fp32 gradients {grad_bytes:,} bytes ({grad_bytes / 2**20:.1f} MiB) per step")
        print("| ranks N | sent per rank 2(N-1)/N x bytes | latency 2(N-1) x 5 us | "
              + " | ".join(f"{g} Gb/s" for g in BANDWIDTHS_GBPS) + " |")
        print("|---:|---:|---:|" + "---:|" * len(BANDWIDTHS_GBPS))
        for ranks in RANKS:
            sent = 2 * (ranks - 1) / ranks * grad_bytes
            cells = []
            for gbps in BANDWIDTHS_GBPS:
                bandwidth_s, latency_s = ring_allreduce_seconds(grad_bytes, ranks, gbps)
                cells.append(f"{(bandwidth_s + latency_s) * 1e3:.1f} ms")
            latency_ms = 2 * (ranks - 1) * ALPHA_S * 1e3
            print(f"| {ranks} | {sent / 2**20:.1f} MiB | {latency_ms:.2f} ms | "
                  + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
