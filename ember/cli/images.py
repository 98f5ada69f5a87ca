"""Images for the command line: the built-in datasets, image folders, files to predict.

Everything is read once into one uint8 array of shape (N, C, H, W); ``to_float`` then does
what ``ToTensor`` does per sample (divide by 255), for the whole array at once, which is
what makes an epoch over a TensorDataset cheap.
"""
import os

import numpy as np

from . import CLIError

BUILTIN = ("digits", "mnist", "fashion-mnist", "cifar10")


def _as_nchw(data):
    """A dataset's ``.data`` (tensor or array; (N, H, W) gray or (N, H, W, C) colour) -> NCHW."""
    arr = data.numpy() if hasattr(data, "numpy") else np.asarray(data)
    return arr[:, None] if arr.ndim == 3 else arr.transpose(0, 3, 1, 2)


def load_builtin(name, root):
    """(train images, train labels, test images, test labels, class names) of a built-in set."""
    from ..vision import datasets
    cls = {"digits": datasets.Digits, "mnist": datasets.MNIST, "fashion-mnist": datasets.FashionMNIST,
           "cifar10": datasets.CIFAR10}[name]
    try:
        train, test = cls(root, train=True), cls(root, train=False)
    except RuntimeError:
        raise CLIError(f"the {name} files are not under --root {root} (download them with "
                       f"ember.vision.datasets.{cls.__name__}('{root}', download=True))") from None
    return (_as_nchw(train.data), np.asarray(train.targets, dtype=np.int64), _as_nchw(test.data),
            np.asarray(test.targets, dtype=np.int64), list(train.classes))


def read_images(paths, mode, size):
    """The image files ``paths`` as one (N, C, H, W) uint8 array: converted to Pillow ``mode``
    ('L' or 'RGB') and resized to ``size`` = (H, W) bilinearly where they differ."""
    from PIL import Image
    out = []
    for path in paths:
        try:
            with Image.open(path) as img:
                img = img.convert(mode)
                if img.size != (size[1], size[0]):
                    img = img.resize((size[1], size[0]), Image.BILINEAR)
                out.append(np.asarray(img, dtype=np.uint8))
        except OSError:
            raise CLIError(f"cannot read image {path}") from None
    arr = np.stack(out)
    return arr[:, None] if arr.ndim == 3 else arr.transpose(0, 3, 1, 2)


def _mode_and_size(path, image_size):
    """Gray ('L') if the first image is single-channel, else RGB; its size unless one is given."""
    from PIL import Image
    with Image.open(path) as img:
        mode = "L" if img.mode in ("1", "L", "I", "F", "I;16") else "RGB"
        size = (image_size, image_size) if image_size else (img.size[1], img.size[0])
    return mode, size


def load_folder(root, image_size):
    """(images, labels, class names, {'mode', 'size'}) of an ImageFolder tree root/<class>/<file>."""
    from ..vision.datasets import ImageFolder
    try:
        folder = ImageFolder(root)
    except FileNotFoundError as e:
        raise CLIError(str(e)) from None
    if not folder.samples:
        raise CLIError(f"no images under {root}")
    paths = [p for p, _ in folder.samples]
    mode, size = _mode_and_size(paths[0], image_size)
    labels = np.array([c for _, c in folder.samples], dtype=np.int64)
    return read_images(paths, mode, size), labels, list(folder.classes), {"mode": mode, "size": list(size)}


def images_to_predict(path, image):
    """(file paths, NCHW uint8 array) for a single image file or every image below a folder,
    read the way the run's training images were (``image`` = {'mode', 'size'})."""
    from ..vision.datasets.folder import is_image_file
    if os.path.isdir(path):
        paths = sorted(os.path.join(d, f) for d, _, files in os.walk(path) for f in files if is_image_file(f))
        if not paths:
            raise CLIError(f"no images under {path}")
    else:
        paths = [path]
    return paths, read_images(paths, image["mode"], image["size"])


def to_float(images, dtype):
    """uint8 images -> floats in [0, 1], as ``transforms.ToTensor`` makes them."""
    return images.astype(dtype) / dtype(255)
