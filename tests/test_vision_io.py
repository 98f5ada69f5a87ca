"""ember.vision.io: images to uint8 (C, H, W) tensors and back. torchvision's own decoders are
compiled code absent from the reference CPU wheel, so the expected pixels come from Pillow
(the same libpng/libjpeg) and from round trips."""
import numpy as np
import pytest
from PIL import Image

import ember
from ember.vision import io


@pytest.fixture
def rgb():
    return np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)


def test_png_round_trip_in_every_mode(tmp_path, rgb):
    Image.fromarray(rgb).save(tmp_path / "a.png")
    t = io.read_image(tmp_path / "a.png")
    assert t.dtype == ember.uint8 and tuple(t.shape) == (3, 5, 7)
    np.testing.assert_array_equal(t.numpy().transpose(1, 2, 0), rgb)
    gray = io.read_image(str(tmp_path / "a.png"), io.ImageReadMode.GRAY)
    np.testing.assert_array_equal(gray.numpy()[0], np.asarray(Image.fromarray(rgb).convert("L")))
    rgba = io.read_image(tmp_path / "a.png", mode=io.ImageReadMode.RGB_ALPHA)
    assert tuple(rgba.shape) == (4, 5, 7) and (rgba.numpy()[3] == 255).all()  # opaque alpha added
    io.write_png(t, tmp_path / "b.png")
    np.testing.assert_array_equal(io.read_image(tmp_path / "b.png").numpy(), t.numpy())
    data = io.read_file(tmp_path / "b.png")
    assert data.dim() == 1 and data[:4].tolist() == [137, 80, 78, 71]  # the PNG signature
    np.testing.assert_array_equal(io.decode_image(data).numpy(), t.numpy())


def test_jpeg_and_gray_images(tmp_path, rgb):
    io.write_jpeg(ember.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1))), tmp_path / "a.jpg", quality=95)
    t = io.read_image(tmp_path / "a.jpg")
    np.testing.assert_array_equal(t.numpy().transpose(1, 2, 0), np.asarray(Image.open(tmp_path / "a.jpg")))
    Image.fromarray(rgb[:, :, 0]).save(tmp_path / "g.png")
    g = io.read_image(tmp_path / "g.png")
    assert tuple(g.shape) == (1, 5, 7)
    with pytest.raises(ValueError, match="between 1 and 100"):
        io.encode_jpeg(t, quality=0)
    with pytest.raises(RuntimeError, match="uint8 \\(C, H, W\\)"):
        io.encode_png(ember.zeros(3, 4, 4))
