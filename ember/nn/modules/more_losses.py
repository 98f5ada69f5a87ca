"""More loss modules: multi-class and multi-label margins, the triplet loss with any distance,
the deprecated ``NLLLoss2d`` and the adaptive softmax. Like ``loss.py``: hold the options, call ``nn.functional``."""
import warnings
from collections import namedtuple

import numpy as np

import ember
from .. import functional as F
from .container import ModuleList, Sequential
from .linear import Linear
from .loss import _Loss, _WeightedLoss, NLLLoss, PairwiseDistance
from .module import Module


class MultiMarginLoss(_WeightedLoss):
    """sum_{i != y} w[y] max(0, margin - x[y] + x[i])^p / C (p = 1 or 2)."""

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.dim()}D instead")
        self.p, self.margin = p, margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                   reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """sum over (target j, non-target i) pairs of max(0, 1 - (x[j] - x[i])) / C."""

    def forward(self, input, target):
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """max(d(a, p) - d(a, n) + margin, 0) with a user-supplied distance d (default: PairwiseDistance)."""

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        super().__init__(reduction=reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} "
                             f"instead")
        # a Module default so that it shows in the repr, as in PyTorch
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin, self.swap = margin, swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_with_distance_loss(anchor, positive, negative,
                                                   distance_function=self.distance_function, margin=self.margin,
                                                   swap=self.swap, reduction=self.reduction)


class NLLLoss2d(NLLLoss):
    """NLLLoss under its old name for (N, C, H, W) inputs; deprecated in PyTorch, kept as an alias."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        warnings.warn("`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a drop-in replacement and "
                      "see https://pytorch.org/docs/main/nn.html#torch.nn.NLLLoss for more details.", FutureWarning,
                      stacklevel=2)
        super().__init__(weight, size_average, ignore_index, reduce, reduction)


_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """Adaptive softmax (Grave et al., 2016): an efficient softmax over many classes sorted by
    frequency.

    The frequent classes [0, cutoffs[0]) (the shortlist) get a column each in the ``head``; each
    rarer band [cutoffs[i], cutoffs[i + 1]) is one extra head column (a cluster) and has its own
    small two-layer ``tail`` projection, narrower by div_value^(i + 1). So
    log p(c) = log softmax(head)[c] for a shortlist class, and
    log p(c) = log softmax(head)[cluster] + log softmax(tail_i)[c - cutoffs[i]] otherwise;
    each row's tail is evaluated only for the rows whose target falls in its band.
    """

    def __init__(self, in_features, n_classes, cutoffs, div_value=4.0, head_bias=False, device=None, dtype=None):
        super().__init__()
        cutoffs = list(cutoffs)
        if (len(cutoffs) == 0 or cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > n_classes - 1
                or len(set(cutoffs)) != len(cutoffs) or any(int(c) != c for c in cutoffs)):
            raise ValueError("cutoffs should be a sequence of unique, positive integers sorted in an increasing "
                             "order, where each value is between 1 and n_classes-1")
        self.in_features, self.n_classes = in_features, n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value, self.head_bias = div_value, head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        kw = dict(device=device, dtype=dtype)
        self.head = Linear(in_features, self.head_size, bias=head_bias, **kw)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hsz = int(in_features // (div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(Sequential(Linear(in_features, hsz, bias=False, **kw),
                                        Linear(hsz, osz, bias=False, **kw)))

    def reset_parameters(self):
        self.head.reset_parameters()
        for i2h, h2o in self.tail:
            i2h.reset_parameters()
            h2o.reset_parameters()

    def forward(self, input_, target_):
        """(output, loss): output[n] = log p(target[n] | input[n]); loss = mean of -output.
        (PyTorch names the arguments ``input_`` and ``target_``, as its call errors show.)"""
        input, target = input_, target_
        batched = input.dim() == 2
        if input.dim() not in (1, 2):
            raise RuntimeError("1D target tensor expected, multi-target not supported" if input.dim() > 2 else
                               "0D or 1D target tensor expected, multi-target not supported")
        if not batched:
            input, target = input.unsqueeze(0), target.unsqueeze(0)
        if input.shape[0] != target.shape[0]:
            raise RuntimeError("Input and target should have the same size in the batch dimension.")
        t = target.detach().numpy().astype(np.int64)
        n = t.shape[0]
        bounds = [0] + self.cutoffs
        head_column = np.empty(n, np.int64)  # which head log-prob each row adds: its class or its cluster
        pieces, rows_seen = [], []
        for i, (low, high) in enumerate(zip(bounds[:-1], bounds[1:])):
            rows = np.nonzero((t >= low) & (t < high))[0]
            if rows.size == 0:
                continue
            if i == 0:
                head_column[rows] = t[rows]
                continue
            head_column[rows] = self.shortlist_size + i - 1
            idx = ember.tensor(rows)
            local = F.log_softmax(self.tail[i - 1](input.index_select(0, idx)), dim=1)
            pieces.append(local.gather(1, ember.tensor(t[rows] - low).unsqueeze(1)).squeeze(1))
            rows_seen.append(rows)
        in_range = (t >= 0) & (t < self.n_classes)
        if not in_range.all():
            raise RuntimeError(f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                               f"[{t.min()}, {t.max()}] were found. ")
        head_logprob = F.log_softmax(self.head(input), dim=1)
        output = head_logprob.gather(1, ember.tensor(head_column).unsqueeze(1)).squeeze(1)
        if pieces:
            # the tail terms, put back in row order (rows in the shortlist add 0)
            shortlist_rows = np.setdiff1d(np.arange(n), np.concatenate(rows_seen))
            order = np.concatenate(rows_seen + [shortlist_rows])
            tail_terms = ember.cat(pieces + [ember.zeros(shortlist_rows.size, dtype=output.dtype)])
            output = output + tail_terms[ember.tensor(np.argsort(order))]
        loss = (-output).mean()
        if not batched:
            output = output.squeeze(0)
        return _ASMoutput(output, loss)

    def _get_full_log_prob(self, input, head_output):
        head_logprob = F.log_softmax(head_output, dim=1)
        parts = [head_logprob[:, :self.shortlist_size]]
        for i in range(self.n_clusters):
            cluster_logprob = F.log_softmax(self.tail[i](input), dim=1)
            parts.append(cluster_logprob + head_logprob[:, self.shortlist_size + i].unsqueeze(1))
        return ember.cat(parts, dim=1)

    def log_prob(self, input):
        """log p(c | input) for every class c: (N, n_classes), or (n_classes,) for one sample."""
        batched = input.dim() == 2
        x = input if batched else input.unsqueeze(0)
        out = self._get_full_log_prob(x, self.head(x))
        return out if batched else out.squeeze(0)

    def predict(self, input):
        """The most likely class (argmax of log_prob)."""
        return self.log_prob(input).argmax(dim=-1)
