"""``save`` and ``load`` in PyTorch's own file format, so checkpoints move both ways.

A PyTorch checkpoint is an uncompressed zip archive::

    archive/data.pkl         the object, pickled (protocol 2); each tensor is pickled as a call
                             torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)
                             whose storage is a *persistent id* ('storage', torch.FloatStorage,
                             key, 'cpu', numel) naming a raw-bytes record
    archive/data/<key>       the storage's bytes, little-endian, aligned to 64 bytes
    archive/version, byteorder, .format_version, .storage_alignment, .data/serialization_id

Tensors that share memory (views) share one storage record, as in PyTorch.

PyTorch before 1.6 (and ``torch.save(..., _use_new_zipfile_serialization=False)`` today)
wrote the *legacy* format instead: five pickles in a row -- a magic number, the protocol
version 1001, a dict describing the machine (byte order, C type sizes), the object itself
(storages as persistent ids ('storage', type, key, location, numel, None)), and the sorted
list of storage keys -- followed, for each key in that order, by the storage's element count
as an 8-byte integer and its raw bytes. Both formats are read and written.

Loading never runs code from the file: the unpickler resolves only a fixed list of names
(tensor rebuilders, storage types, dtypes, ``OrderedDict``, a few builtins, and whatever the
user allows with ``add_safe_globals``); anything else is refused with ``pickle.UnpicklingError``.
Saving to a path is atomic: the archive is written to a temporary file in the same folder
and renamed over the target only when complete.
"""
import collections
import importlib
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

    def __init__(self, file, protocol, legacy=False):
        super().__init__(file, protocol)
        self.storages = {}  # id(root array) -> _Storage
        self.legacy = legacy  # the legacy format's storage ids carry a sixth field (view metadata)

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
            pid = ("storage", _STORAGE_GLOBALS[_STORAGE_NAMES[obj.dtype.name]], obj.key, "cpu", obj.array.size)
            return pid + (None,) if self.legacy else pid
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
            _write_record(zf, f"{name}/data/{st.key}", _little_endian(st.array).tobytes())
        _write_record(zf, f"{name}/version", b"3\n")
        _write_record(zf, f"{name}/.data/serialization_id", str(secrets.randbits(128)).zfill(40)[:40].encode())


_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL = 1001
_SYS_INFO = {"protocol_version": _LEGACY_PROTOCOL, "little_endian": True,
             "type_sizes": {"short": 2, "int": 4, "long": 4}}  # what PyTorch records


def _little_endian(arr):
    return np.ascontiguousarray(arr if arr.dtype.byteorder != ">" else arr.byteswap())


def _write_legacy(obj, fileobj, protocol):
    for header in (_LEGACY_MAGIC, _LEGACY_PROTOCOL, _SYS_INFO):
        pickle.dump(header, fileobj, protocol=protocol)
    pickler = _Pickler(fileobj, protocol, legacy=True)
    pickler.dump(obj)
    storages = sorted(pickler.storages.values(), key=lambda st: st.key)
    pickle.dump([st.key for st in storages], fileobj, protocol=protocol)
    for st in storages:
        fileobj.write(struct.pack("<q", st.array.size))
        fileobj.write(_little_endian(st.array).tobytes())


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Write ``obj`` (tensors, state dicts, nested containers) to ``f`` in PyTorch's format.

    ``f`` is a path (written atomically: a crash never leaves a half-written file) or a
    writable binary file object. ``_use_new_zipfile_serialization=False`` writes the legacy
    format (see the module docstring) that PyTorch before 1.6 reads."""
    def write(fileobj, name):
        if _use_new_zipfile_serialization:
            _write_archive(obj, fileobj, name, pickle_protocol)
        else:
            _write_legacy(obj, fileobj, pickle_protocol)

    if isinstance(f, (str, os.PathLike)):
        path = os.fspath(f)
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise RuntimeError(f"Parent directory {folder} does not exist.")
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                write(out, _archive_name(path))
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    else:
        write(f, "archive")


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
for _n in ("ComplexFloatStorage", "ComplexDoubleStorage"):
    _SAFE[("torch", _n)] = _missing("torch." + _n)


class _BFloat16Storage:
    """bfloat16 has no NumPy dtype, so its storages load as float32. A bfloat16 is the top
    16 bits of a float32 (same sign and exponent, 7 of the 23 mantissa bits), so shifting
    each value 16 bits left gives the float32 of exactly the same value."""

    itemsize = 2
    np = np.dtype(np.float32)


_BFLOAT16 = _BFloat16Storage()
_SAFE[("torch", "BFloat16Storage")] = _BFLOAT16


def _decode(kind, buf, numel, offset=0):
    """``numel`` values of storage type ``kind`` from little-endian bytes, as a new array."""
    if kind is _BFLOAT16:
        return (np.frombuffer(buf, "<u2", numel, offset).astype(np.uint32) << 16).view(np.float32)
    return np.frombuffer(buf, kind.np.newbyteorder("<"), numel, offset).astype(kind.np, copy=True)
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


def _refused(message):
    """pickle.UnpicklingError (PyTorch's type) for a global ember will not or cannot resolve,
    marked so that ``_guarded`` passes it on instead of calling the file damaged."""
    e = pickle.UnpicklingError(message)
    e.refused_global = True
    return e


class _Unpickler(pickle.Unpickler):
    """Rebuilds data only. ``records(key)`` returns a storage's bytes (zip format); without it
    (legacy format) each storage is allocated empty when first named, filled after the pickle."""

    def __init__(self, file, records=None, max_bytes=0):
        super().__init__(file)
        self.records = records
        self.max_bytes = max_bytes  # legacy format: no storage can be larger than the file
        self.loaded = {}

    def find_class(self, module, name):
        key = (module, name)
        if key in _SAFE:
            return _SAFE[key]
        if key in _user_safe:
            return _user_safe[key]
        raise _refused(
            f"Weights only load failed: this checkpoint refers to the global '{module}.{name}', which ember "
            "does not load because unpickling it could run arbitrary code. If you trust the file, load it with "
            f"weights_only=False, or allow this one name with ember.serialization.add_safe_globals([{name}]).")

    def persistent_load(self, pid):
        if self.records is None and isinstance(pid, tuple) and len(pid) == 4 and pid[0] == "module":
            # legacy format: a module class with its source, for PyTorch's source-change
            # warning; the class itself already passed find_class
            return pid[1]
        size = 5 if self.records is not None else 6
        if not (isinstance(pid, tuple) and len(pid) == size and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"invalid checkpoint: unknown persistent id {pid!r}")
        _, dt, key, location, numel = pid[:5]
        if not isinstance(dt, (_dtype.dtype, _BFloat16Storage)) or not isinstance(numel, int) or numel < 0:
            raise pickle.UnpicklingError(f"invalid checkpoint: storage {pid!r} is not a storage")
        if size == 6 and pid[5] is not None:
            raise NotImplementedError("torch.load: legacy checkpoints with storage views (written by PyTorch "
                                      "before 0.4) are not supported")
        if key not in self.loaded and self.records is None:
            if numel * dt.itemsize > self.max_bytes:
                raise RuntimeError(f"invalid checkpoint: storage {key} claims {numel} elements, more than the file holds")
            self.loaded[key] = (np.empty(numel, dt.np), dt)  # filled after the pickle
        elif key not in self.loaded:
            raw = self.records(f"data/{key}")
            if len(raw) < numel * dt.itemsize:
                raise RuntimeError(f"invalid checkpoint: storage {key} holds {len(raw)} bytes, expected "
                                   f"{numel * dt.itemsize}")
            self.loaded[key] = (_decode(dt, raw, numel), dt)
        return self.loaded[key]


class _TrustingUnpickler(_Unpickler):
    """``load(weights_only=False)``: any global the file names is imported, as plain pickle
    does -- which runs whatever code the file asks for, so only for files the user trusts.
    Names under ``torch``/``torchvision`` resolve to ember's modules of the same path, so a
    whole model pickled by PyTorch comes back as the ember model of the same classes."""

    def find_class(self, module, name):
        if (module, name) in _SAFE or (module, name) in _user_safe:
            return super().find_class(module, name)
        from .compat import ember_name
        try:
            obj = importlib.import_module(ember_name(module) or module)
            for part in name.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError) as e:
            raise _refused(f"the checkpoint refers to {module}.{name}, which cannot be imported "
                                         f"({type(e).__name__}: {e})") from None
        return obj


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Read an object written by ``ember.save`` or ``torch.save``.

    By default (``weights_only=None`` or ``True``, as in PyTorch 2.6 and later) only data is
    rebuilt (tensors, containers, numbers, strings, and what ``add_safe_globals`` allows); a
    file that asks for any other Python object is refused with ``pickle.UnpicklingError``, and
    a damaged file raises ``RuntimeError``. ``weights_only=False`` unpickles everything, like
    ``pickle.load``: only for files from a source you trust."""
    if map_location is not None and not callable(map_location) and not isinstance(map_location, dict):
        check_available(map_location)
    unpickler = _TrustingUnpickler if weights_only is False else _Unpickler
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            blob = fh.read()
    else:
        blob = f.read()
    if blob[:2] != b"PK":
        if blob[:1] == b"\x80":  # a pickle protocol opcode: the legacy format
            return _guarded(lambda: _load_legacy(blob, unpickler))
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
    return _guarded(lambda: unpickler(io.BytesIO(record("data.pkl")), record).load())


def _guarded(read):
    """``read()``, with every way a damaged file can fail reported as one clear error."""
    try:
        return read()
    except pickle.UnpicklingError as e:
        if getattr(e, "refused_global", False):
            raise
        raise RuntimeError(f"invalid checkpoint: the pickled data could not be read (UnpicklingError: {e})") from None
    except (EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError, struct.error,
            MemoryError) as e:  # MemoryError: a damaged length field asking the unpickler for exabytes
        raise RuntimeError(f"invalid checkpoint: the pickled data could not be read ({type(e).__name__}: {e})") from None


def _load_legacy(blob, unpickler_cls):
    f = io.BytesIO(blob)
    if _Unpickler(f).load() != _LEGACY_MAGIC:
        raise RuntimeError("invalid checkpoint: the file starts with a pickle but is not a PyTorch checkpoint "
                           "(wrong magic number)")
    if _Unpickler(f).load() != _LEGACY_PROTOCOL:
        raise RuntimeError("invalid checkpoint: unsupported legacy protocol version")
    info = _Unpickler(f).load()
    if not isinstance(info, dict) or not info.get("little_endian", True):
        raise NotImplementedError("torch.load: legacy checkpoints written on big-endian machines are not supported")
    unpickler = unpickler_cls(f, max_bytes=len(blob))
    obj = unpickler.load()
    keys = _Unpickler(f).load()
    if not isinstance(keys, list) or set(keys) != set(unpickler.loaded):
        raise RuntimeError("invalid checkpoint: the list of storages does not match the pickled object")
    pos = f.tell()
    for key in keys:
        arr, dt = unpickler.loaded[key]
        (numel,) = struct.unpack_from("<q", blob, pos)
        nbytes = numel * dt.itemsize
        if numel != arr.size or pos + 8 + nbytes > len(blob):
            raise RuntimeError(f"invalid checkpoint: storage {key} is truncated or has the wrong size")
        arr[...] = _decode(dt, blob, numel, pos + 8)
        pos += 8 + nbytes
    return obj
