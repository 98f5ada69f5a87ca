"""Image transforms (torchvision's ``transforms``): they accept PIL images, NumPy HWC
arrays (for ToTensor) and CHW tensors, and the random ones draw from ember's generator in
the same order as torchvision, so a seed gives the same augmentations."""
import math
import numbers

import numpy as np

from .. import _random
from .._tensor import Tensor

try:
    from PIL import Image, ImageEnhance
except ImportError:  # pillow is optional: tensor inputs still work
    Image = None


def _is_pil(img):
    return Image is not None and isinstance(img, Image.Image)


def _size(img):
    """(width, height), as torchvision's get_image_size reports it."""
    if _is_pil(img):
        return img.size
    return img.shape[-1], img.shape[-2]


def _rand_uniform(low, high):
    from .._ops.creation import empty
    return float(empty(1).uniform_(low, high).item())


def _randint(low, high):
    return int(_random.randint(low, high, (1,)).item())


class Compose:
    """Apply transforms in order."""

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        body = "".join(f"\n    {t}" for t in self.transforms)
        return f"{self.__class__.__name__}({body}\n)"


class _Repr:
    def __repr__(self):
        return f"{self.__class__.__name__}()"


class ToTensor(_Repr):
    """PIL image or HWC ndarray -> CHW float tensor; uint8 data is scaled to [0, 1]."""

    def __call__(self, pic):
        if _is_pil(pic):
            mode = pic.mode
            arr = np.array(pic, dtype=np.int32 if mode == "I" else np.float32 if mode == "F" else None, copy=True)
            if mode == "1":
                arr = arr.astype(np.uint8) * 255
            if arr.ndim == 2:
                arr = arr[:, :, None]
        elif isinstance(pic, np.ndarray):
            if pic.ndim not in (2, 3):
                raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
            arr = pic[:, :, None] if pic.ndim == 2 else pic
        else:
            raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
        chw = np.ascontiguousarray(arr.transpose(2, 0, 1))
        if chw.dtype == np.uint8:
            return Tensor._make(chw.astype(np.float32) / np.float32(255))
        return Tensor._make(chw)


class PILToTensor(_Repr):
    """PIL image -> CHW uint8 tensor, unscaled."""

    def __call__(self, pic):
        arr = np.array(pic, copy=True)
        if arr.ndim == 2:
            arr = arr[:, :, None]
        return Tensor._make(np.ascontiguousarray(arr.transpose(2, 0, 1)))


class ToPILImage:
    """CHW tensor or HWC ndarray -> PIL image (float data in [0, 1] is scaled by 255)."""

    def __init__(self, mode=None):
        self.mode = mode

    def __call__(self, pic):
        if isinstance(pic, Tensor):
            arr = pic.detach().numpy()
            arr = arr[None] if arr.ndim == 2 else arr
            arr = arr.transpose(1, 2, 0)
            if arr.dtype.kind == "f":
                arr = (arr * 255).astype(np.uint8)
        else:
            arr = pic
        if arr.ndim == 3 and arr.shape[2] == 1:
            arr = arr[:, :, 0]
        return Image.fromarray(arr, mode=self.mode) if self.mode else Image.fromarray(arr)

    def __repr__(self):
        return f"{self.__class__.__name__}(mode={self.mode})" if self.mode else f"{self.__class__.__name__}()"


class Normalize:
    """(x - mean) / std per channel of a CHW float tensor."""

    def __init__(self, mean, std, inplace=False):
        self.mean, self.std, self.inplace = mean, std, inplace

    def __call__(self, tensor):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"Input tensor should be a torch tensor. Got {type(tensor)}.")
        if not tensor.is_floating_point():
            raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
        d = tensor._data.dtype
        mean = np.asarray(self.mean, d).reshape(-1, 1, 1)
        std = np.asarray(self.std, d).reshape(-1, 1, 1)
        if (std == 0).any():
            raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero.")
        out = (tensor._data - mean) / std
        if self.inplace:
            tensor._data[...] = out
            return tensor
        return Tensor._make(out.astype(d, copy=False))

    def __repr__(self):
        return f"{self.__class__.__name__}(mean={self.mean}, std={self.std})"


_PIL_MODES = {"nearest": 0, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5, "lanczos": 1}


def _interp_name(interpolation):
    name = getattr(interpolation, "value", interpolation)
    return str(name).lower()


class InterpolationMode:
    NEAREST = "nearest"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


def _resize_size(w, h, size, max_size=None):
    if isinstance(size, int) or (isinstance(size, (list, tuple)) and len(size) == 1):
        s = size if isinstance(size, int) else size[0]
        short, long = (w, h) if w <= h else (h, w)
        new_short, new_long = s, int(s * long / short)
        if max_size is not None and new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
        return (new_short, new_long) if w <= h else (new_long, new_short)
    return size[1], size[0]


def _pil_to_tensor_like(pil, ref):
    arr = np.asarray(pil)
    arr = arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)
    return Tensor._make(np.ascontiguousarray(arr).astype(ref._data.dtype))


class Resize:
    """Resize so the shorter side is ``size`` (an int) or to exactly (h, w)."""

    def __init__(self, size, interpolation="bilinear", max_size=None, antialias=True):
        self.size, self.interpolation, self.max_size, self.antialias = size, interpolation, max_size, antialias

    def __call__(self, img):
        w, h = _size(img)
        nw, nh = _resize_size(w, h, self.size, self.max_size)
        mode = _PIL_MODES[_interp_name(self.interpolation)]
        if _is_pil(img):
            return img.resize((nw, nh), mode)
        if Image is None:
            raise NotImplementedError("torchvision.transforms.Resize of a tensor needs pillow in ember")
        chans = [Image.fromarray(c.astype(np.float32), mode="F").resize((nw, nh), mode) for c in img._data]
        return Tensor._make(np.stack([np.asarray(c) for c in chans]).astype(img._data.dtype))

    def __repr__(self):
        return (f"{self.__class__.__name__}(size={self.size}, interpolation={_interp_name(self.interpolation)}, "
                f"max_size={self.max_size}, antialias={self.antialias})")


class Scale(Resize):
    """The old name of Resize (seed 004 uses it)."""


def _crop(img, top, left, height, width):
    if _is_pil(img):
        return img.crop((left, top, left + width, top + height))
    a = img._data
    h, w = a.shape[-2:]
    if top < 0 or left < 0 or top + height > h or left + width > w:
        pad = [max(-left, 0), max(-top, 0), max(left + width - w, 0), max(top + height - h, 0)]
        a = np.pad(a, [(0, 0)] * (a.ndim - 2) + [(pad[1], pad[3]), (pad[0], pad[2])])
        top, left = top + pad[1], left + pad[0]
    return Tensor._make(np.ascontiguousarray(a[..., top:top + height, left:left + width]))


def _pair(size):
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    return (size[0], size[0]) if len(size) == 1 else tuple(size)


class CenterCrop:
    """Crop the centre (padding with zeros when the image is smaller)."""

    def __init__(self, size):
        self.size = _pair(size)

    def __call__(self, img):
        w, h = _size(img)
        th, tw = self.size
        top, left = int(round((h - th) / 2.0)), int(round((w - tw) / 2.0))
        return _crop(img, top, left, th, tw)

    def __repr__(self):
        return f"{self.__class__.__name__}(size={self.size})"


class Pad:
    """Pad the borders (constant, edge, reflect or symmetric)."""

    def __init__(self, padding, fill=0, padding_mode="constant"):
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def __call__(self, img):
        p = self.padding
        if isinstance(p, int):
            left = top = right = bottom = p
        elif len(p) == 2:
            left = right = p[0]
            top = bottom = p[1]
        else:
            left, top, right, bottom = p
        if _is_pil(img):
            arr = np.asarray(img)
            out = _pad_array(arr, top, bottom, left, right, self.fill, self.padding_mode, channels_last=True)
            return Image.fromarray(out, mode=img.mode)
        return Tensor._make(_pad_array(img._data, top, bottom, left, right, self.fill, self.padding_mode))

    def __repr__(self):
        return f"{self.__class__.__name__}(padding={self.padding}, fill={self.fill}, padding_mode={self.padding_mode})"


def _pad_array(a, top, bottom, left, right, fill, mode, channels_last=False):
    spec = [(top, bottom), (left, right)]
    spec = spec + [(0, 0)] * (a.ndim - 2) if channels_last else [(0, 0)] * (a.ndim - 2) + spec
    if mode == "constant":
        return np.pad(a, spec, constant_values=fill)
    return np.pad(a, spec, mode={"edge": "edge", "reflect": "reflect", "symmetric": "symmetric"}[mode])


class RandomCrop:
    """Crop at a random position (after optional padding)."""

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        self.size = _pair(size)
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode

    @staticmethod
    def get_params(img, output_size):
        w, h = _size(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")
        if w == tw and h == th:
            return 0, 0, h, w
        i = _randint(0, h - th + 1)
        j = _randint(0, w - tw + 1)
        return i, j, th, tw

    def __call__(self, img):
        if self.padding is not None:
            img = Pad(self.padding, self.fill, self.padding_mode)(img)
        w, h = _size(img)
        if self.pad_if_needed and w < self.size[1]:
            img = Pad([self.size[1] - w, 0], self.fill, self.padding_mode)(img)
        if self.pad_if_needed and h < self.size[0]:
            img = Pad([0, self.size[0] - h], self.fill, self.padding_mode)(img)
        i, j, h, w = self.get_params(img, self.size)
        return _crop(img, i, j, h, w)

    def __repr__(self):
        return f"{self.__class__.__name__}(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirror left-right with probability p."""

    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, img):
        if float(_random.rand(1).item()) < self.p:
            if _is_pil(img):
                return img.transpose(Image.FLIP_LEFT_RIGHT)
            return Tensor._make(np.ascontiguousarray(img._data[..., ::-1]))
        return img

    def __repr__(self):
        return f"{self.__class__.__name__}(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Mirror top-bottom with probability p."""

    def __call__(self, img):
        if float(_random.rand(1).item()) < self.p:
            if _is_pil(img):
                return img.transpose(Image.FLIP_TOP_BOTTOM)
            return Tensor._make(np.ascontiguousarray(img._data[..., ::-1, :]))
        return img


class RandomResizedCrop:
    """A random area/aspect-ratio crop resized to ``size`` (the ImageNet training crop)."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation="bilinear",
                 antialias=True):
        self.size, self.scale, self.ratio, self.interpolation, self.antialias = \
            _pair(size), scale, ratio, interpolation, antialias

    @staticmethod
    def get_params(img, scale, ratio):
        width, height = _size(img)
        area = height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        log_ratio = tuple(float(np.float32(v)) for v in log_ratio)
        for _ in range(10):
            target_area = area * _rand_uniform(scale[0], scale[1])
            aspect = math.exp(_rand_uniform(log_ratio[0], log_ratio[1]))
            aspect = float(np.float32(aspect))
            w = int(round(math.sqrt(target_area * aspect)))
            h = int(round(math.sqrt(target_area / aspect)))
            if 0 < w <= width and 0 < h <= height:
                return _randint(0, height - h + 1), _randint(0, width - w + 1), h, w
        in_ratio = float(width) / float(height)
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = height, int(round(height * max(ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def __call__(self, img):
        i, j, h, w = self.get_params(img, self.scale, self.ratio)
        return Resize(self.size, self.interpolation)(_crop(img, i, j, h, w))

    def __repr__(self):
        return (f"{self.__class__.__name__}(size={self.size}, scale={tuple(round(s, 4) for s in self.scale)}, "
                f"ratio={tuple(round(r, 4) for r in self.ratio)}, interpolation={_interp_name(self.interpolation)}, "
                f"antialias={self.antialias})")


class RandomRotation:
    """Rotate by an angle drawn uniformly from ``degrees`` (PIL images)."""

    def __init__(self, degrees, interpolation="nearest", expand=False, center=None, fill=0):
        self.degrees = (-degrees, degrees) if isinstance(degrees, numbers.Number) else tuple(degrees)
        self.interpolation, self.expand, self.center, self.fill = interpolation, expand, center, fill

    def __call__(self, img):
        angle = _rand_uniform(float(self.degrees[0]), float(self.degrees[1]))
        if not _is_pil(img):
            raise NotImplementedError("torchvision.transforms.RandomRotation of a tensor is not supported by ember; "
                                      "rotate PIL images")
        return img.rotate(angle, _PIL_MODES[_interp_name(self.interpolation)], self.expand, self.center,
                          fillcolor=self.fill)

    def __repr__(self):
        return (f"{self.__class__.__name__}(degrees={list(self.degrees)}, interpolation="
                f"{_interp_name(self.interpolation)}, expand={self.expand}, fill={self.fill})")


class ColorJitter:
    """Random brightness, contrast, saturation and hue changes, in a random order (PIL)."""

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        self.brightness = self._range(brightness, 1)
        self.contrast = self._range(contrast, 1)
        self.saturation = self._range(saturation, 1)
        self.hue = self._range(hue, 0, bound=0.5)

    @staticmethod
    def _range(value, center, bound=float("inf")):
        if isinstance(value, numbers.Number):
            if value < 0:
                raise ValueError("If value is a single number, it must be non negative.")
            value = [center - float(value), center + float(value)]
            if center == 1:
                value[0] = max(value[0], 0.0)
        if value[0] == value[1] == center:
            return None
        return tuple(value)

    def __call__(self, img):
        order = _random.randperm(4).tolist()
        b = None if self.brightness is None else _rand_uniform(*self.brightness)
        c = None if self.contrast is None else _rand_uniform(*self.contrast)
        s = None if self.saturation is None else _rand_uniform(*self.saturation)
        h = None if self.hue is None else _rand_uniform(*self.hue)
        if not _is_pil(img):
            raise NotImplementedError("torchvision.transforms.ColorJitter of a tensor is not supported by ember; "
                                      "use PIL images")
        for fn in order:
            if fn == 0 and b is not None:
                img = ImageEnhance.Brightness(img).enhance(b)
            elif fn == 1 and c is not None:
                img = ImageEnhance.Contrast(img).enhance(c)
            elif fn == 2 and s is not None:
                img = ImageEnhance.Color(img).enhance(s)
            elif fn == 3 and h is not None:
                hsv = np.array(img.convert("HSV"))
                hsv[..., 0] = (hsv[..., 0].astype(np.int16) + np.uint8(h * 255)).astype(np.uint8)
                img = Image.fromarray(hsv, "HSV").convert(img.mode)
        return img

    def __repr__(self):
        return (f"{self.__class__.__name__}(brightness={self.brightness}, contrast={self.contrast}, "
                f"saturation={self.saturation}, hue={self.hue})")


class Grayscale:
    """Convert to 1 (or 3 identical) grayscale channels."""

    def __init__(self, num_output_channels=1):
        self.num_output_channels = num_output_channels

    def __call__(self, img):
        if _is_pil(img):
            g = img.convert("L")
            return g if self.num_output_channels == 1 else Image.merge("RGB", (g, g, g))
        r, gch, b = img._data[0], img._data[1], img._data[2]
        gray = (0.2989 * r + 0.587 * gch + 0.114 * b).astype(img._data.dtype)[None]
        return Tensor._make(np.repeat(gray, self.num_output_channels, 0))

    def __repr__(self):
        return f"{self.__class__.__name__}(num_output_channels={self.num_output_channels})"


class Lambda:
    """Apply a user function."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return f"{self.__class__.__name__}()"


class ConvertImageDtype:
    """Convert a tensor image's dtype, rescaling values (uint8 255 <-> float 1.0)."""

    def __init__(self, dtype):
        self.dtype = dtype

    def __call__(self, image):
        src, dst = image._data.dtype, self.dtype.np
        if src == dst:
            return image
        if src.kind == "f" and dst.kind == "f":
            return Tensor._make(image._data.astype(dst))
        if src.kind == "f":
            m = np.iinfo(dst).max
            return Tensor._make((image._data * (m + 1.0 - 0.001)).astype(dst))
        if dst.kind == "f":
            return Tensor._make(image._data.astype(dst) / np.iinfo(src).max)
        a, b = np.iinfo(src).max, np.iinfo(dst).max
        return Tensor._make((image._data.astype(np.int64) * (b + 1) // (a + 1)).astype(dst) if b > a
                            else (image._data.astype(np.int64) // ((a + 1) // (b + 1))).astype(dst))

    def __repr__(self):
        return f"{self.__class__.__name__}()"


class RandomErasing:
    """With probability p, erase a random rectangle of a CHW tensor (with ``value``)."""

    def __init__(self, p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False):
        self.p, self.scale, self.ratio, self.value, self.inplace = p, scale, ratio, value, inplace

    def __call__(self, img):
        if float(_random.rand(1).item()) >= self.p:
            return img
        c, h, w = img._data.shape[-3:]
        area = h * w
        log_ratio = (math.log(self.ratio[0]), math.log(self.ratio[1]))
        log_ratio = tuple(float(np.float32(v)) for v in log_ratio)
        for _ in range(10):
            erase_area = area * _rand_uniform(self.scale[0], self.scale[1])
            aspect = float(np.float32(math.exp(_rand_uniform(log_ratio[0], log_ratio[1]))))
            eh = int(round(math.sqrt(erase_area * aspect)))
            ew = int(round(math.sqrt(erase_area / aspect)))
            if not (eh < h and ew < w):
                continue
            if self.value == "random":
                v = _random.randn(c, eh, ew, dtype=img.dtype)._data
            else:
                v = np.asarray(self.value, img._data.dtype)
            i = _randint(0, h - eh + 1)
            j = _randint(0, w - ew + 1)
            out = img._data if self.inplace else img._data.copy()
            out[..., i:i + eh, j:j + ew] = v
            return img if self.inplace else Tensor._make(out)
        return img


class RandomAffine:
    """Random rotation, translation, scale and shear (PIL images)."""

    def __init__(self, degrees, translate=None, scale=None, shear=None, interpolation="nearest", fill=0, center=None):
        self.degrees = (-degrees, degrees) if isinstance(degrees, numbers.Number) else tuple(degrees)
        self.translate, self.scale, self.shear = translate, scale, shear
        self.interpolation, self.fill, self.center = interpolation, fill, center

    def __call__(self, img):
        if not _is_pil(img):
            raise NotImplementedError("torchvision.transforms.RandomAffine of a tensor is not supported by ember")
        w, h = img.size
        angle = _rand_uniform(float(self.degrees[0]), float(self.degrees[1]))
        tx = ty = 0
        if self.translate is not None:
            tx = int(round(_rand_uniform(-self.translate[0] * w, self.translate[0] * w)))
            ty = int(round(_rand_uniform(-self.translate[1] * h, self.translate[1] * h)))
        s = _rand_uniform(self.scale[0], self.scale[1]) if self.scale is not None else 1.0
        shear_x = shear_y = 0.0
        if self.shear is not None:
            sh = (-self.shear, self.shear) if isinstance(self.shear, numbers.Number) else self.shear
            shear_x = _rand_uniform(sh[0], sh[1])
            if len(sh) == 4:
                shear_y = _rand_uniform(sh[2], sh[3])
        cx, cy = (w * 0.5, h * 0.5) if self.center is None else self.center
        rot, sx, sy = math.radians(angle), math.radians(shear_x), math.radians(shear_y)
        a = math.cos(rot - sy) / math.cos(sy)
        b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
        c = math.sin(rot - sy) / math.cos(sy)
        d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
        m = [d / s, -b / s, 0.0, -c / s, a / s, 0.0]
        m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx
        m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy
        return img.transform((w, h), Image.AFFINE, m, _PIL_MODES[_interp_name(self.interpolation)],
                             fillcolor=self.fill)

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torchvision.transforms")
