"""``ember.vision.models``: torchvision's classification networks, module for module (so
torchvision checkpoints load with ``strict=True`` and ``print(model)`` matches), plus LeNet-5.

Pretrained weights are read from PyTorch's hub cache or a local file: see ``_weights``."""
from ._weights import Weights, WeightsEnum  # noqa: F401
from .alexnet import AlexNet, AlexNet_Weights, alexnet
from .lenet import LeNet, LeNet_Weights, lenet
from .mobilenetv2 import MobileNet_V2_Weights, MobileNetV2, mobilenet_v2
from .resnet import ResNet, ResNet18_Weights, ResNet34_Weights, ResNet50_Weights, resnet18, resnet34, resnet50
from .vgg import VGG, VGG11_BN_Weights, VGG11_Weights, vgg11, vgg11_bn

_BUILDERS = {fn.__name__: fn for fn in (alexnet, lenet, mobilenet_v2, resnet18, resnet34, resnet50, vgg11, vgg11_bn)}
_WEIGHTS = {alexnet: AlexNet_Weights, lenet: LeNet_Weights, mobilenet_v2: MobileNet_V2_Weights,
            resnet18: ResNet18_Weights, resnet34: ResNet34_Weights, resnet50: ResNet50_Weights, vgg11: VGG11_Weights,
            vgg11_bn: VGG11_BN_Weights}

__all__ = ["AlexNet", "LeNet", "MobileNetV2", "ResNet", "VGG", "Weights", "WeightsEnum", "get_model",
           "get_model_builder", "get_model_weights", "list_models", *_BUILDERS, *(w.__name__ for w in _WEIGHTS.values())]


def list_models():
    """The names of the model builders, sorted."""
    return sorted(_BUILDERS)


def get_model_builder(name):
    name = name.lower()
    try:
        return _BUILDERS[name]
    except KeyError:
        raise ValueError(f"Unknown model {name}") from None


def get_model(name, **config):
    """Build the model called ``name`` (``get_model("resnet18", weights=None, num_classes=10)``)."""
    return get_model_builder(name)(**config)


def get_model_weights(name):
    """The weights enum of a builder, given the builder or its name."""
    return _WEIGHTS[get_model_builder(name) if isinstance(name, str) else name]


from ..._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torchvision.models")
