"""Packed sequences: a batch of variable-length sequences stored without padding.

``pack_padded_sequence`` sorts the sequences by length (longest first) and stores, time step
by time step, only the rows still running: ``data`` is (sum of lengths, *) and
``batch_sizes[t]`` says how many sequences are alive at step t. Recurrent layers read it step
by step; ``pad_packed_sequence`` undoes it.
"""
from collections import namedtuple

import numpy as np

import ember
from ..._tensor import Tensor


class PackedSequence(namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """``(data, batch_sizes, sorted_indices, unsorted_indices)`` as PyTorch holds them."""

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = _invert(sorted_indices)
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        return type(self)(self.data.to(*args, **kwargs), self.batch_sizes, self.sorted_indices,
                          self.unsorted_indices)

    @property
    def is_cuda(self):
        return False

    def is_pinned(self):
        return False


def _invert(perm):
    inv = np.empty_like(perm._data)
    inv[perm._data] = np.arange(perm._data.size)
    return Tensor._make(inv)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded (T, B, *) (or (B, T, *)) batch given each sequence's length."""
    if isinstance(lengths, Tensor):
        if lengths.dim() != 1:
            raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.dim()}D cpu "
                               "Long tensor")
        lengths = lengths.tolist()
    lengths = np.asarray(lengths, dtype=np.int64).reshape(-1)
    if enforce_sorted:
        sorted_idx = None
        order = np.arange(len(lengths))
    else:
        order = np.argsort(-lengths, kind="stable")
        sorted_idx = Tensor._make(order.astype(np.int64))
    if batch_first:
        input = input.transpose(0, 1)
    # PyTorch's checks, in its order (only the shortest length is checked for > 0)
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    batch = input.shape[1]
    if len(lengths) != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} "
                           f"(batch_size={batch})")
    sl = lengths[order]
    if sl[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that "
                           "is <= 0")
    if np.any(np.diff(sl) > 0):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                           "You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                           "pack_sequence to sidestep this requirement if you do not need ONNX exportability.")
    batch_sizes = np.array([(sl > t).sum() for t in range(int(sl[0]))], dtype=np.int64)
    pieces = [input[t].index_select(0, Tensor._make(order[:b].astype(np.int64))) for t, b in enumerate(batch_sizes)]
    data = ember.cat(pieces, 0)
    return PackedSequence(data, Tensor._make(batch_sizes), sorted_idx, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Unpack to a padded (T, B, *) tensor (or (B, T, *)) and the lengths."""
    data, batch_sizes = sequence.data, sequence.batch_sizes._data
    t_max = len(batch_sizes)
    if total_length is not None:
        if total_length < t_max:
            raise ValueError(f"Expected total_length to be at least the length of the longest sequence in input, "
                             f"but got total_length={total_length} and max sequence length being {t_max}")
    T = total_length or t_max
    b = int(batch_sizes[0])
    steps, start = [], 0
    for t in range(T):
        n = int(batch_sizes[t]) if t < t_max else 0
        step = data[start:start + n]
        if n < b:
            pad = ember.full((b - n,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype)
            step = ember.cat([step, pad], 0)
        steps.append(step)
        start += n
    out = ember.stack(steps, 0)
    lengths = np.array([(batch_sizes > i).sum() for i in range(b)], dtype=np.int64)
    if sequence.unsorted_indices is not None:
        out = out.index_select(1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices._data]
    if batch_first:
        out = out.transpose(0, 1)
    return out, Tensor._make(lengths)


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack variable-length (L_i, *) tensors into (max L, B, *), padding with ``padding_value``.
    The trailing dims are the first sequence's; the others are broadcast to them, as PyTorch
    copies each one into its slot."""
    if isinstance(sequences, Tensor):
        sequences = sequences.unbind(0)
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    max_len = max(s.shape[0] for s in sequences)
    trailing = tuple(sequences[0].shape[1:])
    padded = []
    for s in sequences:
        if tuple(s.shape[1:]) != trailing:
            _check_copy(trailing, tuple(s.shape[1:]))
            s = s.expand(s.shape[0], *trailing)
        extra = max_len - s.shape[0]
        if extra:
            pad = ember.full((extra,) + trailing, padding_value, dtype=s.dtype)
            s = ember.cat([s, pad] if padding_side == "right" else [pad, s], 0)
        padded.append(s)
    return ember.stack(padded, 0 if batch_first else 1)


def _check_copy(slot, got):
    """PyTorch's broadcasting error when a sequence's trailing dims do not fit the slot."""
    n = max(len(slot), len(got))
    a, b = (1,) * (n - len(slot)) + slot, (1,) * (n - len(got)) + got
    for d in range(n - 1, -1, -1):
        if a[d] != b[d] and b[d] != 1:
            raise RuntimeError(f"The size of tensor a ({a[d]}) must match the size of tensor b ({b[d]}) at "
                               f"non-singleton dimension {d + 1}")


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of variable-length tensors (longest first unless ``enforce_sorted=False``)."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [padded_sequences[i, :int(n)] for i, n in enumerate(lengths.tolist())]


def unpack_sequence(packed_sequences):
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
