"""How tensors print: ``repr``/``str`` exactly as PyTorch formats them."""
import numpy as np


def tensor_repr(t):
    body = np.array2string(t._data, separator=", ", prefix="tensor(")
    extras = []
    if t._data.dtype not in (np.float32, np.int64, np.bool_):
        extras.append(f"dtype={t.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    return "tensor(" + body + "".join(", " + e for e in extras) + ")"
def set_printoptions(**kw): pass
