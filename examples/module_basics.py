"""Seed 003: what an nn.Module is, shown with three tiny programs.

1. ``nn.Sequential(Add(4), Add(3), Add(6))`` applied to tensor([2]) gives 15: a Sequential
   feeds each module's output to the next.
2. A Parameter is a tensor a module registers as learnable: ``torch.addmm(b, x, W)``
   computes b + x @ W.
3. ``Module.apply(fn)`` visits every submodule: here it sets every Linear weight to 1.
"""
import ember as torch
from ember import nn


class Add(nn.Module):
    def __init__(self, value):
        super().__init__()
        self.value = value

    def forward(self, x):
        return x + self.value


def main():
    model = nn.Sequential(Add(4), Add(3), Add(6))
    print(model(torch.tensor([2])))                      # tensor([15])

    W = nn.parameter.Parameter(torch.tensor([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]).t())
    b = nn.parameter.Parameter(torch.tensor([[2.0, 1.0], [2.0, 1.0]]).sum(0) * 0 + torch.tensor([2.0, 1.0]))
    x = torch.tensor([[1.0, 0.0, 1.0], [1.0, 1.0, 2.0]])
    print(torch.addmm(b, x, W).detach())

    @torch.no_grad()
    def init_weights(m):
        if type(m) == nn.Linear:
            m.weight.fill_(1.0)

    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    net.apply(init_weights)
    print(net[0].weight)


if __name__ == "__main__":
    main()
