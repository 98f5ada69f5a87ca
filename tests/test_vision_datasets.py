"""ember.vision.datasets against torchvision.datasets on small datasets written to disk in
the real formats (IDX, CIFAR pickles, SVHN .mat, image folders); downloads without a network."""
import gzip
import hashlib
import io
import os
import pickle
import shutil
import sys
import urllib.error
import urllib.request

import numpy as np
import pytest
import torch
from PIL import Image

import ember
import oracles
from ember.vision import datasets as ED

tv = oracles.torchvision()
TD = tv.datasets
rng = np.random.default_rng(0)


def as_array(x):
    if isinstance(x, (ember.Tensor, torch.Tensor)):
        return x.numpy()
    return np.asarray(x)


def assert_same_samples(e, t):
    """Same length and, for every index, the same image (mode, size, pixels) and target."""
    assert len(e) == len(t)
    for i in range(len(t)):
        (ei, et), (ti, tt) = e[i], t[i]
        assert type(ei).__name__ == type(ti).__name__
        if isinstance(ti, Image.Image):
            assert (ei.mode, ei.size) == (ti.mode, ti.size)
        np.testing.assert_array_equal(as_array(ei), as_array(ti))
        assert type(et) is type(tt) and et == tt


def assert_same_attribute(e, t):
    """A tensor attribute is a tensor of the same dtype and values; anything else is equal
    and of the same type (torchvision keeps CIFAR's data as a NumPy array, targets as a list)."""
    if isinstance(t, torch.Tensor):
        assert isinstance(e, ember.Tensor) and str(e.dtype) == str(t.dtype)
        np.testing.assert_array_equal(e.numpy(), t.numpy())
    elif isinstance(t, np.ndarray):
        assert isinstance(e, np.ndarray) and e.dtype == t.dtype
        np.testing.assert_array_equal(e, t)
    else:
        assert type(e) is type(t) and e == t


# --- MNIST family: IDX files ------------------------------------------------------------

def idx_bytes(array):
    """The IDX encoding: magic (0, 0, type 8 = uint8, ndim), big-endian dims, the bytes."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_idx(raw, stem, array, plain=True):
    """``raw/stem.gz`` as downloaded and, with ``plain``, the unpacked ``raw/stem`` too."""
    os.makedirs(raw, exist_ok=True)
    data = idx_bytes(array)
    with gzip.open(os.path.join(raw, stem + ".gz"), "wb") as f:
        f.write(data)
    if plain:
        with open(os.path.join(raw, stem), "wb") as f:
            f.write(data)


def write_mnist(root, folder, prefixes=("train", "t10k"), plain=True, n=(7, 4)):
    raw = os.path.join(root, folder, "raw")
    for prefix, count in zip(prefixes, n):
        write_idx(raw, f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (count, 28, 28)), plain)
        write_idx(raw, f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, count), plain)
    return raw


@pytest.mark.parametrize("name", ["MNIST", "FashionMNIST", "KMNIST"])
@pytest.mark.parametrize("train", [True, False])
def test_mnist_family_matches_torchvision(tmp_path, name, train):
    write_mnist(tmp_path, name)
    e = getattr(ED, name)(str(tmp_path), train=train)
    t = getattr(TD, name)(str(tmp_path), train=train)
    assert_same_samples(e, t)
    for attr in ("data", "targets", "classes", "class_to_idx", "raw_folder", "processed_folder"):
        assert_same_attribute(getattr(e, attr), getattr(t, attr))
    assert repr(e) == repr(t)


def test_mnist_reads_gzipped_files_and_applies_transforms(tmp_path):
    write_mnist(tmp_path / "both", "MNIST")
    shutil.copytree(tmp_path / "both", tmp_path / "gz")
    for f in (tmp_path / "gz" / "MNIST" / "raw").iterdir():
        if f.suffix != ".gz":
            f.unlink()
    with pytest.raises(RuntimeError):  # torchvision itself reads only the unpacked files
        TD.MNIST(str(tmp_path / "gz"))
    negate = lambda y: -y  # noqa: E731
    e = ED.MNIST(str(tmp_path / "gz"), transform=ember.vision.transforms.ToTensor(), target_transform=negate)
    t = TD.MNIST(str(tmp_path / "both"), transform=tv.transforms.ToTensor(), target_transform=negate)
    assert_same_samples(e, t)
    assert repr(e).replace(str(tmp_path / "gz"), str(tmp_path / "both")) == repr(t)


def test_emnist_matches_torchvision(tmp_path):
    write_mnist(tmp_path, "EMNIST", prefixes=("emnist-letters-train", "emnist-letters-test"))
    for train in (True, False):
        e, t = ED.EMNIST(str(tmp_path), split="letters", train=train), TD.EMNIST(str(tmp_path), "letters", train=train)
        assert_same_samples(e, t)
        assert e.classes == t.classes and e.class_to_idx == t.class_to_idx
    with pytest.raises(ValueError) as ee:
        ED.EMNIST(str(tmp_path), split="nope")
    with pytest.raises(ValueError) as te:
        TD.EMNIST(str(tmp_path), split="nope")
    assert str(ee.value) == str(te.value)


def test_missing_files_give_torchvisions_errors(tmp_path):
    for e_cls, t_cls in [(ED.MNIST, TD.MNIST), (ED.CIFAR10, TD.CIFAR10), (ED.SVHN, TD.SVHN)]:
        with pytest.raises(RuntimeError) as ee:
            e_cls(str(tmp_path))
        with pytest.raises(RuntimeError) as te:
            t_cls(str(tmp_path))
        assert str(ee.value) == str(te.value)


def test_bad_idx_files_are_refused(tmp_path):
    raw = write_mnist(tmp_path, "MNIST")
    with open(os.path.join(raw, "train-labels-idx1-ubyte"), "wb") as f:
        f.write(idx_bytes(np.zeros((3, 2), np.uint8)))  # labels must be 1-d
    with pytest.raises(ValueError, match="1 dimension"):
        ED.MNIST(str(tmp_path))
    with open(os.path.join(raw, "train-labels-idx1-ubyte"), "wb") as f:
        f.write(b"\x12\x34\x56\x78 not an idx file")
    with pytest.raises(RuntimeError, match="not an IDX file"):
        ED.MNIST(str(tmp_path))


# --- downloads --------------------------------------------------------------------------

def files_under(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def offline(monkeypatch):
    calls = []

    def urlopen(request, *args, **kwargs):
        calls.append(request.full_url)
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return calls


def test_download_without_network_fails_clearly_and_leaves_nothing(tmp_path, monkeypatch):
    calls = offline(monkeypatch)
    with pytest.raises(RuntimeError) as err:
        ED.MNIST(str(tmp_path), download=True)
    msg = str(err.value)
    target = os.path.join(str(tmp_path), "MNIST", "raw", "train-images-idx3-ubyte.gz")
    assert calls == [m + "train-images-idx3-ubyte.gz" for m in ED.MNIST.mirrors]
    for url in calls:
        assert url in msg
    assert "no connection" in msg and target in msg
    assert files_under(tmp_path) == []

    with pytest.raises(RuntimeError) as err:
        ED.CIFAR10(str(tmp_path / "c"), download=True)
    assert ED.CIFAR10.url in str(err.value) and "no connection" in str(err.value)
    assert os.path.join(str(tmp_path / "c"), "cifar-10-python.tar.gz") in str(err.value)
    assert files_under(tmp_path) == []


class FakeResponse(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.length = len(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def serve(monkeypatch, files, fail_after=None):
    """Answer urlopen with ``files[url]``; with ``fail_after`` the connection breaks after
    that many bytes."""
    def urlopen(request, *args, **kwargs):
        data = files[request.full_url]
        if fail_after is None:
            return FakeResponse(data)
        response = FakeResponse(data[:fail_after])
        read = response.read

        def broken(n=-1):
            chunk = read(n)
            if not chunk:
                raise ConnectionResetError("connection reset by peer")
            return chunk
        response.read = broken
        return response
    monkeypatch.setattr(urllib.request, "urlopen", urlopen)


def test_download_checks_md5_unpacks_and_never_leaves_partial_files(tmp_path, monkeypatch):
    source = write_mnist(tmp_path / "source", "MNIST", plain=False)
    blobs = {name: open(os.path.join(source, name), "rb").read() for name, _ in ED.MNIST.resources}
    files = {mirror + name: blob for name, blob in blobs.items() for mirror in ED.MNIST.mirrors}
    root = tmp_path / "root"

    serve(monkeypatch, files)  # the official checksums cannot match these fake files
    with pytest.raises(RuntimeError, match="md5"):
        ED.MNIST(str(root), download=True)
    assert files_under(root) == []

    good = [(name, hashlib.md5(blob).hexdigest()) for name, blob in blobs.items()]
    monkeypatch.setattr(ED.MNIST, "resources", good)
    serve(monkeypatch, files, fail_after=100)
    with pytest.raises(RuntimeError, match="connection reset"):
        ED.MNIST(str(root), download=True)
    assert files_under(root) == []

    serve(monkeypatch, files)
    e = ED.MNIST(str(root), download=True)
    names = [n for n, _ in good]
    assert files_under(root) == sorted(os.path.join("MNIST", "raw", n) for n in names + [n[:-3] for n in names])
    t = TD.MNIST(str(root))
    assert_same_samples(e, t)


# --- CIFAR ------------------------------------------------------------------------------

def write_pickle(path, obj):
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=2)


def write_cifar(root, cls, n=5):
    folder = os.path.join(root, cls.base_folder)
    os.makedirs(folder)
    ncls = 10 if cls is ED.CIFAR10 else 100
    key = "labels" if cls is ED.CIFAR10 else "fine_labels"
    for name, _ in cls.train_list + cls.test_list:
        write_pickle(os.path.join(folder, name), {"batch_label": name, key: [int(v) for v in rng.integers(0, ncls, n)],
                                                  "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                                                  "filenames": [f"img{i}.png".encode() for i in range(n)]})
    write_pickle(os.path.join(folder, cls.meta["filename"]), {cls.meta["key"]: [f"class_{i}" for i in range(ncls)]})


def without_checksums(monkeypatch, *classes):
    for cls in classes:
        monkeypatch.setattr(cls, "train_list", [[name, None] for name, _ in cls.train_list])
        monkeypatch.setattr(cls, "test_list", [[name, None] for name, _ in cls.test_list])
        monkeypatch.setattr(cls, "meta", {**cls.meta, "md5": None})


@pytest.mark.parametrize("name", ["CIFAR10", "CIFAR100"])
def test_cifar_matches_torchvision(tmp_path, monkeypatch, name):
    write_cifar(tmp_path, getattr(ED, name))
    with pytest.raises(RuntimeError, match="Dataset not found or corrupted"):
        getattr(ED, name)(str(tmp_path))  # the official checksums do not match these fake batches
    without_checksums(monkeypatch, getattr(ED, name), getattr(TD, name))
    for train in (True, False):
        e, t = getattr(ED, name)(str(tmp_path), train=train), getattr(TD, name)(str(tmp_path), train=train)
        assert_same_samples(e, t)
        for attr in ("data", "targets", "classes", "class_to_idx"):
            assert_same_attribute(getattr(e, attr), getattr(t, attr))
        assert repr(e) == repr(t)


class _Exploit:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


@pytest.mark.parametrize("payload", [_Exploit(), np.array([1, "x"], dtype=object)], ids=["os.system", "object"])
def test_malicious_cifar_pickle_is_refused(tmp_path, monkeypatch, payload):
    write_cifar(tmp_path, ED.CIFAR10)
    write_pickle(os.path.join(tmp_path, ED.CIFAR10.base_folder, "data_batch_3"),
                 {"labels": [0], "data": np.zeros((1, 3072), np.uint8), "extra": payload})
    without_checksums(monkeypatch, ED.CIFAR10)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        ED.CIFAR10(str(tmp_path))
    assert not os.path.exists(tmp_path / "pwned")


# --- SVHN -------------------------------------------------------------------------------

def test_svhn_matches_torchvision(tmp_path, monkeypatch):
    import scipy.io
    y = rng.integers(1, 11, (6, 1)).astype(np.uint8)  # the files label the digit 0 as 10
    y[0] = 10
    scipy.io.savemat(tmp_path / "test_32x32.mat", {"X": rng.integers(0, 256, (32, 32, 3, 6), dtype=np.uint8),
                                                     "y": y})
    for cls in (ED.SVHN, TD.SVHN):
        monkeypatch.setitem(cls.split_list, "test", [*cls.split_list["test"][:2], None])
    e, t = ED.SVHN(str(tmp_path), split="test"), TD.SVHN(str(tmp_path), split="test")
    assert_same_samples(e, t)
    assert_same_attribute(e.data, t.data)
    assert_same_attribute(e.labels, t.labels)
    assert e.labels[0] == 0 and repr(e) == repr(t)

    monkeypatch.setitem(sys.modules, "scipy.io", None)  # as if scipy were not installed
    with pytest.raises(ImportError, match="scipy"):
        ED.SVHN(str(tmp_path), split="test")


# --- image folders ----------------------------------------------------------------------

def make_image_tree(root):
    def png(path, mode, size):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        channels = {"L": (), "RGB": (3,), "RGBA": (4,)}[mode]
        Image.fromarray(rng.integers(0, 256, (size[1], size[0]) + channels, dtype=np.uint8), mode).save(path)
    png(root / "dog" / "b.png", "RGB", (5, 4))
    png(root / "dog" / "a.PNG", "L", (3, 3))
    png(root / "dog" / "nested" / "c.png", "RGBA", (4, 6))
    png(root / "cat" / "z.png", "RGB", (2, 7))
    (root / "cat" / "notes.txt").write_text("not an image")
    np.save(root / "cat" / "x.npy", np.arange(3))
    np.save(root / "dog" / "y.npy", np.arange(4))


def test_image_folder_matches_torchvision(tmp_path):
    make_image_tree(tmp_path)
    e, t = ED.ImageFolder(str(tmp_path)), TD.ImageFolder(str(tmp_path))
    assert_same_samples(e, t)
    for attr in ("classes", "class_to_idx", "samples", "targets", "imgs", "extensions"):
        assert getattr(e, attr) == getattr(t, attr)
    assert repr(e) == repr(t)
    only_png = lambda p: p.endswith(".png")  # noqa: E731
    e, t = ED.ImageFolder(str(tmp_path), is_valid_file=only_png), TD.ImageFolder(str(tmp_path), is_valid_file=only_png)
    assert e.samples == t.samples and len(e) == 3
    assert_same_samples(e, t)


def test_dataset_folder_with_own_loader_and_extensions(tmp_path):
    make_image_tree(tmp_path)
    e = ED.DatasetFolder(str(tmp_path), loader=np.load, extensions=(".npy",))
    t = TD.DatasetFolder(str(tmp_path), loader=np.load, extensions=(".npy",))
    assert e.samples == t.samples and e.classes == t.classes
    assert_same_samples(e, t)


def test_folder_errors_match_torchvision(tmp_path):
    cases = [lambda D: D.ImageFolder(str(tmp_path)),  # no class folders at all
             lambda D: D.DatasetFolder(str(tmp_path), loader=np.load),  # neither extensions nor is_valid_file
             lambda D: D.DatasetFolder(str(tmp_path), loader=np.load, extensions=(".x",), is_valid_file=bool)]
    (tmp_path / "empty_class").mkdir()
    for case in cases[1:] + [lambda D: D.ImageFolder(str(tmp_path))]:  # a class folder without images
        with pytest.raises(Exception) as ee:
            case(ED)
        with pytest.raises(Exception) as te:
            case(TD)
        assert type(ee.value) is type(te.value) and str(ee.value) == str(te.value)
    (tmp_path / "empty_class").rmdir()
    with pytest.raises(FileNotFoundError) as ee:
        cases[0](ED)
    with pytest.raises(FileNotFoundError) as te:
        cases[0](TD)
    assert str(ee.value) == str(te.value)
    e = ED.ImageFolder(str(tmp_path.parent), allow_empty=True)
    t = TD.ImageFolder(str(tmp_path.parent), allow_empty=True)
    assert e.classes == t.classes and e.samples == t.samples


# --- FakeData ---------------------------------------------------------------------------

@pytest.mark.parametrize("image_size", [(3, 32, 32), (1, 28, 28), (3, 224, 224)])
def test_fakedata_matches_torchvision(image_size):
    kw = dict(size=12 if image_size[1] < 100 else 2, image_size=image_size, num_classes=7, random_offset=3)
    e, t = ED.FakeData(**kw), TD.FakeData(**kw)
    ember.manual_seed(5)
    torch.manual_seed(5)
    assert len(e) == len(t)
    for i in range(len(t)):
        (ei, et), (ti, tt) = e[i], t[i]
        assert (ei.mode, ei.size) == (ti.mode, ti.size) and type(et) is int and et == tt
        # float32 normals agree to rounding (docs/random.md), so x*255 cut to uint8 may
        # land one step apart where a value sits on an integer boundary: rarely, and by one
        diff = np.abs(as_array(ei).astype(int) - as_array(ti).astype(int))
        assert diff.max() <= 1 and np.count_nonzero(diff) <= max(2, diff.size // 10000)
    np.testing.assert_array_equal(ember.rand(4).numpy(), torch.rand(4).numpy())  # the caller's stream is untouched
    assert repr(e) == repr(t)
    with pytest.raises(IndexError, match="FakeData index out of range"):
        e[len(e)]


# --- Digits (ships with scikit-learn) ---------------------------------------------------

def test_digits_is_an_mnist_like_dataset():
    from sklearn.datasets import load_digits
    images, labels = load_digits(return_X_y=True)
    images = images.reshape(-1, 8, 8)
    train, test = ED.Digits(), ED.Digits(train=False)
    assert (len(train), len(test)) == (1500, 297)
    assert train.data.dtype == ember.uint8 and train.data.shape == (1500, 28, 28)
    assert train.targets.dtype == ember.int64
    np.testing.assert_array_equal(np.concatenate([train.targets.numpy(), test.targets.numpy()]), labels)
    assert train.classes == TD.MNIST.classes and train.class_to_idx == {c: i for i, c in enumerate(TD.MNIST.classes)}
    img, target = test[5]
    assert img.mode == "L" and img.size == (28, 28) and type(target) is int and target == labels[1505]
    original = ED.Digits(upscale=8).data.numpy()
    np.testing.assert_array_equal(original, np.rint(images[:1500] * 255 / 16))
    # the 28x28 images are a bilinear resize: within one grey level of Pillow's
    pil = np.stack([np.asarray(Image.fromarray(x).resize((28, 28), Image.BILINEAR)) for x in original])
    assert np.abs(train.data.numpy().astype(int) - pil).max() <= 1
    assert repr(train) == "Dataset Digits\n    Number of datapoints: 1500\n    Split: Train"


def test_digits_feed_a_lenet_through_a_dataloader():
    T = ember.vision.transforms
    data = ED.Digits(train=False, transform=T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))]))
    x, y = next(iter(ember.utils.data.DataLoader(data, batch_size=16)))
    assert x.shape == (16, 1, 28, 28) and x.dtype == ember.float32 and y.dtype == ember.int64
    assert ember.vision.models.lenet()(x).shape == (16, 10)
