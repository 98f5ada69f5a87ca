"""The safetensors format: an 8-byte little-endian header length, a JSON header
``{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}``,
then the tensors' raw little-endian bytes. It holds only data, so loading can never run code.
"""
import json
import os
import struct
import tempfile

import numpy as np

from . import _dtype
from ._tensor import Tensor

_CODES = {"float32": "F32", "float64": "F64", "float16": "F16", "int64": "I64", "int32": "I32", "int16": "I16",
          "int8": "I8", "uint8": "U8", "bool": "BOOL"}
_FROM_CODE = {v: _dtype._BY_NAME[k] for k, v in _CODES.items()}


def save_safetensors(tensors, filename, metadata=None):
    """Write a ``{name: tensor}`` dict (atomically, like ``ember.save``)."""
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        if not isinstance(t, Tensor):
            raise TypeError(f"safetensors stores tensors only; '{name}' is a {type(t).__name__}")
        raw = np.ascontiguousarray(t._data).astype(t._data.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _CODES[t.dtype.name], "shape": list(t._data.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # keep the data 8-byte aligned
    folder = os.path.dirname(os.path.abspath(filename))
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text)
            for c in chunks:
                f.write(c)
        os.replace(tmp, filename)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_safetensors(filename):
    """Read a safetensors file into a ``{name: tensor}`` dict; damaged files raise RuntimeError."""
    with open(filename, "rb") as f:
        blob = f.read()
    try:
        (n,) = struct.unpack("<Q", blob[:8])
        header = json.loads(blob[8:8 + n])
        out = {}
        for name, info in header.items():
            if name == "__metadata__":
                continue
            d = _FROM_CODE[info["dtype"]]
            begin, end = info["data_offsets"]
            arr = np.frombuffer(blob[8 + n + begin:8 + n + end], dtype=d.np.newbyteorder("<"))
            out[name] = Tensor._make(arr.astype(d.np).reshape(info["shape"]))
        return out
    except (struct.error, ValueError, KeyError, TypeError) as e:
        raise RuntimeError(f"invalid safetensors file {filename}: {type(e).__name__}: {e}") from None
