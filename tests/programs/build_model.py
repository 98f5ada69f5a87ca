"""Building a neural network with torch.nn, as the beginner tutorial does: a Module subclass,
its printout and parameters, a prediction through Softmax/argmax, and a walk through the
layers one at a time on a minibatch of three 28x28 images.
Plain PyTorch; runs unchanged on ember through ``python -m ember run``."""
import torch
from torch import nn

torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"Using {device} device")


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


model = NeuralNetwork().to(device)
print(model)

# --- one prediction: logits -> probabilities -> class -------------------------------------
X = torch.rand(1, 28, 28, device=device)
logits = model(X)
print("logits:", logits)
pred_probab = nn.Softmax(dim=1)(logits)
print("probabilities sum to", f"{pred_probab.sum().item():.4f}")
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred}")

# --- the layers one by one on a minibatch of three images ---------------------------------
input_image = torch.rand(3, 28, 28)
print(input_image.size())

flatten = nn.Flatten()
flat_image = flatten(input_image)
print(flat_image.size())

layer1 = nn.Linear(in_features=28 * 28, out_features=20)
hidden1 = layer1(flat_image)
print(hidden1.size())

print(f"Before ReLU: {hidden1}\n\n")
hidden1 = nn.ReLU()(hidden1)
print(f"After ReLU: {hidden1}")
print("negatives left after ReLU:", (hidden1 < 0).sum().item())

seq_modules = nn.Sequential(
    flatten,
    layer1,
    nn.ReLU(),
    nn.Linear(20, 10),
)
logits = seq_modules(input_image)
print(seq_modules)
softmax = nn.Softmax(dim=1)
pred_probab = softmax(logits)
print("softmax rows:", pred_probab)
print("row sums (rounded):", pred_probab.sum(dim=1).round(decimals=4))
print("argmax per image:", pred_probab.argmax(dim=1))

# --- the model's parameters ---------------------------------------------------------------
print(f"Model structure: {model}\n\n")
for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n")
total = sum(p.numel() for p in model.parameters())
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"{total} parameters, {trainable} trainable")
print("children:", [type(m).__name__ for m in model.children()])
print("modules:", [name for name, _ in model.named_modules()])
print("state_dict keys:", list(model.state_dict().keys()))
print("first layer:", model.linear_relu_stack[0])
print("weight dtype / device:", model.linear_relu_stack[0].weight.dtype,
      model.linear_relu_stack[0].weight.device)
