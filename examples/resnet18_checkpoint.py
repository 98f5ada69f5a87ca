"""Build torchvision's ResNet-18, save its weights, load them into a fresh model, fine-tune (seed 004).

Plain PyTorch code: run it on PyTorch (``python examples/resnet18_checkpoint.py``) or
unchanged on ember (``python -m ember run examples/resnet18_checkpoint.py``). The file it
writes is PyTorch's checkpoint format on both, so either can read the other's.

Steps: ``models.resnet18(num_classes=10)`` with random weights; a look inside it (children,
how many Conv2d layers, the body without its classifier as a feature extractor); its
``state_dict`` saved with ``torch.save``; a second model, built from a different seed, given
those weights with ``load_state_dict`` and checked to compute exactly the same outputs; then
a few SGD steps on ``FakeData`` (random images, random labels) with the classifier replaced
and the body frozen, the usual fine-tuning recipe.
"""
import argparse
import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1, help="passes over the fake data when fine-tuning")
    parser.add_argument("--limit", type=int, default=16, help="number of fake images")
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--checkpoint", help="where to save the weights (default: a temporary file)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)  # the same random weights on PyTorch and ember

    model = models.resnet18(num_classes=10)
    print("top-level children:", [name for name, _ in model.named_children()])
    print("Conv2d layers:", sum(isinstance(m, nn.Conv2d) for m in model.modules()))
    print("parameters:", sum(p.numel() for p in model.parameters()))

    fake = datasets.FakeData(size=args.limit, image_size=(3, args.image_size, args.image_size), num_classes=10,
                             transform=transforms.ToTensor())
    images, labels = next(iter(DataLoader(fake, batch_size=args.batch_size)))
    print(f"batch {tuple(images.shape)} {images.dtype}, labels {labels.tolist()}")

    # everything but the final fc layer: a feature extractor giving 512 numbers per image
    body = nn.Sequential(*list(model.children())[:-1])
    model.eval()  # batch norm with its running statistics: outputs do not depend on the batch
    with torch.no_grad():
        features = body(images)
        logits = model(images)
    print(f"features {tuple(features.shape)}, logits {tuple(logits.shape)}")
    print(f"logits[0]: {[round(v, 4) for v in logits[0].tolist()]}")

    tmp = tempfile.TemporaryDirectory()
    path = args.checkpoint or os.path.join(tmp.name, "resnet18.pth")
    torch.save(model.state_dict(), path)
    # (the file's size differs by a few KiB between the two: the pickle and zip records are
    # laid out differently, the tensor bytes are the same)
    print(f"saved {len(model.state_dict())} tensors, {os.path.getsize(path) // 2**20} MiB")

    torch.manual_seed(args.seed + 1)  # a fresh model with different random weights...
    fresh = models.resnet18(num_classes=10)
    fresh.eval()
    with torch.no_grad():
        print("fresh model differs:", not torch.equal(fresh(images), logits))
        print(fresh.load_state_dict(torch.load(path, weights_only=True)))  # ...given the saved ones
        print("loaded model computes the same logits:", torch.equal(fresh(images), logits))

    # fine-tune: freeze the body, train a new classifier head
    for p in fresh.parameters():
        p.requires_grad = False
    fresh.fc = nn.Linear(fresh.fc.in_features, 10)  # new layers require grad by default
    trainable = [p for p in fresh.parameters() if p.requires_grad]
    print("trainable tensors:", len(trainable), "of", len(list(fresh.parameters())))
    optimizer = torch.optim.SGD(trainable, lr=args.lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    fresh.train()
    for epoch in range(args.epochs):
        for step, (x, y) in enumerate(DataLoader(fake, batch_size=args.batch_size, shuffle=True)):
            optimizer.zero_grad()
            loss = loss_fn(fresh(x), y)
            loss.backward()
            optimizer.step()
            print(f"epoch {epoch + 1} step {step + 1}: loss {loss.item():.5f}")
    # frozen parameters kept their values; batch norm's running statistics did move (train mode)
    print("frozen conv1 unchanged:", torch.equal(fresh.conv1.weight, model.conv1.weight))
    tmp.cleanup()


if __name__ == "__main__":
    main()
