"""Optimizing a model's parameters, as the beginner tutorial teaches it: hyperparameters,
a loss function, an optimizer, and the train / test loops, on a small synthetic
"clothing" dataset of 28x28 images made with torch ops (no download).
Plain PyTorch; runs unchanged on ember through ``python -m ember run``."""
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)

# --- hyperparameters ----------------------------------------------------------------------
learning_rate = 5e-2
batch_size = 64
epochs = 3


class SyntheticClothes(Dataset):
    """``n`` noisy images of ten fixed 28x28 patterns; the label is the pattern's index."""
    classes = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    def __init__(self, patterns, n):
        self.labels = torch.randint(0, 10, (n,))
        noise = torch.rand(n, 1, 28, 28)
        self.images = 0.35 * patterns[self.labels].unsqueeze(1) + 0.65 * noise

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        return self.images[idx], self.labels[idx]


patterns = (torch.rand(10, 28, 28) > 0.5).float()
training_data = SyntheticClothes(patterns, 512)
test_data = SyntheticClothes(patterns, 192)
train_dataloader = DataLoader(training_data, batch_size=batch_size, shuffle=True)
test_dataloader = DataLoader(test_data, batch_size=batch_size)
print(f"{len(training_data)} training and {len(test_data)} test images")
img, label = training_data[0]
print(f"first image: {tuple(img.shape)}, label {label.item()} ({SyntheticClothes.classes[label]})")
print(f"pixel range [{img.min().item():.4f}, {img.max().item():.4f}]")


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
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


model = NeuralNetwork()

# --- loss and optimizer -------------------------------------------------------------------
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
print(loss_fn)
print(optimizer)


def train_loop(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    # training mode matters for batch norm and dropout; set it as good practice
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        pred = model(X)
        loss = loss_fn(pred, y)

        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % 2 == 0:
            loss, current = loss.item(), batch * batch_size + len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test_loop(dataloader, model, loss_fn):
    model.eval()
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    test_loss, correct = 0, 0
    # no gradients are needed to evaluate
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()

    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")
    return correct


for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train_loop(train_dataloader, model, loss_fn, optimizer)
    accuracy = test_loop(test_dataloader, model, loss_fn)
print("Done!")
print(f"final accuracy above chance: {accuracy > 0.2}")
print("gradients cleared after the last step:", all(p.grad is None for p in model.parameters()))
