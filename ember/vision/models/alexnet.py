"""AlexNet (Krizhevsky et al., 2012, in the "one weird trick" variant torchvision uses),
module for module torchvision's. Five convolutions (the first 11x11 with stride 4), three
max pools, a 6x6 adaptive pool and three linear layers with dropout; the layers keep
PyTorch's default initialisation."""
from ... import flatten
from ... import nn
from ._weights import WeightsEnum, build, imagenet_weights


class AlexNet(nn.Module):
    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(flatten(self.avgpool(self.features(x)), 1))


class AlexNet_Weights(WeightsEnum):
    IMAGENET1K_V1 = imagenet_weights("https://download.pytorch.org/models/alexnet-owt-7be5be79.pth", 61100840,
                                     min_size=(63, 63))
    DEFAULT = IMAGENET1K_V1


def alexnet(*, weights=None, progress=True, **kwargs):
    """AlexNet. ``weights``: None, ``AlexNet_Weights`` (or its name), or a checkpoint path;
    other keywords go to ``AlexNet`` (``num_classes``, ``dropout``). Inputs of at least
    63x63 pixels."""
    return build(AlexNet, AlexNet_Weights, weights, progress, kwargs)
