"""``save`` and ``load`` in PyTorch's own file format, so checkpoints move both ways.

A PyTorch checkpoint is an uncompressed zip archive::

    archive/data.pkl         the object, pickled (protocol 2); each tensor is pickled as a call
                             torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)
                             whose storage is a *persistent id* ('storage', torch.FloatStorage,
                             key, 'cpu', numel) naming a raw-bytes record
    archive/data/<key>       the storage's bytes, little-endian, aligned to 64 bytes
    archive/version, byteorder, .format_version, .storage_alignment, .data/serialization_id

Tensors that share memory (views) share one storage record, as in PyTorch.

Loading never runs code from the file: the unpickler resolves only a fixed list of names
(tensor rebuilders, storage types, dtypes, ``OrderedDict``, a few builtins, and whatever the
user allows with ``add_safe_globals``); anything else is refused with ``pickle.UnpicklingError``.
Saving to a path is atomic: the archive is written to a temporary file in the same folder
and renamed over the target only when complete.
"""
import collections
import io
import os
import pickle
import secrets
import struct
import tempfile
import types
import zipfile

import numpy as np

from . import _dtype
from ._device import device as _device_cls, check_available
from ._size import Size
from ._tensor import Tensor

_STORAGE_NAMES = {
    "float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage", "int64": "LongStorage",
    "int32": "IntStorage", "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage",
    "bool": "BoolStorage",
}
_STORAGE_DTYPES = {v: _dtype._BY_NAME[k] for k, v in _STORAGE_NAMES.items()}
_ALIGNMENT = 64


# --- writing ------------------------------------------------------------------------------------
def _global(module, name):
    """A stand-in that pickles as the global ``module.name`` (a name in torch's namespace)."""
    def stub(*args):
        raise RuntimeError(f"{module}.{name} is a pickling marker")
    stub.__module__, stub.__qualname__, stub.__name__ = module, name, name
    return stub


_REBUILD_TENSOR = _global("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = _global("torch._utils", "_rebuild_parameter")
_SIZE = _global("torch", "Size")
_DEVICE = _global("torch", "device")
_STORAGE_GLOBALS = {name: _global("torch", name) for name in _STORAGE_NAMES.values()}
_DTYPE_GLOBALS = {d.name: _global("torch", d.name) for d in _dtype.ALL}
_MARKERS = {id(f): f for f in [_REBUILD_TENSOR, _REBUILD_PARAMETER, _SIZE, _DEVICE,
                               *_STORAGE_GLOBALS.values(), *_DTYPE_GLOBALS.values()]}


class _Storage:
    """One block of memory to write as ``data/<key>``."""

    __slots__ = ("key", "array", "dtype")

    def __init__(self, key, array, dtype):
        self.key, self.array, self.dtype = key, array, dtype


def _root(arr):
    while isinstance(arr.base, np.ndarray):
        arr = arr.base
    return arr


class _Pickler(pickle._Pickler):
    """Pickles ember objects as PyTorch pickles its own (see the module docstring)."""

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.storages = {}  # id(root array) -> _Storage

    def _storage_of(self, t):
        """The storage holding ``t`` and t's (offset, strides) in elements within it."""
        a = t._data
        root = _root(a)
        item = a.itemsize
        ok = (root.dtype == a.dtype and root.flags.c_contiguous and all(s >= 0 for s in a.strides)
              and all(s % item == 0 for s in a.strides))
        if ok:
            offset = (a.__array_interface__["data"][0] - root.__array_interface__["data"][0])
            ok = offset % item == 0
        if not ok:  # memory no strided view of one contiguous block describes: save a copy
            root = a = np.ascontiguousarray(a)
            offset = 0
        st = self.storages.get(id(root))
        if st is None:
            st = self.storages[id(root)] = _Storage(str(len(self.storages)), root, t.dtype)
        return st, offset // item, tuple(s // item for s in a.strides)

    def persistent_id(self, obj):
        if obj.__class__ is _Storage:
            return ("storage", _STORAGE_GLOBALS[_STORAGE_NAMES[obj.dtype.name]], obj.key, "cpu", obj.array.size)
        return None

    def reducer_override(self, obj):
        from .nn.parameter import Parameter
        cls = obj.__class__
        if cls is Parameter:
            plain = Tensor._make(obj._data)
            return _REBUILD_PARAMETER, (plain, obj._requires_grad, collections.OrderedDict())
        if isinstance(obj, Tensor):
            st, offset, strides = self._storage_of(obj)
            return _REBUILD_TENSOR, (st, offset, tuple(obj._data.shape), strides, obj._requires_grad,
                                     collections.OrderedDict())
        if cls is Size:
            return _SIZE, (tuple(obj),)
        if cls is _device_cls:
            return _DEVICE, (str(obj),)
        return NotImplemented

    def save_global(self, obj, name=None):
        if obj.__class__ is _dtype.dtype:
            obj = _DTYPE_GLOBALS[obj.name]
        if id(obj) in _MARKERS:
            self.write(pickle.GLOBAL + f"{obj.__module__}\n{obj.__name__}\n".encode())
            self.memoize(obj)
            return
        super().save_global(obj, name)

    dispatch = dict(pickle._Pickler.dispatch)
    dispatch[_dtype.dtype] = save_global
    dispatch[types.FunctionType] = save_global


def _write_record(zf, name, data):
    """Add a stored (uncompressed) record whose data starts on a 64-byte boundary."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    header = 30 + len(name.encode())
    offset = zf.fp.tell()
    pad = (-(offset + header + 4)) % _ALIGNMENT
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    zf.writestr(info, data)


def _archive_name(f):
    if isinstance(f, (str, os.PathLike)):
        base = os.path.basename(os.fspath(f))
        stem = os.path.splitext(base)[0]
        return stem or "archive"
    return "archive"


def _write_archive(obj, fileobj, name, protocol):
    buf = io.BytesIO()
    pickler = _Pickler(buf, protocol)
    pickler.dump(obj)
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED) as zf:
        _write_record(zf, f"{name}/data.pkl", buf.getvalue())
        _write_record(zf, f"{name}/.format_version", b"1")
        _write_record(zf, f"{name}/.storage_alignment", str(_ALIGNMENT).encode())
        _write_record(zf, f"{name}/byteorder", b"little")
        for st in pickler.storages.values():
            arr = st.array if st.array.dtype.byteorder != ">" else st.array.byteswap()
            _write_record(zf, f"{name}/data/{st.key}", np.ascontiguousarray(arr).tobytes())
        _write_record(zf, f"{name}/version", b"3\n")
        _write_record(zf, f"{name}/.data/serialization_id", str(secrets.randbits(128)).zfill(40)[:40].encode())


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Write ``obj`` (tensors, state dicts, nested containers) to ``f`` in PyTorch's format.

    ``f`` is a path (written atomically: a crash never leaves a half-written file) or a
    writable binary file object."""
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("torch.save(_use_new_zipfile_serialization=False): ember writes only the "
                                  "zip format")
    if isinstance(f, (str, os.PathLike)):
        path = os.fspath(f)
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise RuntimeError(f"Parent directory {folder} does not exist.")
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                _write_archive(obj, out, _archive_name(path), pickle_protocol)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    else:
        _write_archive(obj, f, "archive", pickle_protocol)


# --- reading ------------------------------------------------------------------------------------
def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None):
    arr, dt = storage
    item = arr.itemsize
    size, stride = tuple(size), tuple(stride)
    if size:
        last = storage_offset + sum((s - 1) * st for s, st in zip(size, stride)) if all(size) else storage_offset - 1
    else:
        last = storage_offset
    if storage_offset < 0 or last >= arr.size or any(s < 0 for s in size + stride):
        raise RuntimeError(f"invalid checkpoint: a tensor of size {list(size)} and stride {list(stride)} at offset "
                           f"{storage_offset} does not fit in its storage of {arr.size} elements")
    view = np.lib.stride_tricks.as_strided(arr[storage_offset:] if arr.size else arr, size,
                                           tuple(s * item for s in stride))
    t = Tensor._make(view)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks, state=None):
    from .nn.parameter import Parameter
    return Parameter(data, requires_grad)


def _missing(name):
    def refuse(*args):
        raise NotImplementedError(f"{name}: this checkpoint uses a feature ember does not support")
    return refuse


_SAFE = {
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
    ("torch", "Size"): Size,
    ("torch", "device"): _device_cls,
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("builtins", "set"): set, ("__builtin__", "set"): set,
    ("builtins", "frozenset"): frozenset, ("__builtin__", "frozenset"): frozenset,
    ("builtins", "slice"): slice, ("__builtin__", "slice"): slice,
    ("_codecs", "encode"): lambda s, enc="utf-8": s.encode(enc),
}
_SAFE.update({("torch", n): d for n, d in _STORAGE_DTYPES.items()})
_SAFE.update({("torch", d.name): d for d in _dtype.ALL})
for _n in ("BFloat16Storage", "ComplexFloatStorage", "ComplexDoubleStorage"):
    _SAFE[("torch", _n)] = _missing("torch." + _n)
_user_safe = {}


def add_safe_globals(safe_globals):
    """Allow ``load`` to resolve these classes/functions (``(obj, 'module.name')`` pairs or
    objects) when a checkpoint names them — only do this for code you trust."""
    for g in safe_globals:
        obj, name = g if isinstance(g, tuple) else (g, f"{g.__module__}.{g.__qualname__}")
        module, _, attr = name.rpartition(".")
        _user_safe[(module, attr)] = obj


def get_safe_globals():
    return list(_user_safe.values())


def clear_safe_globals():
    _user_safe.clear()


class _Refused(pickle.UnpicklingError):
    """A checkpoint named a global that ember will not resolve."""


class _Unpickler(pickle.Unpickler):
    def __init__(self, data, records):
        super().__init__(io.BytesIO(data))
        self.records = records
        self.loaded = {}

    def find_class(self, module, name):
        key = (module, name)
        if key in _SAFE:
            return _SAFE[key]
        if key in _user_safe:
            return _user_safe[key]
        raise _Refused(
            f"Weights only load failed: this checkpoint refers to the global '{module}.{name}', which ember "
            "does not load because unpickling it could run arbitrary code. If you trust the file, allow it with "
            f"ember.serialization.add_safe_globals([{name}]).")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"invalid checkpoint: unknown persistent id {pid!r}")
        _, dt, key, location, numel = pid
        if not isinstance(dt, _dtype.dtype):
            raise pickle.UnpicklingError(f"invalid checkpoint: storage type {dt!r} is not a storage type")
        if key not in self.loaded:
            raw = self.records(f"data/{key}")
            if len(raw) < numel * dt.itemsize:
                raise RuntimeError(f"invalid checkpoint: storage {key} holds {len(raw)} bytes, expected "
                                   f"{numel * dt.itemsize}")
            arr = np.frombuffer(raw, dtype=dt.np.newbyteorder("<"), count=numel).astype(dt.np, copy=True)
            self.loaded[key] = (arr, dt)
        return self.loaded[key]


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Read an object written by ``ember.save`` or ``torch.save``.

    Only data is rebuilt (tensors, containers, numbers, strings); a file that asks for any
    other Python object is refused, and a damaged file raises ``RuntimeError``."""
    if map_location is not None and not callable(map_location) and not isinstance(map_location, dict):
        check_available(map_location)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            blob = fh.read()
    else:
        blob = f.read()
    if blob[:2] != b"PK":
        if blob[:2] == b"\x80\x02" or blob[:1] == b"\x80":
            raise RuntimeError("ember.load reads only the zip checkpoint format (PyTorch 1.6 and later); this file "
                               "uses the legacy format. Re-save it with a recent PyTorch.")
        raise RuntimeError("PytorchStreamReader failed reading zip archive: failed finding central directory "
                           "(the file is not a PyTorch checkpoint, or it is truncated)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(blob))
        names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise RuntimeError(f"PytorchStreamReader failed reading zip archive: {e}") from None
    pkl = [n for n in names if n.endswith("/data.pkl") and n.count("/") == 1]
    if not pkl:
        raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
    prefix = pkl[0][:-len("data.pkl")]

    def record(name):
        try:
            return zf.read(prefix + name)
        except KeyError:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found") from None
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: {e}") from None

    if prefix + "byteorder" in names and record("byteorder") not in (b"little", b"big"):
        raise RuntimeError("invalid checkpoint: unknown byteorder record")
    try:
        return _Unpickler(record("data.pkl"), record).load()
    except _Refused:
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError, struct.error) as e:
        raise RuntimeError(f"invalid checkpoint: data.pkl could not be read ({type(e).__name__}: {e})") from None
