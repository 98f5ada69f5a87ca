"""``Digits``: a small handwritten-digit dataset that needs no download.

scikit-learn ships the UCI "optical recognition of handwritten digits" test set: 1,797
images of 8x8 pixels with values 0..16. This dataset serves it with MNIST's API (PIL 'L'
images, int labels, ``.data``/``.targets`` tensors, MNIST's ``classes``), upscaled to 28x28
so that networks written for MNIST run on it unchanged. It is for examples and smoke tests
that must run anywhere; train on MNIST for real results."""
import numpy as np

from ..._tensor import Tensor
from .mnist import MNIST
from .vision import VisionDataset

N_TRAIN = 1500  # the first 1,500 images are the training split, the remaining 297 the test split


def _bilinear_matrix(n_out, n_in):
    """The (n_out, n_in) matrix that resizes a 1-d signal bilinearly with half-pixel centres
    (output pixel i sits at input coordinate (i + 0.5) * n_in / n_out - 0.5, and takes the two
    nearest inputs weighted by closeness; coordinates past the edge are clamped)."""
    x = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    lo = np.floor(x).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    w = np.zeros((n_out, n_in))
    np.add.at(w, (np.arange(n_out), lo), 1 - (x - lo))
    np.add.at(w, (np.arange(n_out), hi), x - lo)
    return w


def _load(upscale):
    try:
        from sklearn.datasets import load_digits
    except ImportError as e:
        raise ImportError("Digits reads the digits that scikit-learn ships: pip install scikit-learn") from e
    bunch = load_digits()
    images = bunch.images * (255.0 / 16.0)  # 0..16 -> 0..255
    w = _bilinear_matrix(upscale, images.shape[1])
    # A 2-d bilinear resize is the 1-d one along rows, then along columns: W @ img @ W^T.
    images = np.einsum("ij,njk,lk->nil", w, images, w)
    return np.clip(np.rint(images), 0, 255).astype(np.uint8), bunch.target.astype(np.int64)


class Digits(VisionDataset):
    """scikit-learn's 8x8 digits as an MNIST-like dataset (no download, no files).

    Args:
        root: unused (the data comes with scikit-learn); kept for MNIST's signature.
        train: the first 1,500 images (True) or the last 297.
        transform, target_transform: applied to the PIL image / the int label.
        upscale: side of the returned square images (bilinear); 8 keeps the originals.
    """

    classes = MNIST.classes

    def __init__(self, root=None, train=True, transform=None, target_transform=None, upscale=28):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        images, labels = _load(upscale)
        part = slice(None, N_TRAIN) if train else slice(N_TRAIN, None)
        self.data, self.targets = Tensor._make(images[part].copy()), Tensor._make(labels[part].copy())

    __getitem__ = MNIST.__getitem__
    __len__ = MNIST.__len__
    class_to_idx = MNIST.class_to_idx
    extra_repr = MNIST.extra_repr
