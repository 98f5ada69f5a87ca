"""Helpers shared by the distributions: broadcasting parameters, probs <-> logits, lazy
attributes."""

import numbers

import ember
import ember.nn.functional as F


def broadcast_all(*values):
    """Broadcast numbers and tensors to one shape; numbers become tensors of the first tensor's
    dtype (or the default dtype when all are numbers)."""
    if not all(isinstance(v, (ember.Tensor, numbers.Number)) for v in values):
        raise ValueError("Input arguments must all be instances of numbers.Number, torch.Tensor or objects "
                         "implementing __torch_function__.")
    if not all(isinstance(v, ember.Tensor) for v in values):
        ref = next((v for v in values if isinstance(v, ember.Tensor)), None)
        dtype = ref.dtype if ref is not None else ember.get_default_dtype()
        values = [v if isinstance(v, ember.Tensor) else ember.tensor(v, dtype=dtype) for v in values]
    return ember.broadcast_tensors(*values)


def clamp_probs(probs):
    """Clamp to [eps, 1 - eps] so that log(p) and log(1 - p) stay finite."""
    eps = ember.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary=False):
    """log p (categorical), or the log-odds log p - log(1 - p) (binary)."""
    ps_clamped = clamp_probs(probs)
    if is_binary:
        return ember.log(ps_clamped) - ember.log1p(-ps_clamped)
    return ember.log(ps_clamped)


def logits_to_probs(logits, is_binary=False):
    """sigmoid(logits) (binary) or softmax over the last dim (categorical)."""
    if is_binary:
        return ember.sigmoid(logits)
    return F.softmax(logits, dim=-1)


class lazy_property:
    """Computed on first access, then stored in the instance ``__dict__`` (so it shows up in
    the repr and in argument validation from then on, as in PyTorch)."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        self.__doc__ = wrapped.__doc__

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with ember.enable_grad():  # keep the graph to the parameters even under no_grad
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value
