"""Seed 004's noisy linear regression, fitted with autograd and a hand-written SGD update.

1000 points x ~ U(-10, 10), targets y = 2x + 3 + N(0, 1) noise; the model is y_hat = w x + b.
Each step computes the mean squared error on a batch, lets autograd find dL/dw and dL/db,
and moves the parameters against the gradient by hand (what ``optim.SGD`` does for you).

Run it with ``make demo`` (or ``python examples/linear_regression.py --epochs 50``). It is
ordinary PyTorch code: swap the import for ``import torch`` and it runs on PyTorch.
"""
import argparse

import ember as torch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num-data", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=0.0002)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    x = torch.Tensor(args.num_data, 1).uniform_(-10, 10)        # init.uniform_(torch.Tensor(1000, 1), -10, 10)
    noise = torch.FloatTensor(args.num_data, 1).normal_(std=1)  # init.normal_(torch.FloatTensor(1000, 1), std=1)
    y = 2 * x + 3 + noise

    w = torch.zeros(1, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    losses = []
    for epoch in range(args.epochs):
        order = torch.randperm(args.num_data)
        for start in range(0, args.num_data, args.batch_size):
            idx = order[start:start + args.batch_size]
            pred = x[idx] @ w + b
            loss = ((pred - y[idx]) ** 2).mean()
            loss.backward()
            with torch.no_grad():             # the update itself must not be recorded
                w -= args.lr * w.grad
                b -= args.lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
        losses.append(loss.item())
        if epoch % max(args.epochs // 10, 1) == 0 or epoch == args.epochs - 1:
            print(f"epoch {epoch:4d}  loss {loss.item():10.4f}")
    print(f"fitted line: y = {w.item():.4f} x + {b.item():.4f}   (true line: y = 2 x + 3)")
    return w.item(), b.item(), losses


if __name__ == "__main__":
    main()
