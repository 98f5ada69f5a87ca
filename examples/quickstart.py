"""PyTorch's Quickstart tutorial (seed 002) on handwritten digits that need no download.

This is plain PyTorch code. Run it on PyTorch with ``python examples/quickstart.py``, or
unchanged on ember with ``python -m ember run examples/quickstart.py``: the two print the
same losses and accuracies.

The tutorial trains on FashionMNIST; here the data are scikit-learn's 1,797 handwritten
digits, upscaled to 28x28 so that the tutorial's 784-input network is unchanged. ember
ships them as ``torchvision.datasets.Digits``; on PyTorch ``digits_data.py`` rebuilds the
same images from scikit-learn, bit for bit.
"""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader

from digits_data import digits


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()  # must come first: it creates the dicts that hold submodules
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


def train(dataloader, model, loss_fn, optimizer, device, log_every):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)

        # Compute prediction error
        pred = model(X)
        loss = loss_fn(pred, y)

        # Backpropagation: autograd computes every gradient, no backward() written by hand
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % log_every == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test(dataloader, model, loss_fn, device):
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N training images (0: all)")
    parser.add_argument("--batch-size", type=int, default=64)
    # the tutorial's lr=1e-3 suits 60,000 images; 1,500 give 40x fewer steps per epoch
    parser.add_argument("--lr", type=float, default=1e-1)
    parser.add_argument("--log-every", type=int, default=10, help="print the loss every N batches")
    parser.add_argument("--save", default="model.pth")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)  # same initial weights and shuffles on PyTorch and ember

    training_data = digits(train=True, limit=args.limit)
    test_data = digits(train=False)
    train_dataloader = DataLoader(training_data, batch_size=args.batch_size, shuffle=True)
    test_dataloader = DataLoader(test_data, batch_size=args.batch_size)

    for X, y in test_dataloader:
        print(f"Shape of X [N, C, H, W]: {X.shape}")
        print(f"Shape of y: {y.shape} {y.dtype}")
        break

    device = "cuda" if torch.cuda.is_available() else "cpu"
    print(f"Using {device} device")
    model = NeuralNetwork().to(device)
    print(model)

    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    for t in range(args.epochs):
        print(f"Epoch {t+1}\n-------------------------------")
        train(train_dataloader, model, loss_fn, optimizer, device, args.log_every)
        test(test_dataloader, model, loss_fn, device)
    print("Done!")

    torch.save(model.state_dict(), args.save)
    print(f"Saved PyTorch Model State to {args.save}")

    model = NeuralNetwork().to(device)
    print(model.load_state_dict(torch.load(args.save, weights_only=True)))

    classes = [str(d) for d in range(10)]
    model.eval()
    x, y = test_data[0][0], test_data[0][1]
    with torch.no_grad():
        x = x.to(device)
        pred = model(x.unsqueeze(0))  # a batch of one image
        predicted, actual = classes[pred[0].argmax(0)], classes[y]
        print(f'Predicted: "{predicted}", Actual: "{actual}"')


if __name__ == "__main__":
    main()
