"""Automatic differentiation with torch.autograd, as the beginner tutorial teaches it:
a one-layer logistic model, its loss, backward(), .grad, the graph's grad_fn nodes,
switching tracking off, vector-Jacobian products and a second derivative.
Plain PyTorch; runs unchanged on ember through ``python -m ember run``."""
import torch

torch.manual_seed(0)

# --- a one-layer logistic model: z = x @ w + b, loss = BCE(sigmoid(z), y) -----------------
x = torch.ones(5)          # input
y = torch.zeros(3)         # expected output
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print("w.requires_grad:", w.requires_grad, "x.requires_grad:", x.requires_grad)
print("z.requires_grad:", z.requires_grad, "z.is_leaf:", z.is_leaf, "w.is_leaf:", w.is_leaf)
print(f"loss = {loss.item():.6f}")

# the graph: each result remembers the function that made it
print("Gradient function for z =", type(z.grad_fn).__name__)
print("Gradient function for loss =", type(loss.grad_fn).__name__)


def walk(fn, depth=0):
    """Print the backward graph below ``fn`` as an indented tree."""
    if fn is None:
        print("  " * depth + "None")
        return
    print("  " * depth + type(fn).__name__)
    for child, _ in fn.next_functions:
        walk(child, depth + 1)


walk(loss.grad_fn)

print("before backward: w.grad is", w.grad)
loss.backward()
print("w.grad =\n", w.grad)
print("b.grad =", b.grad)
# by hand: d loss / dz = (sigmoid(z) - y) / 3, and x is all ones
manual = (torch.sigmoid(z.detach()) - y) / 3
print("b.grad matches the formula:", torch.allclose(b.grad, manual))
print("w.grad rows all equal b.grad:", torch.allclose(w.grad, manual.expand(5, 3)))

# --- switching gradient tracking off -----------------------------------------------------
z = torch.matmul(x, w) + b
print("tracked:", z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print("under no_grad:", z.requires_grad)
z = torch.matmul(x, w) + b
z_det = z.detach()
print("detached:", z_det.requires_grad, "grad_fn:", z_det.grad_fn)
frozen = torch.randn(5, 3).requires_grad_(False)
print("frozen leaf:", frozen.requires_grad, frozen.is_leaf)

# --- vector-Jacobian products: backward(gradient=v) on a non-scalar output ----------------
inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad}")
v = torch.linspace(-1, 1, 20).reshape(5, 4)
inp.grad = None
out.backward(v)
print("J^T v with a weighted v:\n", inp.grad)
try:
    out.backward(v)
except RuntimeError as e:
    print("backward a second time without retain_graph raises RuntimeError:",
          "retain_graph" in str(e))
try:
    out2 = (inp * 2).sum(0)
    out2.backward()
except RuntimeError as e:
    print("non-scalar output needs a gradient:", str(e))

# --- torch.autograd.grad and second derivatives -------------------------------------------
t = torch.linspace(-2.0, 2.0, 6, requires_grad=True)
f = (t ** 3 - 2 * t).sin().sum()
(df,) = torch.autograd.grad(f, t, create_graph=True)
print("df/dt =", df)
print("df requires grad:", df.requires_grad, "is_leaf:", df.is_leaf)
(d2f,) = torch.autograd.grad(df.sum(), t)
print("d2f/dt2 =", d2f)
# check the first derivative by hand: cos(t^3 - 2t) * (3t^2 - 2)
with torch.no_grad():
    print("matches by hand:", torch.allclose(df, torch.cos(t ** 3 - 2 * t) * (3 * t ** 2 - 2), atol=1e-6))

# gradient of a gradient, on a single scalar
s = torch.tensor(1.5, requires_grad=True)
g = s ** 4
(g1,) = torch.autograd.grad(g, s, create_graph=True)
g1.backward()
print(f"g = s^4 at s=1.5: g' = {g1.item():.4f}, g'' (in s.grad) = {s.grad.item():.4f}")

# gradients flow only into leaves that ask for them; retain_grad keeps an intermediate's
a = torch.tensor([2.0, 3.0], requires_grad=True)
h = a * a
h.retain_grad()
(h.sum() * 3).backward()
print("a.grad =", a.grad, "h.grad =", h.grad)

# other switches and hooks
with torch.set_grad_enabled(False):
    print("set_grad_enabled(False):", (a * 2).requires_grad, torch.is_grad_enabled())
with torch.inference_mode():
    print("inference_mode:", (a * 2).requires_grad)


@torch.no_grad()
def triple(u):
    return u * 3


print("no_grad as a decorator:", triple(a).requires_grad)
seen = []
handle = a.register_hook(lambda grad: seen.append(grad.clone()) or grad * 2)
a.grad = None
(a ** 2).sum().backward()
handle.remove()
print("the hook saw", seen[0], "and doubled it into a.grad =", a.grad)
u, unused = torch.tensor(2.0, requires_grad=True), torch.tensor(3.0, requires_grad=True)
print("allow_unused:", torch.autograd.grad(u * 5, [u, unused], allow_unused=True))
try:
    torch.autograd.grad(u * 5, [u, unused])
except RuntimeError as e:
    print("without allow_unused:", e)
