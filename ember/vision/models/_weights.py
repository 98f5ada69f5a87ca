"""Pretrained weights: torchvision's ``Weights``/``WeightsEnum`` and how a builder finds them.

``resnet18(weights=...)`` accepts what torchvision accepts -- ``None``, a member such as
``ResNet18_Weights.IMAGENET1K_V1`` or its name (``"DEFAULT"``, ``"IMAGENET1K_V1"``,
``"ResNet18_Weights.IMAGENET1K_V1"``), the deprecated ``pretrained=True`` -- and also the
path of a checkpoint file (a ``torch.save``/``ember.save`` of the model's ``state_dict``).

A member's file is looked up where PyTorch's hub keeps it,
``$TORCH_HOME/hub/checkpoints/<name from the URL>`` (``TORCH_HOME`` defaults to
``$XDG_CACHE_HOME/torch``, i.e. ``~/.cache/torch``), so files downloaded by PyTorch are
reused. If it is not there it is downloaded like a dataset (temporary file, SHA-256 prefix
from the file name checked, atomic rename); without a network the error names the URL and
the exact path to save the file at. Checkpoints in PyTorch's legacy (pre-1.6) format must be
re-saved with a recent PyTorch, since ``ember.load`` reads only the zip format."""
import contextlib
import enum
import os
import re
import threading
import warnings
from functools import partial

from ... import float32, int32, randint
from ...nn import init
from ...serialization import load
from ..datasets.utils import _stream


class Weights:
    """One set of pretrained weights: its ``url``, the ``transforms`` constructor that
    prepares images the way the weights were trained, and ``meta`` (facts about them)."""

    def __init__(self, url, transforms, meta):
        self.url, self.transforms, self.meta = url, transforms, meta

    def __eq__(self, other):
        return isinstance(other, Weights) and self.url == other.url

    def __hash__(self):
        return hash(self.url)


class WeightsEnum(enum.Enum):
    """The weights available for one model; ``DEFAULT`` is the best of them."""

    @classmethod
    def verify(cls, obj):
        if obj is not None:
            if type(obj) is str:
                obj = cls[obj.replace(cls.__name__ + ".", "")]
            elif not isinstance(obj, cls):
                raise TypeError(f"Invalid Weight class provided; expected {cls.__name__} but received "
                                f"{obj.__class__.__name__}.")
        return obj

    def get_state_dict(self, progress=True, check_hash=True):
        return load_state_dict_from_url(self.url, progress=progress, check_hash=check_hash)

    def __repr__(self):
        return f"{self.__class__.__name__}.{self._name_}"

    @property
    def url(self):
        return self.value.url

    @property
    def transforms(self):
        return self.value.transforms

    @property
    def meta(self):
        return self.value.meta


def image_classification(crop_size, resize_size=256, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)):
    """The ImageNet evaluation preprocessing: resize the short side to ``resize_size``, take
    the central ``crop_size`` square, scale to [0, 1] and normalise with ImageNet's channel
    mean and std."""
    from .. import transforms as T
    return T.Compose([T.Resize(resize_size), T.CenterCrop(crop_size), T.ToTensor(), T.Normalize(mean, std)])


def imagenet_weights(url, num_params, min_size=(1, 1), resize_size=256, **meta):
    """A ``Weights`` entry for an ImageNet-1K classifier (1000 classes, 224x224 crops)."""
    return Weights(url, partial(image_classification, crop_size=224, resize_size=resize_size),
                   dict(num_params=num_params, min_size=min_size, num_classes=1000, **meta))


def get_dir():
    """PyTorch's hub folder: ``$TORCH_HOME/hub`` (default ``~/.cache/torch/hub``)."""
    torch_home = os.getenv("TORCH_HOME", os.path.join(os.getenv("XDG_CACHE_HOME", "~/.cache"), "torch"))
    return os.path.join(os.path.expanduser(torch_home), "hub")


def load_state_dict_from_url(url, model_dir=None, progress=True, check_hash=False, file_name=None):
    """Load the checkpoint at ``url`` from the hub cache, downloading it there first if absent.
    With ``check_hash`` the download's SHA-256 must start with the hex digits after the last
    ``-`` of the file name (PyTorch's convention, e.g. ``resnet18-f37072fd.pth``)."""
    model_dir = model_dir or os.path.join(get_dir(), "checkpoints")
    cached = os.path.join(model_dir, file_name or os.path.basename(url))
    if not os.path.isfile(cached):
        os.makedirs(model_dir, exist_ok=True)
        match = re.search(r"-([a-f0-9]*)\.", os.path.basename(cached)) if check_hash else None
        try:
            _stream(url, cached, "sha256", match.group(1) if match else None, progress)
        except RuntimeError as e:
            raise RuntimeError(f"{e} (PyTorch's cache folder is set by TORCH_HOME; you can also pass the file's "
                               "path as weights=...)") from None
    return load(cached)


def _take_draws(n):
    """Advance the global generator by ``n`` 32-bit draws (``randint`` over a range below
    2**28 takes exactly one draw per element), in chunks to bound the memory used."""
    while n > 0:
        k = min(n, 1 << 22)
        randint(0, 2, (k,), dtype=int32)
        n -= k


@contextlib.contextmanager
def _skip_init():
    """Build a model whose values a checkpoint will overwrite without computing random ones.

    In this thread, ``init.uniform_`` and ``init.normal_`` on large float32 tensors only advance
    the global generator by the draws PyTorch would have taken (one per element; a normal
    tensor whose size is not a multiple of 16 takes 16 more), so random numbers drawn after
    the model is built are still the ones PyTorch draws after torchvision builds it."""
    owner = threading.get_ident()
    original_uniform, original_normal = init.uniform_, init.normal_

    def skipping(original, extra_draws):
        def fill(tensor, *args, **kwargs):
            n = tensor.numel()
            generator = kwargs.get("generator", args[2] if len(args) > 2 else None)
            if threading.get_ident() != owner or generator is not None or n < 16 or tensor.dtype != float32:
                return original(tensor, *args, **kwargs)
            _take_draws(n + extra_draws(n))
            return tensor
        return fill

    init.uniform_ = skipping(original_uniform, lambda n: 0)
    init.normal_ = skipping(original_normal, lambda n: 16 if n % 16 else 0)
    try:
        yield
    finally:
        init.uniform_, init.normal_ = original_uniform, original_normal


def _resolve(weights_enum, weights, kwargs):
    """Turn a builder's ``weights`` (and the deprecated ``pretrained`` in ``kwargs``) into a
    member of ``weights_enum``, a checkpoint path, or None."""
    if "pretrained" in kwargs:
        pretrained = kwargs.pop("pretrained")
        if weights is None:
            if pretrained and "IMAGENET1K_V1" not in weights_enum.__members__:
                raise ValueError(f"No weights available for model "
                                 f"{weights_enum.__name__.removesuffix('_Weights').lower()}")
            weights = weights_enum.IMAGENET1K_V1 if pretrained else None
            warnings.warn("The parameter 'pretrained' is deprecated since 0.13 and may be removed in the future, "
                          "please use 'weights' instead.")
            msg = ("Arguments other than a weight enum or `None` for 'weights' are deprecated since 0.13 and may be "
                   f"removed in the future. The current behavior is equivalent to passing `weights={weights}`.")
            if pretrained:
                msg += f" You can also use `weights={weights_enum.__name__}.DEFAULT` to get the most up-to-date weights."
            warnings.warn(msg)
    if isinstance(weights, str) and weights.replace(weights_enum.__name__ + ".", "") in weights_enum.__members__:
        return weights_enum.verify(weights)
    if isinstance(weights, (str, os.PathLike)):
        if not os.path.isfile(weights):
            raise RuntimeError(f"weights={str(weights)!r} is neither a checkpoint file that exists nor one of "
                               f"{weights_enum.__name__}'s names ({', '.join(weights_enum.__members__)})")
        return os.fspath(weights)
    return weights_enum.verify(weights)


def build(make, weights_enum, weights, progress, kwargs, when_loading=None):
    """A model builder's common part: resolve ``weights``, read the checkpoint (failing
    before any work if it cannot be had), build ``make(**kwargs)`` -- without random values
    when a checkpoint will replace them -- and load it strictly."""
    weights = _resolve(weights_enum, weights, kwargs)
    if weights is None:
        return make(**kwargs)
    if isinstance(weights, str):
        state_dict = load(weights)
    else:
        num_classes = weights.meta["num_classes"]
        if kwargs.setdefault("num_classes", num_classes) != num_classes:
            raise ValueError(f"The parameter 'num_classes' expected value {num_classes} but got "
                             f"{kwargs['num_classes']} instead.")
        state_dict = weights.get_state_dict(progress=progress, check_hash=True)
    if when_loading is not None:
        when_loading(kwargs)
    with _skip_init():
        model = make(**kwargs)
    model.load_state_dict(state_dict)
    return model
