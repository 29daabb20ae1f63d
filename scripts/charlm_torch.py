#!/usr/bin/env python3
"""PyTorch reference for `loom charlm train` (d2l.ai chapter 8, character-level LSTM LM).

Same protocol as Loom's CharLanguageModel: letters-only lowercased lines, character tokens,
lines concatenated; sequential partitioning (random offset per epoch, state carried and detached
between batches); LSTM(V→H) + Linear(H→V) on one-hot input; cross-entropy; gradient-norm
clipping at 1; SGD lr 1. Prints one JSON line with the perplexity of every epoch.

    /tmp/torchvenv/bin/python scripts/charlm_torch.py ../shared/data/timemachine.txt --epochs 20
"""
import argparse, json, math, random, re, time, collections
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("text")
p.add_argument("--epochs", type=int, default=20)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--steps", type=int, default=35)
p.add_argument("--lr", type=float, default=1.0)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--threads", type=int, default=0)
a = p.parse_args()
if a.threads:
    torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
random.seed(a.seed)

lines = [re.sub("[^A-Za-z]+", " ", l).strip().lower() for l in open(a.text, encoding="utf-8")]
tokens = [list(l) for l in lines]
counts = collections.Counter(t for l in tokens for t in l)
vocab = ["<unk>"] + [t for t, _ in sorted(counts.items(), key=lambda kv: -kv[1])]
index = {t: i for i, t in enumerate(vocab)}
corpus = [index[t] for l in tokens for t in l]
V = len(vocab)

lstm = nn.LSTM(V, a.hidden)
linear = nn.Linear(a.hidden, V)
params = list(lstm.parameters()) + list(linear.parameters())
opt = torch.optim.SGD(params, lr=a.lr)


def batches():
    offset = random.randint(0, a.steps)
    n = ((len(corpus) - offset - 1) // a.batch) * a.batch
    xs = torch.tensor(corpus[offset:offset + n]).reshape(a.batch, -1)
    ys = torch.tensor(corpus[offset + 1:offset + 1 + n]).reshape(a.batch, -1)
    for i in range(0, (xs.shape[1] // a.steps) * a.steps, a.steps):
        yield xs[:, i:i + a.steps], ys[:, i:i + a.steps]


history = []
t0 = time.perf_counter()
for epoch in range(a.epochs):
    state, total, count = None, 0.0, 0
    for X, Y in batches():
        if state is None:
            state = (torch.zeros(1, a.batch, a.hidden), torch.zeros(1, a.batch, a.hidden))
        else:
            state = tuple(s.detach() for s in state)
        out, state = lstm(nn.functional.one_hot(X.T, V).float(), state)
        y = Y.T.reshape(-1)
        loss = nn.functional.cross_entropy(linear(out.reshape(-1, a.hidden)), y)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        total += loss.item() * y.numel()
        count += y.numel()
    history.append(math.exp(total / count))
print(json.dumps({"perplexity": history, "seconds": time.perf_counter() - t0, "tokens": len(corpus), "vocab": V,
                  "torch": torch.__version__}))
