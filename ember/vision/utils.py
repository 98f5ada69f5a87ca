"""``make_grid`` and ``save_image`` (torchvision.utils)."""
import math

import numpy as np

from .._tensor import Tensor


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False, pad_value=0.0):
    """Tile a (B, C, H, W) batch into one (C, H', W') image, ``nrow`` images per row,
    separated by ``padding`` pixels of ``pad_value``."""
    if isinstance(tensor, (list, tuple)):
        a = np.stack([t._data for t in tensor])
    else:
        a = tensor.detach()._data
    if a.ndim == 2:
        a = a[None]
    if a.ndim == 3:
        a = a[None] if a.shape[0] in (1, 3) else a[:, None]
    if a.shape[1] == 1:
        a = np.concatenate([a, a, a], 1)
    a = a.astype(np.float32) if a.dtype.kind != "f" else a.copy()
    if normalize:
        def norm(x, lo, hi):
            np.clip(x, lo, hi, out=x)
            x -= lo
            x /= max(hi - lo, 1e-5)
        if scale_each:
            for img in a:
                norm(img, *(value_range or (float(img.min()), float(img.max()))))
        else:
            norm(a, *(value_range or (float(a.min()), float(a.max()))))
    if a.shape[0] == 1:
        return Tensor._make(a[0])
    n = a.shape[0]
    xmaps = min(nrow, n)
    ymaps = int(math.ceil(float(n) / xmaps))
    h, w = a.shape[2] + padding, a.shape[3] + padding
    grid = np.full((a.shape[1], h * ymaps + padding, w * xmaps + padding), pad_value, a.dtype)
    for k in range(n):
        y, x = divmod(k, xmaps)
        grid[:, y * h + padding:(y + 1) * h, x * w + padding:(x + 1) * w] = a[k]
    return Tensor._make(grid)


def save_image(tensor, fp, format=None, **kwargs):
    """Write a tensor (or batch, tiled with make_grid) as an image file (needs pillow)."""
    from PIL import Image
    grid = make_grid(tensor, **kwargs)._data
    arr = np.clip(grid * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0)
    Image.fromarray(arr).save(fp, format=format)
