"""Saving and loading models, as the beginner tutorial and the checkpoint recipe teach it:
state_dict files, load_state_dict + eval(), a whole training checkpoint (epoch, model,
optimizer, loss) and resuming from it, and pickling the whole model object.
Plain PyTorch; runs unchanged on ember through ``python -m ember run``.
Writes its files in the current directory."""
import pickle

import torch
import torch.nn.functional as F
from torch import nn, optim

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.bn = nn.BatchNorm2d(4)
        self.fc1 = nn.Linear(4 * 12 * 12, 32)
        self.drop = nn.Dropout(0.25)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.bn(self.conv1(x))))
        x = torch.flatten(x, 1)
        x = self.drop(F.relu(self.fc1(x)))
        return self.fc2(x)


X = torch.rand(96, 1, 28, 28)
y = (X[:, 0, :14].mean((1, 2)) * 40).long() % 10


def train_steps(model, optimizer, steps, start):
    model.train()
    for i in range(start, start + steps):
        xb, yb = X[i % 3 * 32:(i % 3 + 1) * 32], y[i % 3 * 32:(i % 3 + 1) * 32]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        print(f"step {i}: loss {loss.item():.6f}")
    return loss


model = Net()
optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
print("state_dict of the model:")
for name, tensor in model.state_dict().items():
    print(f"  {name:<22} {tuple(tensor.size())} {tensor.dtype}")
print("state_dict of the optimizer (before a step):", optimizer.state_dict())
loss = train_steps(model, optimizer, 4, 0)
state = optimizer.state_dict()
print("optimizer state keys:", sorted(state["state"].keys()), "per-parameter:",
      sorted(state["state"][0].keys()))
print("param_groups:", state["param_groups"])

# --- weights only: save the state_dict, load it into a fresh model ------------------------
torch.save(model.state_dict(), "model_weights.pth")
fresh = Net()
model.eval()
fresh.eval()
with torch.no_grad():
    print("fresh model gives other outputs:", not torch.equal(fresh(X[:8]), model(X[:8])))
print(fresh.load_state_dict(torch.load("model_weights.pth", map_location=torch.device("cpu"), weights_only=True)))
fresh.eval()  # dropout off, batch norm on its running statistics
with torch.no_grad():
    out = fresh(X[:8])
    print("loaded model gives the same outputs:", torch.equal(out, model(X[:8])))
    print("predictions:", out.argmax(1).tolist())
    print("logits[0]:", out[0])
print("running_mean:", fresh.bn.running_mean)
print("num_batches_tracked:", fresh.bn.num_batches_tracked.item())

# strict=False reports what did not match
partial = {k: v for k, v in model.state_dict().items() if not k.startswith("fc2")}
partial["extra.weight"] = torch.zeros(1)
result = Net().load_state_dict(partial, strict=False)
print("missing:", result.missing_keys, "unexpected:", result.unexpected_keys)
try:
    Net().load_state_dict(partial)
except RuntimeError as e:
    print("strict load fails:", str(e).splitlines()[0])

# --- a general checkpoint: resume training exactly where it stopped -----------------------
EPOCH = 4
torch.save({
    "epoch": EPOCH,
    "model_state_dict": model.state_dict(),
    "optimizer_state_dict": optimizer.state_dict(),
    "loss": loss,
}, "checkpoint.pt")

# continuing the original run ...
rng_state = torch.get_rng_state()
continued = [l.item() for l in [train_steps(model, optimizer, 3, EPOCH)]]
after_original = model.fc2.weight.detach().clone()

# ... and a resumed run from the checkpoint must agree with it
model2 = Net()
optimizer2 = optim.SGD(model2.parameters(), lr=0.05, momentum=0.9)
torch.set_rng_state(rng_state)  # dropout draws the same masks as the continued run
checkpoint = torch.load("checkpoint.pt", weights_only=True)
model2.load_state_dict(checkpoint["model_state_dict"])
optimizer2.load_state_dict(checkpoint["optimizer_state_dict"])
epoch = checkpoint["epoch"]
print(f"resuming after step {epoch - 1}, saved loss {checkpoint['loss'].item():.6f}",
      "requires_grad" if checkpoint["loss"].requires_grad else "detached")
model2.train()
train_steps(model2, optimizer2, 3, epoch)
print("resumed run matches the continued one:",
      torch.allclose(model2.fc2.weight, after_original, rtol=1e-5, atol=1e-7))
print("momentum buffer restored:", torch.is_tensor(optimizer2.state_dict()["state"][0]["momentum_buffer"]))

# --- the whole model, pickled with its class -----------------------------------------------
torch.save(model, "model.pth")
whole = torch.load("model.pth", weights_only=False)
whole.eval()
model.eval()
print(type(whole).__name__, "training:", whole.training)
print(whole)
with torch.no_grad():
    print("whole-model load gives the same outputs:", torch.equal(whole(X[:8]), model(X[:8])))
try:
    torch.load("model.pth", weights_only=True)
except Exception as e:  # pickle.UnpicklingError
    print("weights_only=True refuses a pickled module:", type(e).__name__,
          isinstance(e, pickle.UnpicklingError))

# --- several models and tensors in one file -----------------------------------------------
torch.save({"a": model.state_dict(), "b": model2.state_dict(), "t": torch.arange(6).view(2, 3)},
           "many.pt")
many = torch.load("many.pt", weights_only=True)
print("keys:", list(many), "t:", many["t"], many["t"].dtype)
