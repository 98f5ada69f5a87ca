"""A convolutional autoencoder on handwritten digits: Conv2d down, ConvTranspose2d up (seed 004).

Plain PyTorch code: run it on PyTorch (``python examples/autoencoder.py``) or unchanged on
ember (``python -m ember run examples/autoencoder.py``).

The encoder squeezes a 28x28 digit through strided convolutions into a small code; the
decoder's transposed convolutions (the gradient of a strided convolution, run forwards)
grow it back to 28x28. The target is the input itself, the loss MSE: what the code keeps is
whatever the decoder needs to redraw the digit. The data are scikit-learn's digits upscaled
to 28x28 (``digits_data.py``).
"""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader

from digits_data import digits


class AutoEncoder(nn.Module):
    def __init__(self, code_channels=8):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1),  # 28 -> 14
            nn.ReLU(),
            nn.Conv2d(16, code_channels, 3, stride=2, padding=1),  # 14 -> 7
            nn.ReLU(),
        )
        self.decoder = nn.Sequential(
            # output_padding=1 picks 14 (not 13) among the sizes a stride-2 conv maps to 7
            nn.ConvTranspose2d(code_channels, 16, 3, stride=2, padding=1, output_padding=1),  # 7 -> 14
            nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1),  # 14 -> 28
            nn.Sigmoid(),  # pixels are in [0, 1]
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N training images (0: all)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--code-channels", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)  # same initial weights and shuffles on PyTorch and ember

    train_loader = DataLoader(digits(True, args.limit), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(digits(False), batch_size=100)
    model = AutoEncoder(args.code_channels)
    print(model)
    images, _ = next(iter(test_loader))
    print(f"input {tuple(images.shape)} -> code {tuple(model.encoder(images).shape)} -> "
          f"output {tuple(model(images).shape)}")

    loss_fn = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for images, _ in train_loader:  # the labels are not used: the image is its own target
            optimizer.zero_grad()
            loss = loss_fn(model(images), images)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(images)
        model.eval()
        with torch.no_grad():
            test = sum(loss_fn(model(x), x).item() * len(x) for x, _ in test_loader) / len(test_loader.dataset)
        print(f"epoch {epoch + 1}: train MSE {total / len(train_loader.dataset):.6f}  test MSE {test:.6f}")

    # show one test digit and its reconstruction as text (dark = ' ', bright = '#')
    with torch.no_grad():
        x = next(iter(test_loader))[0][:1]
        y = model(x)
    shades = " .:-=+*#"
    for a, b in zip(x[0, 0, ::2, ::2].tolist(), y[0, 0, ::2, ::2].tolist()):
        row = lambda r: "".join(shades[min(int(v * len(shades)), len(shades) - 1)] for v in r)  # noqa: E731
        print(row(a), " | ", row(b))


if __name__ == "__main__":
    main()
