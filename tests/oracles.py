"""torchvision and torchmetrics as test oracles.

torchvision's compiled operators are not part of the reference CPU torch wheel; defining
the two operator schemas it registers at import (nms, qnms) lets the pure-Python parts we
compare against (transforms, datasets, utils, model definitions) import normally."""
import torch


def torchvision():
    import importlib
    if not _defined():
        torch.library.define("torchvision::nms", "(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        torch.library.define("torchvision::qnms", "(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    return importlib.import_module("torchvision")


def _defined():
    try:
        torch.ops.torchvision.nms
        return True
    except (AttributeError, RuntimeError):
        return False


def torchmetrics():
    torchvision()  # torchmetrics imports torchvision when it is installed
    import torchmetrics as tm
    return tm
