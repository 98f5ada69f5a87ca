"""A small CNN on handwritten digits: Conv2d, BatchNorm2d, MaxPool2d, Dropout2d (seeds 000, 004).

Plain PyTorch code, the workflow of seed 000: hyperparameters from argparse, a network with
batch normalisation and dropout switchable, SGD with momentum, an LR schedule, a train loop
that keeps the per-epoch losses, a test loop under ``no_grad``, and a checkpoint dict saved
and loaded back. Run it on PyTorch (``python examples/cnn_digits.py``) or unchanged on
ember (``python -m ember run examples/cnn_digits.py``).

The data are scikit-learn's digits upscaled to 28x28 (``digits_data.py``).
"""
import argparse

import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.utils.data import DataLoader

from digits_data import digits


class ConvNet(nn.Module):
    def __init__(self, channels=16, batch_norm=True, dropout=0.25):
        super().__init__()
        c1, c2 = channels, 2 * channels
        # bias is redundant before batch norm (its beta shifts the same way)
        self.conv1 = nn.Conv2d(1, c1, kernel_size=3, padding=1, bias=not batch_norm)
        self.bn1 = nn.BatchNorm2d(c1) if batch_norm else nn.Identity()
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=3, padding=1, bias=not batch_norm)
        self.bn2 = nn.BatchNorm2d(c2) if batch_norm else nn.Identity()
        self.pool = nn.MaxPool2d(2)
        # Dropout2d zeroes whole feature maps: neighbouring pixels of a map are correlated,
        # so dropping single pixels would barely regularise
        self.drop = nn.Dropout2d(dropout)
        self.fc = nn.Linear(c2 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))  # 28x28 -> 14x14
        x = self.pool(F.relu(self.bn2(self.conv2(x))))  # 14x14 -> 7x7
        x = self.drop(x)
        return self.fc(torch.flatten(x, 1))


def train_one_epoch(model, loader, loss_fn, optimizer, device):
    model.train()  # batch norm uses batch statistics, dropout is on
    total = 0.0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(images)
    return total / len(loader.dataset)


def evaluate(model, loader, loss_fn, device):
    model.eval()  # batch norm uses its running statistics, dropout is off
    loss, correct = 0.0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            out = model(images)
            loss += loss_fn(out, labels).item() * len(images)
            correct += (out.argmax(1) == labels).sum().item()
    return loss / len(loader.dataset), correct / len(loader.dataset)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N training images (0: all)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--channels", type=int, default=16)
    parser.add_argument("--no-batch-norm", dest="batch_norm", action="store_false")
    parser.add_argument("--dropout", type=float, default=0.25)
    parser.add_argument("--checkpoint", default="cnn_digits.pt")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)  # same weights, shuffles and dropout masks on PyTorch and ember
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")

    mean, std = 0.25, 0.35  # roughly the digits' pixel statistics, so inputs are about N(0, 1)
    train_loader = DataLoader(digits(True, args.limit, mean, std), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(digits(False, mean=mean, std=std), batch_size=128)
    model = ConvNet(args.channels, args.batch_norm, args.dropout).to(device)
    print(model)
    print("parameters:", sum(p.numel() for p in model.parameters() if p.requires_grad))

    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    scheduler = optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)
    train_losses, test_losses = [], []
    for epoch in range(args.epochs):
        train_loss = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        test_loss, accuracy = evaluate(model, test_loader, loss_fn, device)
        scheduler.step()
        train_losses.append(train_loss)
        test_losses.append(test_loss)
        print(f"epoch {epoch + 1}: lr {scheduler.get_last_lr()[0]:.6f}  train loss {train_loss:.6f}  "
              f"test loss {test_loss:.6f}  test accuracy {100 * accuracy:.1f}%")

    # a checkpoint that can resume training: weights, optimizer state (momentum buffers), epoch
    torch.save({"epoch": args.epochs, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "train_losses": train_losses}, args.checkpoint)
    checkpoint = torch.load(args.checkpoint, weights_only=True)
    restored = ConvNet(args.channels, args.batch_norm, args.dropout).to(device)
    print(restored.load_state_dict(checkpoint["model_state_dict"], strict=True))
    optimizer = optim.SGD(restored.parameters(), lr=args.lr, momentum=0.9)
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    _, restored_accuracy = evaluate(restored, test_loader, loss_fn, device)
    print(f"restored at epoch {checkpoint['epoch']}: test accuracy {100 * restored_accuracy:.1f}%")


if __name__ == "__main__":
    main()
