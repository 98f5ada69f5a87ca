"""``ember.vision.datasets``: torchvision's datasets, read from the same files in the same
places (MNIST family, CIFAR, SVHN, image folders), plus ``FakeData`` and ``Digits`` (a tiny
MNIST-like set shipped with scikit-learn, for examples that must run without a download)."""
from .cifar import CIFAR10, CIFAR100  # noqa: F401
from .digits import Digits  # noqa: F401
from .fakedata import FakeData  # noqa: F401
from .folder import DatasetFolder, ImageFolder  # noqa: F401
from .mnist import EMNIST, KMNIST, MNIST, FashionMNIST  # noqa: F401
from .svhn import SVHN  # noqa: F401
from .vision import VisionDataset  # noqa: F401

from ..._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torchvision.datasets")
