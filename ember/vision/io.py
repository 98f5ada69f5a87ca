"""``torchvision.io`` for images: files in, uint8 (C, H, W) tensors out, and back.

torchvision decodes with libpng/libjpeg in compiled code; ember decodes with Pillow, which
uses the same libraries, so a PNG gives the same pixels and a JPEG the same up to the
decoder's rounding. ``mode`` converts as torchvision's ``ImageReadMode`` does: gray is
Pillow's ITU-R 601-2 luma, a missing alpha channel is added fully opaque.
"""
import enum
import io as _io
import os

import numpy as np

from .._tensor import Tensor


class ImageReadMode(enum.Enum):
    """How many channels ``read_image``/``decode_image`` return."""

    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = RGB_ALPHA


_PIL_MODE = {ImageReadMode.GRAY: "L", ImageReadMode.GRAY_ALPHA: "LA", ImageReadMode.RGB: "RGB",
             ImageReadMode.RGB_ALPHA: "RGBA"}


def _pil():
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError("torchvision.io in ember reads images with Pillow: pip install pillow") from e
    return Image


def read_file(path):
    """The bytes of a file as a 1-d uint8 tensor."""
    with open(os.fspath(path), "rb") as f:
        return Tensor._make(np.frombuffer(f.read(), np.uint8).copy())


def write_file(filename, data):
    """Write a 1-d uint8 tensor's bytes to ``filename``."""
    with open(os.fspath(filename), "wb") as f:
        f.write(np.ascontiguousarray(data._data, np.uint8).tobytes())


def _to_chw(img, mode):
    if isinstance(mode, str):
        mode = ImageReadMode[mode.upper()]
    if mode is not ImageReadMode.UNCHANGED:
        img = img.convert(_PIL_MODE[mode])
    elif img.mode not in ("L", "LA", "RGB", "RGBA"):
        img = img.convert("RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB")
    a = np.asarray(img, dtype=np.uint8)
    a = a[:, :, None] if a.ndim == 2 else a
    return Tensor._make(np.ascontiguousarray(a.transpose(2, 0, 1)))


def decode_image(input, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """Decode a PNG/JPEG/GIF/BMP/WebP held in a 1-d uint8 tensor (or read from a path)."""
    Image = _pil()
    if isinstance(input, (str, os.PathLike)):
        input = read_file(input)
    if not isinstance(input, Tensor) or input._data.dtype != np.uint8 or input.dim() != 1:
        raise RuntimeError("Expected a 1-d uint8 tensor holding the encoded image")
    img = Image.open(_io.BytesIO(input._data.tobytes()))
    if apply_exif_orientation:
        from PIL import ImageOps
        img = ImageOps.exif_transpose(img)
    return _to_chw(img, mode)


decode_png = decode_jpeg = decode_image


def read_image(path, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """A uint8 (C, H, W) tensor of the image at ``path``."""
    return decode_image(read_file(path), mode, apply_exif_orientation)


def _encode(input, fmt, **options):
    Image = _pil()
    if (not isinstance(input, Tensor) or input._data.dtype != np.uint8 or input.dim() != 3
            or input.shape[0] not in (1, 3, 4)):
        raise RuntimeError(f"Input tensor must be a uint8 (C, H, W) image with 1, 3 or 4 channels, got "
                           f"{input.dtype} of shape {list(input.shape)}")
    a = np.ascontiguousarray(input._data.transpose(1, 2, 0))
    img = Image.fromarray(a[:, :, 0] if a.shape[2] == 1 else a)
    buf = _io.BytesIO()
    img.save(buf, format=fmt, **options)
    return Tensor._make(np.frombuffer(buf.getvalue(), np.uint8).copy())


def encode_png(input, compression_level=6):
    return _encode(input, "PNG", compress_level=compression_level)


def encode_jpeg(input, quality=75):
    if not 1 <= quality <= 100:
        raise ValueError(f"Image quality should be a positive number between 1 and 100, got {quality}")
    return _encode(input, "JPEG", quality=quality)


def write_png(input, filename, compression_level=6):
    write_file(filename, encode_png(input, compression_level))


def write_jpeg(input, filename, quality=75):
    write_file(filename, encode_jpeg(input, quality))


from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torchvision.io")
