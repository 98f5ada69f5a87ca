"""VGG (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
Recognition", 2014), module for module torchvision's.

Only 3x3 convolutions (two stacked see a 5x5 window with fewer weights than one 5x5) and
2x2 max pools; a configuration lists the convolution widths and ``"M"`` for each pool.
The adaptive pool brings any input of at least 32x32 to 7x7 before the classifier."""
from ... import flatten
from ... import nn
from ._weights import WeightsEnum, build, imagenet_weights

cfgs = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


class VGG(nn.Module):
    """``features`` (from ``make_layers``), a 7x7 adaptive average pool and a three-layer
    classifier with dropout. With ``init_weights``: convolutions
    ``kaiming_normal_(mode="fan_out", nonlinearity="relu")`` with zero bias, norms 1 and 0,
    linear layers N(0, 0.01) with zero bias."""

    def __init__(self, features, num_classes=1000, init_weights=True, dropout=0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes))
        if init_weights:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    if m.bias is not None:
                        nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return self.classifier(flatten(self.avgpool(self.features(x)), 1))


def make_layers(cfg, batch_norm=False):
    """The convolutional part: for each width a 3x3 convolution (padding 1), optionally batch
    norm, and ReLU; for each ``"M"`` a 2x2 max pool halving the resolution."""
    layers = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            conv2d = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
            layers += [conv2d, nn.BatchNorm2d(v), nn.ReLU(inplace=True)] if batch_norm else \
                [conv2d, nn.ReLU(inplace=True)]
            in_channels = v
    return nn.Sequential(*layers)


_URL = "https://download.pytorch.org/models/"


class VGG11_Weights(WeightsEnum):
    IMAGENET1K_V1 = imagenet_weights(_URL + "vgg11-8a719046.pth", 132863336, min_size=(32, 32))
    DEFAULT = IMAGENET1K_V1


class VGG11_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = imagenet_weights(_URL + "vgg11_bn-6002323d.pth", 132868840, min_size=(32, 32))
    DEFAULT = IMAGENET1K_V1


def _no_init(kwargs):
    kwargs["init_weights"] = False  # the checkpoint sets every value


def _vgg(cfg, batch_norm, weights_enum, weights, progress, kwargs):
    return build(lambda **kw: VGG(make_layers(cfgs[cfg], batch_norm=batch_norm), **kw), weights_enum, weights,
                 progress, kwargs, when_loading=_no_init)


def vgg11(*, weights=None, progress=True, **kwargs):
    """VGG-11 (configuration "A"). ``weights``: None, ``VGG11_Weights`` (or its name), or a
    checkpoint path; other keywords go to ``VGG`` (``num_classes``, ``dropout``...)."""
    return _vgg("A", False, VGG11_Weights, weights, progress, kwargs)


def vgg11_bn(*, weights=None, progress=True, **kwargs):
    """VGG-11 with batch normalization after every convolution."""
    return _vgg("A", True, VGG11_BN_Weights, weights, progress, kwargs)
