"""ember.vision transforms and utils against torchvision on the same inputs and seeds."""
import numpy as np
import pytest
import torch
from PIL import Image

import ember
import oracles

tv = oracles.torchvision()
rng = np.random.default_rng(0)
RGB = Image.fromarray(rng.integers(0, 256, (37, 45, 3), dtype=np.uint8))
GRAY = Image.fromarray(rng.integers(0, 256, (30, 28), dtype=np.uint8))
HWC = rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
CHW = rng.random((3, 20, 24)).astype(np.float32)


def to_np(x):
    if isinstance(x, (ember.Tensor, torch.Tensor)):
        return x.detach().numpy()
    return np.asarray(x)


PIPELINES = [
    ("to_tensor", lambda T: T.Compose([T.ToTensor()]), RGB),
    ("to_tensor_gray", lambda T: T.ToTensor(), GRAY),
    ("to_tensor_hwc", lambda T: T.ToTensor(), HWC),
    ("normalize", lambda T: T.Compose([T.ToTensor(), T.Normalize((0.5,), (1.0,))]), GRAY),
    ("normalize_rgb", lambda T: T.Compose([T.ToTensor(), T.Normalize((0.4, 0.5, 0.6), (0.2, 0.3, 0.4))]), RGB),
    ("resize", lambda T: T.Compose([T.Resize(16), T.ToTensor()]), RGB),
    ("resize_hw", lambda T: T.Compose([T.Resize((10, 12)), T.PILToTensor()]), RGB),
    ("center_crop", lambda T: T.Compose([T.CenterCrop(20), T.ToTensor()]), RGB),
    ("center_crop_tensor", lambda T: T.CenterCrop((10, 30)), "CHW"),
    ("pad", lambda T: T.Compose([T.Pad((1, 2, 3, 4), fill=7), T.PILToTensor()]), RGB),
    ("pad_reflect", lambda T: T.Compose([T.Pad(2, padding_mode="reflect"), T.PILToTensor()]), GRAY),
    ("grayscale", lambda T: T.Compose([T.Grayscale(3), T.PILToTensor()]), RGB),
    ("random_crop", lambda T: T.Compose([T.RandomCrop(24, padding=4), T.ToTensor()]), RGB),
    ("hflip", lambda T: T.Compose([T.RandomHorizontalFlip(), T.ToTensor()]), RGB),
    ("vflip_tensor", lambda T: T.RandomVerticalFlip(0.7), "CHW"),
    ("resized_crop", lambda T: T.Compose([T.RandomResizedCrop(16), T.ToTensor()]), RGB),
    ("rotation", lambda T: T.Compose([T.RandomRotation(30), T.ToTensor()]), GRAY),
    ("erasing", lambda T: T.Compose([T.ToTensor(), T.RandomErasing(p=1.0)]), RGB),
    ("lambda", lambda T: T.Compose([T.ToTensor(), T.Lambda(lambda x: x * 2)]), GRAY),
    ("to_pil_round_trip", lambda T: T.Compose([T.ToPILImage(), T.PILToTensor()]), "CHW"),
]


@pytest.mark.parametrize("name,build,image", PIPELINES, ids=[p[0] for p in PIPELINES])
def test_transforms_match_torchvision(name, build, image):
    for seed in range(4):
        outs = []
        for m, T in ((torch, tv.transforms), (ember, ember.vision.transforms)):
            m.manual_seed(seed)
            img = m.from_numpy(CHW.copy()) if isinstance(image, str) else image
            outs.append(build(T)(img))
        e, t = outs
        assert type(e).__name__ == type(t).__name__
        assert str(e.dtype) == str(t.dtype)
        np.testing.assert_allclose(to_np(e), to_np(t), rtol=1e-6, atol=1e-6, err_msg=name)


def test_reprs_match_torchvision():
    for build in [lambda T: T.Compose([T.ToTensor(), T.Normalize((0.5,), (1.0,))]), lambda T: T.CenterCrop(10),
                  lambda T: T.RandomHorizontalFlip(), lambda T: T.Resize(16), lambda T: T.Grayscale()]:
        assert repr(build(ember.vision.transforms)) == repr(build(tv.transforms))


def test_make_grid_matches_torchvision():
    batch = rng.random((5, 3, 6, 7)).astype(np.float32)
    for kw in [dict(), dict(nrow=2, padding=1, pad_value=0.5), dict(normalize=True), dict(normalize=True,
               scale_each=True)]:
        e = ember.vision.utils.make_grid(ember.from_numpy(batch.copy()), **kw)
        t = tv.utils.make_grid(torch.from_numpy(batch.copy()), **kw)
        np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-6, atol=1e-6)


def test_save_image_writes_a_readable_png(tmp_path):
    batch = rng.random((4, 1, 8, 8)).astype(np.float32)
    ember.vision.utils.save_image(ember.from_numpy(batch), tmp_path / "e.png", nrow=2)
    tv.utils.save_image(torch.from_numpy(batch), tmp_path / "t.png", nrow=2)
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "e.png")), np.asarray(Image.open(tmp_path / "t.png")))
