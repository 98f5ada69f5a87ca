"""MNIST and its look-alikes, read from the original IDX files.

The IDX format ("SN3 Pascal Vincent"): a 4-byte magic number whose third byte is the
element type and fourth the number of dimensions, then each dimension as a big-endian
32-bit integer, then the elements, big-endian. The files sit in ``root/<ClassName>/raw/``
exactly where torchvision puts them, either as downloaded (``.gz``) or unpacked."""
import gzip
import os
import shutil
import string

import numpy as np

from ..._tensor import Tensor
from .utils import check_integrity, download_and_extract_archive, extract_archive, verify_str_arg
from .vision import VisionDataset

_IDX_TYPES = {8: np.uint8, 9: np.int8, 11: np.int16, 12: np.int32, 13: np.float32, 14: np.float64}


def _open(path):
    """``path`` itself, or its ``.gz`` version if only that one exists."""
    if not os.path.isfile(path) and os.path.isfile(path + ".gz"):
        return gzip.open(path + ".gz", "rb")
    return open(path, "rb")


def read_sn3_pascalvincent_tensor(path, strict=True):
    """Read an IDX file (or its ``.gz``) into a tensor of the file's own element type."""
    with _open(path) as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    nd, ty = magic % 256, magic // 256
    if not 1 <= nd <= 3 or ty not in _IDX_TYPES:
        raise RuntimeError(f"{path} is not an IDX file (magic number {magic:#010x})")
    shape = [int.from_bytes(data[4 * (i + 1):4 * (i + 2)], "big") for i in range(nd)]
    parsed = np.frombuffer(data, dtype=np.dtype(_IDX_TYPES[ty]).newbyteorder(">"), offset=4 * (nd + 1))
    if strict and parsed.size != np.prod(shape):
        raise RuntimeError(f"{path} holds {parsed.size} elements, its header says {shape}")
    return Tensor._make(parsed.astype(_IDX_TYPES[ty]).reshape(shape))


def _read(path, ndim):
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x._data.dtype != np.uint8:
        raise TypeError(f"x should be of dtype torch.uint8 instead of {x.dtype}")
    if x.dim() != ndim:
        raise ValueError(f"x should have {ndim} dimension{'s' if ndim > 1 else ''} instead of {x.dim()}")
    return x


def read_label_file(path):
    """An IDX file of uint8 labels -> int64 tensor."""
    return _read(path, 1).long()


def read_image_file(path):
    """An IDX file of uint8 images -> (N, H, W) uint8 tensor."""
    return _read(path, 3)


class MNIST(VisionDataset):
    """`MNIST <http://yann.lecun.com/exdb/mnist/>`_: 60,000 training and 10,000 test
    grayscale 28x28 digits. ``dataset[i]`` is ``(PIL image in mode 'L', int label)``;
    ``.data`` is the (N, 28, 28) uint8 tensor and ``.targets`` the int64 labels.

    Args:
        root: folder holding ``MNIST/raw/train-images-idx3-ubyte`` (or ``.gz``) etc.
        train: the training set (True) or the test set.
        transform, target_transform: applied to the image / the label.
        download: fetch the files from the mirrors first if they are missing.
    """

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_exists():
            raise RuntimeError("Dataset not found. You can use download=True to download it")
        self.data, self.targets = self._load_data()

    def _load_data(self):
        prefix = "train" if self.train else "t10k"
        return (read_image_file(os.path.join(self.raw_folder, f"{prefix}-images-idx3-ubyte")),
                read_label_file(os.path.join(self.raw_folder, f"{prefix}-labels-idx1-ubyte")))

    def __getitem__(self, index):
        from PIL import Image
        img = Image.fromarray(self.data.numpy()[index])  # a 2-d uint8 array becomes a mode 'L' image
        return self._apply(img, int(self.targets.numpy()[index]))

    def __len__(self):
        return len(self.data)

    @property
    def raw_folder(self):
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def processed_folder(self):
        return os.path.join(self.root, self.__class__.__name__, "processed")

    @property
    def class_to_idx(self):
        return {_class: i for i, _class in enumerate(self.classes)}

    def _check_exists(self):
        return all(self._raw_exists(os.path.join(self.raw_folder, name[:-3])) for name, _ in self.resources)

    @staticmethod
    def _raw_exists(path):
        return check_integrity(path) or check_integrity(path + ".gz")

    def download(self):
        """Fetch each missing file from the first mirror that answers, check its MD5, unpack it."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, md5 in self.resources:
            errors = []
            for mirror in self.mirrors:
                try:
                    download_and_extract_archive(mirror + filename, self.raw_folder, filename=filename, md5=md5)
                    break
                except RuntimeError as e:
                    errors.append(f"Tried {mirror}, got:\n{e}")
            else:
                raise RuntimeError(f"Error downloading {filename}:\n" + "\n".join(errors))

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"


class FashionMNIST(MNIST):
    """`Fashion-MNIST <https://github.com/zalandoresearch/fashion-mnist>`_: 28x28 grayscale
    clothing images in 10 classes, laid out exactly like MNIST (``root/FashionMNIST/raw``)."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]


class KMNIST(MNIST):
    """`Kuzushiji-MNIST <https://github.com/rois-codh/kmnist>`_: 28x28 cursive Japanese
    characters in 10 classes, laid out exactly like MNIST (``root/KMNIST/raw``)."""

    mirrors = ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7"),
        ("train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344"),
        ("t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7"),
        ("t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134"),
    ]
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


class EMNIST(MNIST):
    """`EMNIST <https://www.nist.gov/itl/products-and-services/emnist-dataset>`_: handwritten
    digits and letters. ``split`` is one of ``byclass``, ``bymerge``, ``balanced``,
    ``letters``, ``digits``, ``mnist``; the files are
    ``root/EMNIST/raw/emnist-<split>-<train|test>-<images-idx3|labels-idx1>-ubyte``.
    (As in the official files, the images are stored transposed.)"""

    url = "https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"
    md5 = "58c8d27c78d21e728a6bc7b3cc06412e"
    splits = ("byclass", "bymerge", "balanced", "letters", "digits", "mnist")
    # In the merged splits, letters whose upper and lower case look alike share one class.
    _merged_classes = {"c", "i", "j", "k", "l", "m", "o", "p", "s", "u", "v", "w", "x", "y", "z"}
    _all_classes = set(string.digits + string.ascii_letters)
    classes_split_dict = {
        "byclass": sorted(_all_classes),
        "bymerge": sorted(_all_classes - _merged_classes),
        "balanced": sorted(_all_classes - _merged_classes),
        "letters": ["N/A"] + list(string.ascii_lowercase),
        "digits": list(string.digits),
        "mnist": list(string.digits),
    }

    def __init__(self, root, split, **kwargs):
        self.split = verify_str_arg(split, "split", self.splits)
        super().__init__(root, **kwargs)
        self.classes = self.classes_split_dict[self.split]

    @property
    def _file_prefix(self):
        return f"emnist-{self.split}-{'train' if self.train else 'test'}"

    @property
    def images_file(self):
        return os.path.join(self.raw_folder, f"{self._file_prefix}-images-idx3-ubyte")

    @property
    def labels_file(self):
        return os.path.join(self.raw_folder, f"{self._file_prefix}-labels-idx1-ubyte")

    def _load_data(self):
        return read_image_file(self.images_file), read_label_file(self.labels_file)

    def _check_exists(self):
        return all(self._raw_exists(f) for f in (self.images_file, self.labels_file))

    def download(self):
        """Fetch the one zip of all splits, then unpack every ``.gz`` inside it into ``raw``."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        download_and_extract_archive(self.url, self.raw_folder, md5=self.md5)
        gzip_folder = os.path.join(self.raw_folder, "gzip")
        for name in os.listdir(gzip_folder):
            if name.endswith(".gz"):
                extract_archive(os.path.join(gzip_folder, name), self.raw_folder)
        shutil.rmtree(gzip_folder)
