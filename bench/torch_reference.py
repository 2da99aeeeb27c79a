"""PyTorch reference for the lab's training step: the same models, data sizes and full-batch AdamW step.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 bench/torch_reference.py --model mlp
Prints one JSON line: {"model": ..., "threads": ..., "msPerStep": ..., "cpuMsPerStep": ..., "steps": ...}.
Used by bench/throughput.ts to print the lab/PyTorch ratio measured in the same run on the same machine.
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


def modular_data(p, train_fraction, with_equals, generator):
    a = torch.arange(p).repeat_interleave(p)
    b = torch.arange(p).repeat(p)
    y = (a + b) % p
    columns = [a, b] + ([torch.full_like(a, p)] if with_equals else [])
    x = torch.stack(columns, dim=1)
    order = torch.randperm(p * p, generator=generator)
    train = order[: round(train_fraction * p * p)]
    return x[train], y[train]


class Mlp(torch.nn.Module):
    """Embeddings for a and b concatenated, one hidden layer, class scores (the lab's `mlp` model)."""

    def __init__(self, p, embed_dim, hidden):
        super().__init__()
        self.embedding = torch.nn.Embedding(p, embed_dim)
        self.hidden = torch.nn.Linear(2 * embed_dim, hidden)
        self.output = torch.nn.Linear(hidden, p)

    def forward(self, x):
        h = F.relu(self.hidden(self.embedding(x).flatten(1)))
        return self.output(h)


class Transformer(torch.nn.Module):
    """Nanda et al.'s 1-layer grokking transformer without LayerNorm, read at the last position."""

    def __init__(self, vocab, classes, d, heads, d_mlp, length):
        super().__init__()
        self.heads = heads
        self.embedding = torch.nn.Parameter(torch.randn(vocab, d) / math.sqrt(d))
        self.position = torch.nn.Parameter(torch.randn(length, d) / math.sqrt(d))
        self.q = torch.nn.Linear(d, d, bias=False)
        self.k = torch.nn.Linear(d, d, bias=False)
        self.v = torch.nn.Linear(d, d, bias=False)
        self.o = torch.nn.Linear(d, d, bias=False)
        self.mlp_in = torch.nn.Linear(d, d_mlp)
        self.mlp_out = torch.nn.Linear(d_mlp, d)
        self.unembed = torch.nn.Linear(d, classes, bias=False)
        self.register_buffer("mask", torch.triu(torch.full((length, length), -1e9), diagonal=1))

    def forward(self, x):
        n, t = x.shape
        resid = self.embedding[x] + self.position
        split = lambda z: z.view(n, t, self.heads, -1).transpose(1, 2)
        q, k, v = split(self.q(resid)), split(self.k(resid)), split(self.v(resid))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + self.mask
        mixed = (scores.softmax(-1) @ v).transpose(1, 2).reshape(n, t, -1)
        resid = resid + self.o(mixed)
        resid = resid + self.mlp_out(F.relu(self.mlp_in(resid)))
        return self.unembed(resid[:, -1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["mlp", "small", "classic"], required=True)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    if args.model == "mlp":  # the lab's `mlp` preset: (a+b) mod 31, 70% train, 2×64 → 256 → 31, lr 3e-3
        x, y = modular_data(31, 0.7, False, generator)
        model, lr = Mlp(31, 64, 256), 3e-3
    elif args.model == "small":  # DESIGN §4c's small transformer: (a+b) mod 31, 70% train, d 64, 4 heads, MLP 256
        x, y = modular_data(31, 0.7, True, generator)
        model, lr = Transformer(32, 31, 64, 4, 256, 3), 3e-3
    else:  # `classic`: (a+b) mod 97, 30% train, d 128, 4 heads, d_mlp 512, lr 1e-3
        x, y = modular_data(97, 0.3, True, generator)
        model, lr = Transformer(98, 97, 128, 4, 512, 3), 1e-3
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=1.0)

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    for _ in range(3):  # warm-up
        step()
    started = time.perf_counter()
    cpu_started = time.process_time()
    for _ in range(args.steps):
        step()
    ms = (time.perf_counter() - started) * 1000 / args.steps
    # CPU time of this process: on a shared machine it moves far less than wall time.
    cpu_ms = (time.process_time() - cpu_started) * 1000 / args.steps
    print(
        json.dumps(
            {"model": args.model, "threads": args.threads, "msPerStep": ms, "cpuMsPerStep": cpu_ms, "steps": args.steps}
        )
    )


if __name__ == "__main__":
    main()
