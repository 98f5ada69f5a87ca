"""``Tensor``: one NumPy array plus the metadata autograd needs.

A tensor is ``_data`` (an ``ndarray`` that views share, exactly as PyTorch views share
storage) and a few slots: ``_requires_grad``, ``_grad``, ``grad_fn`` and ``_output_nr``
(which output of ``grad_fn`` this tensor is), ``_vc`` (the version counter, a one-element
list shared by a tensor and all its views and bumped by every in-place op), ``_base`` (the
tensor this one is a view of) and ``_meta`` (a dict, made on first use, for the rare extras:
hooks, the leaf's gradient accumulator, ``retain_grad``).

The operations themselves live in ``ember/_ops``; each op module attaches its methods to
this class, so this file holds only what is about the tensor object itself.
"""
import operator

import numpy as np

from . import _dtype
from ._device import CPU, check_available, to_device
from ._size import Size
from .autograd import grad_mode

_new = object.__new__
_grad = grad_mode._state


class Tensor:
    """A multi-dimensional array that can record the operations applied to it."""

    # _view: for a view that autograd tracks, (the version of its memory when its grad_fn
    # was set, how it was created: None, "no_grad", or (op name, output number) for a piece
    # of a multi-output view op); None otherwise
    __slots__ = ("_data", "_requires_grad", "_grad", "_grad_fn", "_output_nr", "_vc", "_base",
                 "_meta", "_view", "__weakref__")
    # NumPy defers to our reflected operators (ndarray * Tensor -> Tensor), and a NumPy
    # function applied to a tensor computes on its array and wraps the result back
    # (``__array_wrap__``), as with PyTorch's tensors
    __array_priority__ = 1000

    def __init__(self, *args, device=None):
        # The legacy constructor: Tensor(2, 3) is uninitialised, Tensor([1, 2]) copies data,
        # Tensor() is empty. It always gives the default floating dtype.
        check_available(device)
        d = _dtype.get_default_dtype().np
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            a = args[0]
            if isinstance(a, Tensor):
                arr = a._data
                if arr.dtype != d:
                    raise TypeError(f"expected {_legacy_type_name_of(d)} (got {_legacy_type_name(a)})")
            elif isinstance(a, Size):
                arr = np.empty(tuple(a), d)
            else:
                arr = np.array(a, dtype=d)
        else:
            arr = np.zeros(_shape_arg(args) if args else (0,), d)
        self._data = arr
        self._requires_grad = False
        self._grad = None
        self._grad_fn = None
        self._view = None
        self._output_nr = 0
        self._vc = [0]
        self._base = None
        self._meta = None

    @staticmethod
    def _make(arr):
        """Wrap an ndarray without copying (the internal, fast constructor)."""
        t = _new(Tensor)
        t._data = arr
        t._requires_grad = False
        t._grad = None
        t._grad_fn = None
        t._view = None
        t._output_nr = 0
        t._vc = [0]
        t._base = None
        t._meta = None
        return t

    def _alias(self):
        """A new tensor object on the same array and version counter, with no history."""
        t = Tensor._make(self._data)
        t._vc = self._vc
        t._base = self if self._base is None else self._base
        return t

    @property
    def grad_fn(self):
        """The node that made this tensor (None for a leaf). A view whose memory was changed
        in place since (through its base or another view) gets a new one on first look, as
        in PyTorch: its values are now a region of the base's new values (``regenerate``)."""
        view = self._view
        if view is not None and view[0] != self._vc[0] and self._base._requires_grad:
            from ._ops.views import regenerate
            regenerate(self)
        return self._grad_fn

    @grad_fn.setter
    def grad_fn(self, fn):
        self._grad_fn = fn
        if self._view is not None:
            self._view = (self._vc[0], self._view[1])

    def _meta_dict(self):
        m = self._meta
        if m is None:
            m = self._meta = {}
        return m

    # --- basic properties ------------------------------------------------------------------
    @property
    def dtype(self):
        return _dtype._BY_NP[self._data.dtype]

    @property
    def shape(self):
        return _size(self._data.shape)

    def size(self, dim=None):
        """The shape, or the length of one dimension."""
        if dim is None:
            return _size(self._data.shape)
        return self._data.shape[self._dim_arg("size", dim)]

    def _dim_arg(self, fname, dim):
        """``dim`` of ``size(dim)`` or ``stride(dim)`` as an index into the shape, with
        PyTorch's errors: it must be an int, and a 0-d tensor has no dims at all."""
        if dim.__class__ is not int:
            from ._ops._arguments import is_int, tp_name
            if not is_int(dim):
                raise TypeError(f"{fname}(): argument 'dim' (position 1) must be int, not {tp_name(dim)}")
            dim = operator.index(dim)
        if not self._data.ndim:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        from ._ops._util import normalize_dim
        return normalize_dim(dim, self._data.ndim)

    @property
    def device(self):
        return CPU

    @property
    def is_cuda(self):
        return False

    @property
    def is_cpu(self):
        return True

    @property
    def is_sparse(self):
        return False

    @property
    def is_quantized(self):
        return False

    @property
    def is_meta(self):
        return False

    @property
    def layout(self):
        from . import strided
        return strided

    @property
    def ndim(self):
        return self._data.ndim

    # These methods take no arguments; like PyTorch's built-in ones they say so in CPython's
    # words for a built-in method (``_no_arguments``).
    def dim(self, *args):
        if args:
            raise _no_arguments("dim", args)
        return self._data.ndim

    def ndimension(self, *args):
        if args:
            raise _no_arguments("ndimension", args)
        return self._data.ndim

    def numel(self, *args):
        if args:
            raise _no_arguments("numel", args)
        return self._data.size

    def nelement(self, *args):
        if args:
            raise _no_arguments("nelement", args)
        return self._data.size

    def element_size(self, *args):
        if args:
            raise _no_arguments("element_size", args)
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    def stride(self, dim=None):
        """Strides in elements, as PyTorch counts them (NumPy counts bytes)."""
        a = self._data
        if a.size == 0 and not any(a.strides):
            # a new empty array has strides of 0 in NumPy; PyTorch gives the row-major strides
            # it would have, counting each empty dim as size 1 (an empty slice of a non-empty
            # array keeps its strides in both)
            s, n = [], 1
            for size in reversed(a.shape):
                s.append(n)
                n *= max(size, 1)
            s = tuple(reversed(s))
        else:
            item = a.itemsize
            s = tuple(st // item for st in a.strides)
        if dim is None:
            return s
        return s[self._dim_arg("stride", dim)]

    def storage_offset(self, *args, **kwargs):
        """How many elements into its base's memory this tensor starts."""
        if args or kwargs:
            raise _no_arguments("storage_offset", args, kwargs)
        off = self._data.__array_interface__["data"][0] - _root(self._data).__array_interface__["data"][0]
        return off // self._data.itemsize

    def data_ptr(self, *args, **kwargs):
        if args or kwargs:
            raise _no_arguments("data_ptr", args, kwargs)
        if self._data.size == 0 and _root(self._data).nbytes == 0:
            return 0  # a tensor with no memory at all (NumPy still gives it an address)
        return self._data.__array_interface__["data"][0]

    def is_contiguous(self, *args, memory_format=None, **kwargs):
        if args or kwargs or memory_format is not None:
            _check_memory_format("is_contiguous", args, kwargs, memory_format)
        a = self._data
        if a.flags.c_contiguous:
            return True
        # NumPy and PyTorch disagree only on size-1 dims, whose strides don't matter
        expected = 1
        for size, st in zip(reversed(a.shape), reversed(a.strides)):
            if size != 1 and st != expected * a.itemsize:
                return False
            expected *= size
        return True

    def is_floating_point(self, *args):
        if args:
            raise _no_arguments("is_floating_point", args)
        return self._data.dtype.kind == "f"

    def is_complex(self, *args, **kwargs):
        if args or kwargs:
            raise _no_arguments("is_complex", args, kwargs)
        return False

    def is_signed(self, *args, **kwargs):
        if args or kwargs:
            raise _no_arguments("is_signed", args, kwargs)
        return self.dtype.is_signed

    @property
    def _version(self):
        return self._vc[0]

    @property
    def _base_tensor(self):
        return self._base

    # --- autograd metadata -----------------------------------------------------------------
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        # (PyTorch's setter and requires_grad_() check the same things with different words)
        if value.__class__ is not bool:
            raise RuntimeError("requires_grad must be a bool")
        if self.grad_fn is not None:  # not even True, which requires_grad_() lets pass
            raise RuntimeError(_LEAF_ONLY if value else _LEAF_ONLY + _USE_DETACH)
        if value and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = value

    def requires_grad_(self, *args, **kwargs):
        """Set ``requires_grad`` in place and return ``self``."""
        requires_grad = _requires_grad_arg(args, kwargs) if args or kwargs else True
        if self.grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(_LEAF_ONLY + _USE_DETACH)
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def grad(self):
        if self.grad_fn is not None and self._grad is None and not self.retains_grad:
            import warnings
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
                "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
                "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
                "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
                "instead.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(f"attempting to assign a gradient with dtype '{value.dtype}' to a tensor "
                                   f"with dtype '{self.dtype}'. Please ensure that the gradient and the "
                                   "tensor have the same dtype")
            if value._data.shape != self._data.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self):
        return self._meta is not None and self._meta.get("retains_grad", False)

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self.retains_grad:
            return
        import weakref
        fn = self.grad_fn
        if fn._retain is None:
            fn._retain = {}
        fn._retain[self._output_nr] = weakref.ref(self)
        self._meta_dict()["retains_grad"] = True

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from .autograd.function import _RemovableHandle
        if self.grad_fn is None:
            hooks = self._meta_dict().setdefault("hooks", {})
        else:
            fn = self.grad_fn
            if fn._tensor_hooks is None:
                fn._tensor_hooks = {}
            hooks = fn._tensor_hooks.setdefault(self._output_nr, {})
        key = object()
        hooks[key] = hook
        return _RemovableHandle(hooks, key)

    def register_post_accumulate_grad_hook(self, hook):
        """``hook(tensor)`` runs after a leaf's ``.grad`` has been accumulated."""
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        from .autograd.function import _RemovableHandle
        hooks = self._meta_dict().setdefault("post_accumulate_hooks", {})
        key = object()
        hooks[key] = hook
        return _RemovableHandle(hooks, key)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor with respect to the leaves of its graph."""
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self, *args, **kwargs):
        """A tensor on the same memory with no history (``requires_grad=False``)."""
        if args or kwargs:
            raise _no_arguments("detach", args, kwargs)
        return self._alias()

    def detach_(self, *args, **kwargs):
        """Detach this tensor from its graph in place."""
        if args or kwargs:
            raise _no_arguments("detach_", args, kwargs)
        # PyTorch refuses for every view a view op made, whether or not it requires grad
        # (a tensor from detach() shares memory too but is no view: ``_view`` is None)
        if self._view is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using "
                               "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view "
                               "is set as True, gradients are views of DDP buckets, and hence detach_() "
                               "cannot be called on these gradients. To fix this error, please refer to "
                               "the Optimizer.zero_grad() function in torch/optim/optimizer.py as the "
                               "solution.")
        self.grad_fn = None
        self._requires_grad = False
        self._output_nr = 0
        return self

    @property
    def data(self):
        """The same memory without autograd history, and with a version counter of its own:
        in-place changes through ``.data`` are hidden from autograd's checks (PyTorch's
        escape hatch, which ``detach()`` deliberately is not)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value):
        # any shape and dtype will do, except that a tensor requiring grad must stay floating
        if not isinstance(value, Tensor):
            from ._ops._arguments import tp_name
            raise TypeError(f"Variable data has to be a tensor, but got {tp_name(value)}")
        if self._requires_grad and value._data.dtype.kind != "f":
            raise RuntimeError("data set to a tensor that requires gradients must be floating point or complex dtype")
        self._data = value._data

    # --- conversion --------------------------------------------------------------------------
    def item(self, *args, **kwargs):
        """The single value of a one-element tensor as a Python number."""
        if args or kwargs:
            raise _no_arguments("item", args, kwargs)
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self, *args, **kwargs):
        """Nested Python lists of Python numbers (a number for a 0-d tensor)."""
        if args or kwargs:
            raise _no_arguments("tolist", args, kwargs)
        return self._data.tolist()

    def numpy(self, *args, force=False, **kwargs):
        """The underlying ndarray itself: changes to one show in the other."""
        if args or kwargs or force.__class__ is not bool:
            raise _signature_error("numpy", args, kwargs, {"force": (force, bool)})
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                               "instead.")
        return self._data

    def __array_wrap__(self, array, context=None, return_scalar=False):
        """A NumPy ufunc's result on this tensor, as a tensor sharing its memory (bool
        results as uint8, as PyTorch gives them)."""
        if array.dtype == np.bool_:
            array = array.astype(np.uint8)
        return Tensor._make(np.asarray(array))

    def __array__(self, dtype=None, copy=None):
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                               "instead.")
        arr = self._data if dtype is None else self._data.astype(dtype, copy=False)
        if copy and arr is self._data:
            arr = arr.copy()  # np.array(t) copies (NumPy asks for a copy with copy=True)
        return arr

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def _scalar(self, kind):
        # int(t), float(t), complex(t): unlike item(), Python's conversions raise ValueError
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return kind(self._data.reshape(()).item())

    def __bool__(self):
        if self._data.size != 1:
            if self._data.size == 0:
                raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()).item())

    def __float__(self):
        # PyTorch warns for a non-leaf that requires grad, while grad mode is on
        if self._requires_grad and self.grad_fn is not None and grad_mode._state[0]:
            import warnings
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                          "Consider using tensor.detach() first.", stacklevel=2)
        return self._scalar(float)

    def __int__(self):
        return self._scalar(int)

    def __complex__(self):
        return self._scalar(complex)

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()).item())

    def __hash__(self):
        return id(self)

    def __contains__(self, element):
        """``element in t``: whether any element of ``t`` equals ``element`` (a number, or a
        tensor compared by broadcasting)."""
        import numbers
        if not isinstance(element, (Tensor, numbers.Number)):
            raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
                               f"{type(element)}.")
        return bool((element == self).any().item())

    def __reversed__(self):
        """``reversed(t)``: ``t`` flipped along its first dim (a 0-d tensor is itself)."""
        return self if self._data.ndim == 0 else self.flip(0)

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import tensor_repr
        return tensor_repr(self)

    def __format__(self, spec):
        if self._data.ndim == 0:
            return self._data.item().__format__(spec)
        return object.__format__(self, spec)

    def to(self, *args, **kwargs):
        """Convert dtype and/or device: ``to(dtype)``, ``to(device)``, ``to(other)``,
        ``to(device, dtype)``, each optionally followed by ``non_blocking`` and ``copy``;
        returns ``self`` when nothing changes (unless ``copy=True``)."""
        if len(args) == 1 and not kwargs and args[0].__class__ is _dtype.dtype:  # the common to(dtype)
            dtype, device, copy = args[0], None, False
        else:
            dtype, device, copy = _parse_to(args, kwargs)
        if device is not None:
            check_available(device)
        if dtype is None or dtype.np == self._data.dtype:
            if not copy:
                return self
            dtype = self.dtype
        out = _cast_quietly(self, dtype)  # a copy that keeps the layout (ToCopyBackward0, as in PyTorch)
        if kwargs.get("memory_format") is not None:  # (unless contiguous_format asks for row-major)
            _relayout(out, kwargs["memory_format"])
        return out

    def type(self, dtype=None, *args, **kwargs):
        """With no argument, the legacy type name (``'torch.FloatTensor'``); else convert to a
        dtype, given as a dtype, a legacy type (``torch.DoubleTensor``) or its name."""
        _type_options(args, kwargs)
        if dtype is None:
            return _legacy_type_name(self)
        if isinstance(dtype, str):
            if dtype.startswith("torch.cuda."):
                raise RuntimeError(_NO_CUDA_LIBRARY)
            if dtype == "torch.BFloat16Tensor":
                return self.bfloat16()
            if dtype == "torch.Tensor":  # the default tensor type
                dtype = _dtype.get_default_dtype()
            elif dtype not in _LEGACY_BY_NAME:
                raise ValueError(f"invalid type: '{dtype}'")
            else:
                dtype = _LEGACY_BY_NAME[dtype]
        elif hasattr(dtype, "_legacy_dtype"):  # torch.DoubleTensor and the other legacy types
            dtype = dtype._legacy_dtype
        elif dtype is Tensor:
            dtype = _dtype.get_default_dtype()
        elif isinstance(dtype, type):
            # PyTorch names the class by its C type name: a class defined in Python (a heap
            # type, such as nn.Parameter) by its bare name, a built-in type in full
            if dtype.__flags__ & _HEAP_TYPE or dtype.__module__ == "builtins":
                name = dtype.__name__
            else:
                name = f"{dtype.__module__}.{dtype.__name__}"
            raise ValueError(f"invalid type: '{name}'")
        elif not isinstance(dtype, _dtype.dtype):
            raise TypeError("dtype must be a type, str, or dtype object")
        return self.to(dtype)

    def cpu(self, *args, memory_format=None, **kwargs):
        if args or kwargs or memory_format is not None:
            _check_memory_format("cpu", args, kwargs, memory_format)
        return self

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        check_available("cuda")

    def pin_memory(self, device=None):
        if device is None:  # pinned memory belongs to an accelerator, which a CPU-only build lacks
            raise RuntimeError("Cannot access accelerator device when none is available.")
        return self

    def is_pinned(self, device=None):
        return False

    def share_memory_(self):
        return self

    def is_shared(self):
        return False

    def bfloat16(self, *args, memory_format=None):
        raise NotImplementedError("torch.Tensor.bfloat16: ember has no bfloat16 dtype (NumPy lacks one)")

    def _leaf_on_same_memory(self, cls):
        """A new leaf of class ``cls`` on this tensor's array and version counter: no grad,
        no graph, not requiring grad (copy.copy and nn.Parameter start from it)."""
        new = _new(cls)
        new._data = self._data
        new._requires_grad = False
        new._grad = None
        new._grad_fn = None
        new._view = None
        new._output_nr = 0
        new._vc = self._vc
        new._base = None
        new._meta = None
        return new

    def __copy__(self):
        # copy.copy shares memory, as PyTorch's (which rebuilds the tensor on the same
        # storage): a new leaf on the same array, with the same requires_grad
        new = self._leaf_on_same_memory(type(self))
        new._requires_grad = self._requires_grad
        if hasattr(self, "__dict__"):
            new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the "
                               "deepcopy protocol at the moment.  If you were attempting to deepcopy a "
                               "module, this may be because of a torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        if id(self) in memo:
            return memo[id(self)]
        new = _new(type(self))
        new._data = _deepcopy_array(self._data, memo)
        new._requires_grad = self._requires_grad
        new._grad = None if self._grad is None else self._grad.__deepcopy__(memo)
        new._grad_fn = None
        new._view = None
        new._output_nr = 0
        new._vc = [1]  # (PyTorch's copy is made by set_(), which counts as a change)
        new._base = None
        new._meta = None
        if hasattr(self, "__dict__"):
            import copy
            new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        memo[id(self)] = new
        return new

    def __reduce_ex__(self, proto):
        return (_rebuild_tensor, (self._data.copy(order="K"), self._requires_grad))

    def __setstate__(self, state):  # pragma: no cover - pickles of ember tensors use __reduce_ex__
        raise RuntimeError("unexpected tensor state")


from .autograd import function as _function  # noqa: E402
from . import autograd as _autograd  # noqa: E402
_function.Tensor = Tensor


def _converter(name, dt):
    """The method ``Tensor.<name>()``: ``self.to(dt)``; like PyTorch's, it takes no positional
    argument (``memory_format`` is keyword-only)."""
    def convert(self, *args, memory_format=None):
        if args or memory_format is not None:
            _check_memory_format(name, args, {}, memory_format)
        if self._data.dtype == dt.np:
            return self
        out = _cast_quietly(self, dt)
        if memory_format is not None:
            _relayout(out, memory_format)
        return out
    convert.__name__ = convert.__qualname__ = name
    convert.__doc__ = f"``self.to({dt!r})``: ``self`` when it already is {dt}, else a converted copy."
    return convert


for _name, _dt in (("float", _dtype.float32), ("double", _dtype.float64), ("half", _dtype.float16),
                   ("long", _dtype.int64), ("int", _dtype.int32), ("short", _dtype.int16), ("char", _dtype.int8),
                   ("byte", _dtype.uint8), ("bool", _dtype.bool)):
    setattr(Tensor, _name, _converter(_name, _dt))


def _size(shape):
    """A ``Size`` of a NumPy shape (ints already, so ``Size``'s checks are skipped)."""
    return tuple.__new__(Size, shape)


def _rebuild_tensor(arr, requires_grad):
    t = Tensor._make(arr)
    t._requires_grad = requires_grad
    return t


def _shape_arg(args):
    """Sizes given as ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(torch.Size(...))``."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    shape = []
    for s in args:
        if isinstance(s, Tensor):
            s = s.item() if s._data.ndim == 0 and s._data.dtype.kind in "iu" else s
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"empty(): argument 'size' must be tuple of ints, but found element of type "
                            f"{type(s).__name__} at pos {len(shape)}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(args)}")
        shape.append(int(s))
    return tuple(shape)


_LEGACY_NAMES = {
    "float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
    "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor",
    "uint8": "ByteTensor", "bool": "BoolTensor",
}
_LEGACY_BY_NAME = {"torch." + v: _dtype._BY_NAME[k] for k, v in _LEGACY_NAMES.items()}


def _legacy_type_name_of(np_dtype):
    return "torch." + _LEGACY_NAMES[np.dtype(np_dtype).name]


def _legacy_type_name(t):
    """PyTorch's legacy type string of a tensor, e.g. ``torch.FloatTensor``."""
    return _legacy_type_name_of(t._data.dtype)


# what a CPU-only PyTorch says when a legacy CUDA type name asks for CUDA
_NO_CUDA_LIBRARY = (
    "Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two shared libraries: a "
    "CPU library and a CUDA library; this error has occurred because you are trying to use some CUDA "
    "functionality, but the CUDA library has not been loaded by the dynamic linker for some reason.  The CUDA "
    "library MUST be loaded, EVEN IF you don't directly use any symbols from the CUDA library! One common culprit "
    "is a lack of -Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic library "
    "dependencies if you don't depend on any of their symbols.  You can check if this has occurred by using ldd "
    "on your binary to see if there is a dependency on *_cuda.so library.")

# Tensor.to's overloads, as PyTorch lists them when a call fits none
_TO_SIGNATURES = tuple(first + ", bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None"
                       for first in ("torch.device device = None, torch.dtype dtype = None", "torch.dtype dtype",
                                     "Tensor tensor"))


def _parse_to(args, kwargs):
    """``(dtype, device, copy)`` from the arguments of ``Tensor.to``, which has three forms:
    ``to(device=None, dtype=None, non_blocking=False, copy=False)``, ``to(dtype, non_blocking,
    copy)`` and ``to(tensor, non_blocking, copy)`` (``memory_format`` is a keyword of each)."""
    first = args[0] if args else None
    if isinstance(first, Tensor) or (not args and "tensor" in kwargs):
        names = ("tensor", "non_blocking", "copy")
    elif args and _is_dtype_like(first):
        names = ("dtype", "non_blocking", "copy")
    else:
        names = ("device", "dtype", "non_blocking", "copy")
    bound = dict(zip(names, args))
    ok = len(args) <= len(names)
    for k, v in kwargs.items():
        if k in bound or (k not in names and k != "memory_format"):
            ok = False
        bound[k] = v
    dev, dt = bound.get("device"), bound.get("dtype")
    ok = ok and (dev is None or isinstance(dev, (str, int)) and not isinstance(dev, bool)
                 or dev.__class__.__name__ == "device")
    ok = ok and (dt is None or _is_dtype_like(dt))
    ok = ok and all(isinstance(bound.get(k, False), bool) for k in ("non_blocking", "copy"))
    mf = bound.get("memory_format")
    ok = ok and (mf is None or type(mf).__name__ == "memory_format")  # (ember's torch.memory_format)
    if not ok:
        from ._ops._arguments import invalid_combination
        raise invalid_combination("to", args, kwargs, _TO_SIGNATURES)
    if "tensor" in bound:
        dt = bound["tensor"].dtype
    elif dt is not None:
        # a Python number stands for its type here: x.to(True) is x.to(torch.bool)
        dt = _dtype.to_dtype(type(dt) if isinstance(dt, (float, int)) and not isinstance(dt, _dtype.dtype) else dt)
    return dt, (None if dev is None else to_device(dev)), bound.get("copy", False)


def _is_dtype_like(d):
    """A dtype, or what PyTorch reads as one: a Python scalar type, or a bool or float number."""
    return isinstance(d, _dtype.dtype) or d is float or d is int or d is bool or d.__class__ in (bool, float)


def _no_arguments(name, args, kwargs=None):
    """The TypeError CPython raises when a built-in method that takes no arguments (as
    PyTorch's ``item``, ``dim``, ``numel``... are) gets some."""
    if kwargs:
        return TypeError(f"TensorBase.{name}() takes no keyword arguments")
    return TypeError(f"TensorBase.{name}() takes no arguments ({len(args)} given)")


def _signature_error(fname, args, kwargs, keywords):
    """PyTorch's TypeError for a method whose arguments are all keyword-only: one given by
    position, an unknown keyword, or a keyword of the wrong type (``keywords`` maps each name
    to ``(value, check)``, where ``check`` is a type, or a predicate and a type name)."""
    if args:
        return TypeError(f"{fname}() takes 0 positional arguments but {len(args)} "
                         f"{'was' if len(args) == 1 else 'were'} given")
    if kwargs:
        return TypeError(f"{fname}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    from ._ops._arguments import tp_name
    for k, (value, check) in keywords.items():
        if isinstance(check, type):
            ok, type_name = value.__class__ is check, check.__name__
        else:
            ok, type_name = check[0](value), check[1]
        if not ok:
            return TypeError(f"{fname}(): argument '{k}' must be {type_name}, not {tp_name(value)}")
    return None


def _is_memory_format(v):
    return v is None or type(v).__name__ == "memory_format"  # (ember's torch.memory_format)


def _check_memory_format(fname, args, kwargs, memory_format):
    """The checks of a method whose only argument is the keyword ``memory_format``."""
    if args or kwargs or not _is_memory_format(memory_format):
        raise _signature_error(fname, args, kwargs,
                               {"memory_format": (memory_format, (_is_memory_format, "torch.memory_format"))})


def _relayout(t, memory_format):
    """Give ``t``, a new copy no one else holds, the layout ``memory_format`` asks for (the
    copy keeps its source's layout, which is what preserve_format means)."""
    if getattr(memory_format, "name", None) == "contiguous_format" and not t.is_contiguous():
        t._data = np.ascontiguousarray(t._data)


def _cast_quietly(t, dtype):
    """``t`` converted to ``dtype`` as a new tensor. Values that do not fit (NaN to an integer,
    1e6 to float16) convert as C casts do, without NumPy's RuntimeWarnings: PyTorch warns
    about none of them."""
    from ._ops.pointwise import _cast
    with np.errstate(invalid="ignore", over="ignore"):
        return _cast(t, dtype)


def _type_options(args, kwargs):
    """Check ``Tensor.type``'s arguments after ``dtype``: ``non_blocking`` (by position or
    name, or by its deprecated name ``async``) and the keyword ``memory_format``."""
    if len(args) > 1:
        raise TypeError(f"type() takes from 0 to 2 positional arguments but {len(args) + 1} were given")
    from ._ops._arguments import tp_name
    for k, v in kwargs.items():
        if k not in ("non_blocking", "async", "memory_format") or args and k != "memory_format":
            raise TypeError(f"type() got an unexpected keyword argument '{k}'")
        if k == "memory_format":
            if not _is_memory_format(v):
                raise TypeError(f"type(): argument 'memory_format' must be torch.memory_format, not {tp_name(v)}")
        elif v.__class__ is not bool:
            raise TypeError(f"type(): argument '{k}' must be bool, not {tp_name(v)}")
        if k == "async":
            import warnings
            warnings.warn("This overload of type is deprecated:\n\ttype(object dtype = None, bool async = False, *, "
                          "torch.memory_format memory_format = None)\nConsider using one of the following signatures "
                          "instead:\n\ttype(object dtype = None, bool non_blocking = False, *, torch.memory_format "
                          "memory_format = None)", UserWarning, stacklevel=3)
    if args and args[0].__class__ is not bool:
        raise TypeError(f"type(): argument 'non_blocking' (position 2) must be bool, not {tp_name(args[0])}")


_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class made by a class statement
_LEAF_ONLY = "you can only change requires_grad flags of leaf variables."
_USE_DETACH = (" If you want to use a computed variable in a subgraph that doesn't require differentiation use "
               "var_no_grad = var.detach().")


def _root(arr):
    """The array that owns the memory ``arr`` views (PyTorch's storage)."""
    while isinstance(arr.base, np.ndarray):
        arr = arr.base
    return arr


def _deepcopy_array(arr, memo):
    """A copy of ``arr`` for ``copy.deepcopy``. As in PyTorch, which deep-copies a tensor's
    storage once per ``deepcopy`` call, the whole memory ``arr`` views is copied once (so
    views copied together stay views of one memory) and the copy keeps ``arr``'s offset and
    strides."""
    root = _root(arr)
    # the root as a C-ordered array over its memory, as the buffer of the new views
    flat = root if root.flags.c_contiguous else root.T if root.flags.f_contiguous else None
    if flat is None:  # (memory NumPy does not own as one block: copy just this tensor)
        return arr.copy(order="K")
    key = ("ember.storage", id(root))
    new_root = memo.get(key)
    if new_root is None:
        new_root = memo[key] = flat.copy()
        memo.setdefault(id(memo), []).append(root)  # (keep root alive, so that its id stays unique)
    offset = arr.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return np.ndarray(arr.shape, arr.dtype, buffer=new_root, offset=offset, strides=arr.strides)


def _requires_grad_arg(args, kwargs):
    """The argument of ``requires_grad_(requires_grad=True)``, with PyTorch's errors."""
    if not kwargs and len(args) == 1 and args[0].__class__ is bool:  # the usual call
        return args[0]
    if len(args) > 1:
        raise TypeError(f"requires_grad_() takes from 0 to 1 positional arguments but {len(args)} were given")
    for k in kwargs:
        if k != "requires_grad":
            raise TypeError(f"requires_grad_() got an unexpected keyword argument '{k}'")
        if args:
            raise TypeError("requires_grad_() got multiple values for argument 'requires_grad'")
    if args:
        value, where = args[0], " (position 1)"
    else:
        value, where = kwargs.get("requires_grad", True), ""
    if value.__class__ is not bool:
        from ._ops._arguments import tp_name
        raise TypeError(f"requires_grad_(): argument 'requires_grad'{where} must be bool, not {tp_name(value)}")
    return value
