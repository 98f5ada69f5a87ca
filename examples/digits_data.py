"""The digit examples' data: scikit-learn's 1,797 handwritten digits, upscaled to 28x28 so
that networks written for MNIST run on them unchanged. Nothing to download.

ember ships them as ``torchvision.datasets.Digits``; torchvision does not, so on PyTorch the
same images are rebuilt here from scikit-learn, bit for bit (the same bilinear resize, the
same float64 sums, the same rounding to uint8), which lets an example print the same numbers
on both.
"""
import numpy as np
import torch
from torch.utils.data import Subset, TensorDataset
from torchvision import datasets, transforms

N_TRAIN = 1500  # the first 1,500 digits train, the last 297 test (the split Digits uses)


def resize_matrix(n_out, n_in):
    """The matrix that resizes a 1-d signal bilinearly with half-pixel centres (what
    ``F.interpolate(mode="bilinear", align_corners=False)`` does, clamped at the edges)."""
    src = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    lo = np.floor(src).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    w = np.zeros((n_out, n_in))
    w[np.arange(n_out), lo] += 1 - (src - lo)
    w[np.arange(n_out), hi] += src - lo
    return w


def digits_fallback(train, mean=0.0, std=1.0):
    """The Digits split as a TensorDataset of ToTensor-then-Normalize images, for torchvision."""
    from sklearn.datasets import load_digits
    bunch = load_digits()
    w = resize_matrix(28, 8)
    # resize rows then columns (W @ img @ W^T) in one einsum, pixel values 0..16 -> 0..255,
    # rounded to uint8 like a stored image; the einsum keeps the float64 sums identical to
    # ember's Digits, so the rounding lands the same way
    images = np.einsum("ij,njk,lk->nil", w, bunch.images * (255.0 / 16.0), w)
    images = np.clip(np.rint(images), 0, 255).astype(np.uint8)
    part = slice(None, N_TRAIN) if train else slice(N_TRAIN, None)
    x = torch.from_numpy(images[part].copy()).unsqueeze(1).float().div(255)  # what ToTensor does
    return TensorDataset((x - mean) / std, torch.from_numpy(bunch.target[part].astype(np.int64)))


def digits(train, limit=0, mean=0.0, std=1.0):
    """(1, 28, 28) float images ((pixel / 255 - mean) / std) with int labels; the first
    ``limit`` samples only when ``limit`` is given."""
    if hasattr(datasets, "Digits"):  # ember's torchvision
        tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((mean,), (std,))])
        data = datasets.Digits(root="data", train=train, transform=tf)
    else:
        data = digits_fallback(train, mean, std)
    return Subset(data, range(min(limit, len(data)))) if limit else data
