"""LeNet-5 (LeCun et al., "Gradient-Based Learning Applied to Document Recognition", 1998)
in its modern form. torchvision has no LeNet; this one is ember's own, sized for 1x28x28
digits (MNIST, FashionMNIST, ``Digits``)::

    features    Conv2d(in_channels, 6, 5, padding=2)  ReLU  MaxPool2d(2)    28x28 -> 28x28 -> 14x14
                Conv2d(6, 16, 5)                       ReLU  MaxPool2d(2)    14x14 -> 10x10 -> 5x5
    classifier  Flatten  Linear(400, 120)  ReLU  Linear(120, 84)  ReLU  Linear(84, num_classes)

(The 1998 network used tanh-like squashing and trainable average "subsampling"; ReLU and
max pooling train faster and are what LeNet means in today's tutorials. The padding of 2
lets 28x28 MNIST stand in for the original 32x32 input.) Every layer keeps PyTorch's
default initialisation, so the same seed gives the same network in ember and PyTorch."""
from ... import nn
from ._weights import WeightsEnum, build


class LeNet(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(inplace=True), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(inplace=True), nn.Linear(120, 84),
            nn.ReLU(inplace=True), nn.Linear(84, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class LeNet_Weights(WeightsEnum):
    """No published weights: pass your own checkpoint's path as ``weights=``."""


def lenet(*, weights=None, progress=True, **kwargs):
    """LeNet-5 for 1x28x28 inputs. ``weights``: None or the path of a saved ``state_dict``;
    other keywords go to ``LeNet`` (``num_classes``, ``in_channels``)."""
    return build(LeNet, LeNet_Weights, weights, progress, kwargs)
