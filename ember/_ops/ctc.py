"""Connectionist temporal classification (CTC) loss, as PyTorch's ``ctc_loss`` computes it.

CTC scores a label sequence l (length L) against per-frame class log-probabilities lp[t, c]
(t < T) without knowing where each label sits in time. An *alignment* is one class per frame;
collapsing it (merge repeats, then drop blanks) must give l. The loss is -log p(l | x), with
p the sum over all alignments of the product of their per-frame probabilities. The sum is
computed by dynamic programming over the *extended* label sequence

    l' = (blank, l_1, blank, l_2, ..., blank, l_L, blank)        (length 2L + 1),

in log space, so that long sequences do not underflow. The forward variables

    alpha_t(s) = log of the total probability of the prefixes of alignments that are in
                 state s of l' at frame t, including frame t's own probability,

obey alpha_0(0) = lp[0, blank], alpha_0(1) = lp[0, l_1], alpha_0(s>1) = -inf and

    alpha_t(s) = lp[t, l'_s] + logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1), alpha_{t-1}(s-2)),

where the (s-2) term (jumping over a blank) is allowed only when l'_s != l'_{s-2}: between
two equal labels the blank is mandatory, or they would merge. An alignment must end on the
last label or the final blank, so log p = logsumexp(alpha_{T-1}(2L), alpha_{T-1}(2L-1)).
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function

_NEG_INF = -np.inf
_REDUCTION_ENUM = ("none", "mean", "sum")  # torch.ctc_loss takes the reduction as this int
_WHERE = "(while checking arguments for ctc_loss_allocate_outputs)"


def _shift(a, k, fill=_NEG_INF):
    """``a`` moved k places right (k > 0) or left (k < 0) along its last axis, padded with -inf."""
    out = np.full_like(a, fill)
    if k > 0:
        out[..., k:] = a[..., :-k]
    else:
        out[..., :k] = a[..., -k:]
    return out


def _logsumexp3(a, b, c):
    # logaddexp keeps -inf + -inf = -inf without warnings, as the recursions need
    return np.logaddexp(np.logaddexp(a, b), c)


def _extended_labels(targets, target_lengths, blank, n_classes):
    """l' for every sample, padded with blanks to the longest: (N, 2 max L + 1), and where
    the blank-skipping transition s-2 -> s is allowed."""
    n = len(target_lengths)
    longest = int(target_lengths.max()) if n else 0
    pos = np.arange(longest)
    valid = pos < target_lengths[:, None]
    if targets.ndim == 1:  # concatenated: sample b's labels start after those of samples < b
        starts = np.cumsum(target_lengths) - target_lengths
        labels = targets[np.where(valid, starts[:, None] + pos, 0)] if targets.size else \
            np.zeros((n, longest), np.int64)
    else:  # padded (N, S): only the first target_lengths[b] entries of row b count
        labels = targets[:, :longest]
    labels = np.where(valid, labels, blank)
    bad = labels[valid & ((labels < 0) | (labels >= n_classes))]
    if bad.size:  # PyTorch reads past the row here; a clear error is kinder
        raise IndexError(f"ctc_loss: target {bad[0]} is out of bounds for {n_classes} classes.")
    ext = np.full((n, 2 * longest + 1), blank, np.int64)
    ext[:, 1::2] = labels
    skip = ext != _shift(ext, 2, fill=-1)  # l'_s != l'_{s-2}
    skip[:, :2] = False  # states 0 and 1 have no s-2 to come from
    return ext, skip


class CtcLoss(Function):
    """Per-sample loss_b = -log p(l_b | x_b) by the forward (alpha) recursion of the module
    docstring, vectorised over the batch (a Python loop runs over the frames only).

    The gradient comes from the backward variables beta_t(s): the log probability of the
    suffixes of alignments from state s at frame t to a valid end at frame T_b - 1, again
    including frame t's probability (so a product alpha_t(s) beta_t(s) counts lp[t, l'_s]
    twice). Every complete alignment through (t, s) contributes alpha_t(s) beta_t(s) /
    exp(lp[t, l'_s]), so summing over the states s whose class l'_s is k gives the
    probability mass of the alignments that emit k at frame t, and

        d(-log p)/d lp[t, k] = -(1/p) sum_{s: l'_s = k} alpha_t(s) beta_t(s) / exp(lp[t, k])
                             = -gamma_t(k)        (the posterior occupancy of class k at t).

    PyTorch's kernel does not return this but  exp(lp[t, k]) - gamma_t(k): it assumes the
    log_probs came from a log_softmax and adds a term that log_softmax's backward removes
    again (the backward maps g to g - softmax * sum(g); with sum_k exp(lp[t, k]) = 1 the
    extra exp(lp) is in its null space). So the chain log_softmax -> ctc_loss gets the
    exact gradient softmax - gamma, and ember returns PyTorch's numbers, extra term and all.
    Frames t >= T_b get zero gradient; a sample whose loss is infinite (no alignment fits)
    gets NaN, or zero with ``zero_infinity``.
    """

    _backward_name = "CtcLossBackward0"

    @staticmethod
    def forward(ctx, log_probs, targets, input_lengths, target_lengths, blank, zero_infinity):
        lp = log_probs._data
        ext, skip = _extended_labels(targets, target_lengths, blank, lp.shape[2])
        n = lp.shape[1]
        # lp at each extended state: lpe[t, b, s] = lp[t, b, l'_s]
        lpe = np.take_along_axis(lp, np.broadcast_to(ext, (lp.shape[0],) + ext.shape), axis=2)
        alpha = np.full(lpe.shape, _NEG_INF, lp.dtype)
        if lp.shape[0]:
            alpha[0, :, 0] = lpe[0, :, 0]
            if ext.shape[1] > 1:
                alpha[0, :, 1] = np.where(target_lengths > 0, lpe[0, :, 1], _NEG_INF)
        for t in range(1, lp.shape[0]):
            prev = alpha[t - 1]
            jump = np.where(skip, _shift(prev, 2), _NEG_INF)
            alpha[t] = _logsumexp3(prev, _shift(prev, 1), jump) + lpe[t]
        rows = np.arange(n)
        last = alpha[np.maximum(input_lengths - 1, 0), rows]  # alpha at each sample's last frame
        end = last[rows, 2 * target_lengths]
        before = np.where(target_lengths > 0, last[rows, np.maximum(2 * target_lengths - 1, 0)], _NEG_INF)
        log_p = np.logaddexp(end, before)
        # no frames: the empty sequence has probability 1, any other 0
        log_p = np.where(input_lengths == 0, np.where(target_lengths == 0, 0.0, _NEG_INF), log_p)
        nll = (-log_p).astype(lp.dtype)
        ctx.save_for_backward(log_probs)
        ctx.meta = (ext, skip, lpe, alpha, nll, input_lengths, target_lengths, zero_infinity)
        return nll

    @staticmethod
    def backward(ctx, grad):
        log_probs, = ctx.saved_tensors
        return CtcLossBackward.apply(grad, log_probs, ctx.meta), None, None, None, None, None


def _log_beta(lpe, skip, input_lengths, target_lengths):
    """The backward recursion, frames T_b - 1 down to 0:
    beta_{T_b-1}(2L) = lp[T_b-1, blank], beta_{T_b-1}(2L-1) = lp[T_b-1, l_L], and
    beta_t(s) = lp[t, l'_s] + logsumexp(beta_{t+1}(s), beta_{t+1}(s+1), beta_{t+1}(s+2)),
    the (s+2) term allowed when l'_{s+2} != l'_s; -inf at frames t >= T_b."""
    n_frames, n, width = lpe.shape
    beta = np.full(lpe.shape, _NEG_INF, lpe.dtype)
    rows = np.arange(n)
    skip_ahead = _shift(skip, -2, fill=False)  # may s jump to s+2?
    ends = 2 * target_lengths
    start = np.full((n, width), _NEG_INF, lpe.dtype)
    nxt = np.full((n, width), _NEG_INF, lpe.dtype)
    for t in range(n_frames - 1, -1, -1):
        jump = np.where(skip_ahead, _shift(nxt, -2), _NEG_INF)
        rec = _logsumexp3(nxt, _shift(nxt, -1), jump) + lpe[t]
        start.fill(_NEG_INF)
        start[rows, ends] = lpe[t, rows, ends]
        has_label = target_lengths > 0
        start[rows[has_label], ends[has_label] - 1] = lpe[t, rows[has_label], ends[has_label] - 1]
        first = (input_lengths - 1 == t)[:, None]
        inside = (t < input_lengths - 1)[:, None]
        beta[t] = np.where(first, start, np.where(inside, rec, _NEG_INF))
        nxt = beta[t]
    return beta


class CtcLossBackward(Function):
    """The gradient of ``CtcLoss`` (PyTorch's ``_ctc_loss_backward``):
    grad[t, b, k] = (exp(lp[t, b, k]) - gamma_t(k)) * grad_out[b] for t < T_b, 0 after.

    gamma_t(k) = sum_{s: l'_s = k} exp(alpha_t(s) + beta_t(s) - lp[t, k] + loss_b), which is
    PyTorch's exp(log(sum alpha beta) + nll - lp) with the sum taken after the exponential:
    the terms are occupancies in [0, 1], so nothing overflows. PyTorch defines no derivative
    of this function; neither does ember, and its backward raises as PyTorch's does.
    """

    _backward_name = "CtcLossBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, log_probs, meta):
        ext, skip, lpe, alpha, nll, input_lengths, target_lengths, zero_infinity = meta
        lp = log_probs._data
        n_frames, n, n_classes = lp.shape
        beta = _log_beta(lpe, skip, input_lengths, target_lengths)
        infinite = np.isinf(nll)
        occupancy = np.exp(alpha + beta - lpe + np.where(infinite, 0, nll)[None, :, None])
        # PyTorch's kernel seeds the last frame's two end states with plain assignments,
        # assuming the last label differs from the blank; a target that contains the blank
        # class (a user error) then loses the final blank state's share. Matched here.
        rows = np.arange(n)
        last_label = ext[rows, np.maximum(2 * target_lengths - 1, 0)]
        clash = (target_lengths > 0) & (input_lengths > 0) & (last_label == ext[rows, 0])
        occupancy[input_lengths[clash] - 1, rows[clash], 2 * target_lengths[clash]] = 0
        # scatter-add each state's occupancy into its class: one bincount over flat indices
        flat = (np.arange(n_frames)[:, None, None] * n + np.arange(n)[None, :, None]) * n_classes + ext[None]
        gamma = np.bincount(flat.ravel(), weights=occupancy.ravel(), minlength=lp.size).reshape(lp.shape)
        out = (np.exp(lp) - gamma.astype(lp.dtype)) * grad._data.astype(lp.dtype)[None, :, None]
        # no alignment: the kernel's exp(-inf + inf) is NaN; zero_infinity zeroes the sample
        out[:, infinite, :] = 0 if zero_infinity else np.nan
        out[np.arange(n_frames)[:, None] >= input_lengths[None, :]] = 0
        return out.astype(lp.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError("the derivative for '_ctc_loss_backward' is not implemented.")


def _lengths(name, value):
    """Lengths as an int64 vector, from an integer tensor (any shape) or a tuple/list of ints."""
    if isinstance(value, Tensor):
        if value._data.dtype.kind not in "iu":
            raise RuntimeError(f"{name} must be integral")
        return value._data.reshape(-1).astype(np.int64)
    return np.array(value, dtype=np.int64).reshape(-1)


def _bad_overload(args):
    def word(a):
        return "Tensor" if isinstance(a, Tensor) else type(a).__name__
    sig = "Tensor log_probs, Tensor targets, {0} input_lengths, {0} target_lengths, int blank = 0, " \
          "int reduction = at::Reduction::Mean, bool zero_infinity = False"
    return TypeError(f"ctc_loss() received an invalid combination of arguments - got "
                     f"({', '.join(word(a) for a in args)}), but expected one of:\n"
                     f" * ({sig.format('tuple of ints')})\n * ({sig.format('Tensor')})\n")


def _is_int_sequence(value):
    return isinstance(value, (tuple, list)) and all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)


def _check(lp, targets, il, tl, blank):
    """PyTorch's argument checks, in its order and with its messages."""
    if lp.dtype.kind != "f" or lp.dtype == np.float16:
        raise NotImplementedError(f"\"ctc_loss_cpu\" not implemented for '{_dtype.type_word(lp.dtype)}'")
    if lp.size == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    if lp.ndim != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {lp.ndim}-dimensional tensor for argument #1 "
                           f"'log_probs' {_WHERE}")
    n, n_classes = lp.shape[1], lp.shape[2]
    if not 0 <= blank < n_classes:
        raise RuntimeError("blank must be in label range")
    if il.size != n:
        raise RuntimeError("input_lengths must be of size batch_size")
    if tl.size != n:
        raise RuntimeError("target_lengths must be of size batch_size")
    if targets.ndim not in (1, 2):
        raise RuntimeError(f"Expected 1 to 2 dimensions, but got {targets.ndim}-dimensional tensor for argument #2 "
                           f"'targets' {_WHERE}")
    if (tl < 0).any():
        raise RuntimeError(f"Expected target_lengths to have value at least 0, but got value {tl[tl < 0][0]} {_WHERE}")
    size_check = "Expected tensor to have size {} at dimension 0, but got size {} for argument #2 'targets' " + _WHERE
    if targets.ndim == 1:
        if targets.shape[0] != tl.sum():
            raise RuntimeError(size_check.format(tl.sum(), targets.shape[0]))
    else:
        if targets.shape[0] != n:
            raise RuntimeError(size_check.format(n, targets.shape[0]))
        longest = tl.max() if n else 0
        if targets.shape[1] < longest:
            raise RuntimeError(f"Expected tensor to have size at least {longest} at dimension 1, but got size "
                               f"{targets.shape[1]} for argument #2 'targets' {_WHERE}")
    if (il < 0).any():
        raise RuntimeError(f"Expected input_lengths to have value at least 0, but got value {il[il < 0][0]} {_WHERE}")
    if (il > lp.shape[0]).any():
        raise RuntimeError(f"Expected input_lengths to have value at most {lp.shape[0]}, but got value "
                           f"{il[il > lp.shape[0]][0]} {_WHERE}")


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """The CTC loss of ``log_probs`` (T, N, C), or (T, C) for one sequence, against
    ``targets``: padded (N, S) or all samples' labels concatenated (sum(target_lengths),).
    ``reduction`` is 'none', 'mean' (each loss divided by its target length, at least 1,
    then averaged over the batch), 'sum', or the int code ``torch.ctc_loss`` takes.
    ``zero_infinity`` replaces the infinite loss of an impossible alignment by zero."""
    from .masking import where
    if isinstance(reduction, (int, np.integer)) and not isinstance(reduction, bool):
        reduction = _REDUCTION_ENUM[reduction]
    args = (log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity)
    both_tensors = isinstance(input_lengths, Tensor) and isinstance(target_lengths, Tensor)
    if not both_tensors and not (_is_int_sequence(input_lengths) and _is_int_sequence(target_lengths)):
        raise _bad_overload(args[:4] + (blank, 0, zero_infinity))
    il, tl = _lengths("input_lengths", input_lengths), _lengths("target_lengths", target_lengths)
    batched = log_probs.dim() == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    tg = targets._data.astype(np.int64, copy=False)
    _check(lp._data, tg, il, tl, blank)
    res = CtcLoss.apply(lp, tg, il, tl, blank, zero_infinity)
    if zero_infinity:
        res = where(res == float("inf"), 0.0, res)
    if reduction == "mean":
        res = (res / Tensor._make(np.maximum(tl, 1).astype(lp._data.dtype))).mean()
    elif reduction == "sum":
        res = res.sum()
    return res if batched else res.squeeze(0)


__all__ = ["ctc_loss"]
