"""``SVHN``: Street View House Numbers, from the official MATLAB ``.mat`` files."""
import os

import numpy as np

from .utils import check_integrity, download_url, verify_str_arg
from .vision import VisionDataset


class SVHN(VisionDataset):
    """`SVHN <http://ufldl.stanford.edu/housenumbers/>`_: 32x32 colour crops of house-number
    digits. ``split`` is ``train``, ``test`` or ``extra``; the file ``root/<split>_32x32.mat``
    is read with ``scipy.io.loadmat`` (scipy is needed only for this dataset). The files label
    the digit 0 as 10; here it is 0, so the labels are 0..9 like every other dataset.
    ``.data`` is the (N, 3, 32, 32) uint8 NumPy array, ``.labels`` the int64 NumPy labels."""

    split_list = {
        "train": ["http://ufldl.stanford.edu/housenumbers/train_32x32.mat", "train_32x32.mat",
                  "e26dedcc434d2e4c54c9b2d4a06d8373"],
        "test": ["http://ufldl.stanford.edu/housenumbers/test_32x32.mat", "test_32x32.mat",
                 "eb5a983be6a315427106f1b164d9cef3"],
        "extra": ["http://ufldl.stanford.edu/housenumbers/extra_32x32.mat", "extra_32x32.mat",
                  "a93ce644f1a588dc4d68dda5feec44a7"],
    }

    def __init__(self, root, split="train", transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.split = verify_str_arg(split, "split", tuple(self.split_list))
        self.url, self.filename, self.file_md5 = self.split_list[split]
        if download:
            self.download()
        if not self._check_integrity():
            raise RuntimeError("Dataset not found or corrupted. You can use download=True to download it")
        try:
            import scipy.io
        except ImportError as e:
            raise ImportError("SVHN reads MATLAB .mat files with scipy.io.loadmat, and scipy is not installed: "
                              "pip install scipy") from e
        loaded = scipy.io.loadmat(os.path.join(self.root, self.filename))
        self.labels = loaded["y"].astype(np.int64).squeeze()
        np.place(self.labels, self.labels == 10, 0)
        self.data = np.transpose(loaded["X"], (3, 2, 0, 1))  # (H, W, C, N) -> (N, C, H, W)

    def __getitem__(self, index):
        from PIL import Image
        return self._apply(Image.fromarray(np.transpose(self.data[index], (1, 2, 0))), int(self.labels[index]))

    def __len__(self):
        return len(self.data)

    def _check_integrity(self):
        return check_integrity(os.path.join(self.root, self.filename), self.split_list[self.split][2])

    def download(self):
        download_url(self.url, self.root, self.filename, self.split_list[self.split][2])

    def extra_repr(self):
        return f"Split: {self.split}"
