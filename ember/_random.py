"""Random numbers identical to PyTorch's CPU generator.

PyTorch's CPU ``Generator`` is a 32-bit Mersenne Twister (MT19937) seeded like
``std::mt19937(seed & 0xffffffff)``. Every distribution turns its 32-bit outputs ("draws")
into numbers the same way, element after element in memory order:

* uniform float32:  u = (draw & (2^24 - 1)) * 2^-24, then from + u (to - from) in float32;
  float64 uses 53 bits of a 64-bit draw made of two 32-bit ones (first draw = high half).
* normal, 16 or more contiguous elements: fill with uniforms, then Box–Muller in blocks of
  16: for j < 8, u1 = 1 - x[j], u2 = x[j + 8], r = sqrt(-2 ln u1), t = 2 pi u2,
  x[j] = r cos t, x[j + 8] = r sin t; a tail that is not a multiple of 16 redraws the last
  16 uniforms and transforms them again.
* normal, fewer elements: pairs of float64 uniforms (u1, u2) give r cos(2 pi u1) with
  r = sqrt(-2 log1p(-u2)); r sin(2 pi u1) is kept for the next scalar normal.
* integers in [low, high): draw % (high - low) + low, with a 64-bit draw when the range is
  2^28 or more.
* randperm: Fisher–Yates from the front, swapping i with i + draw % (n - i).
* bernoulli(p): a float64 uniform below p.  exponential(l): -log1p(-u) / l.

NumPy's ``MT19937`` bit generator produces exactly the MT19937 stream; ember only seeds it
the way ``std::mt19937`` does and reads raw 32-bit words from it, so whole tensors are drawn
at NumPy speed. Transcendental steps (log, cos) may differ from PyTorch's in the last bit.
"""
import math
import operator
import os

import numpy as np

from . import _dtype
from ._device import check_available
from ._ops._arguments import int_list, overloads, parse_overloads
from ._tensor import Tensor

_DEFAULT_SEED = 67280421310721
_U32 = 0xFFFFFFFF


def _mt_key(seed):
    """std::mt19937's state after construction from a 32-bit seed (624 words)."""
    key = np.empty(624, np.uint32)
    x = seed & _U32
    key[0] = x
    for i in range(1, 624):
        x = (1812433253 * (x ^ (x >> 30)) + i) & _U32
        key[i] = x
    return key


class Generator:
    """``torch.Generator``: an independent MT19937 stream with PyTorch's seeding."""

    def __init__(self, device="cpu"):
        check_available(device)
        self.device = __import__("ember")._device.to_device(device)
        self._bits = np.random.MT19937(0)
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed):
        """Reset the stream to the one ``seed`` defines; returns the generator."""
        seed = int(seed)
        if seed < -0x8000_0000_0000_0000 or seed > 0xFFFF_FFFF_FFFF_FFFF:
            raise RuntimeError(f"Overflow when unpacking long long")
        seed &= 0xFFFF_FFFF_FFFF_FFFF
        self._seed = seed
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": _mt_key(seed), "pos": 624}}
        self._next_normal = None  # the cached second value of a scalar Box–Muller pair
        return self

    def seed(self):
        """Seed from the operating system's entropy and return that seed."""
        s = int.from_bytes(os.urandom(8), "little") & 0x7FFF_FFFF_FFFF_FFFF
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    # PyTorch's state blob (CPUGeneratorImplState, 5056 bytes, little-endian):
    #   0 initial seed u64 | 8 left i32 | 12 seeded i32 | 16 next u64 | 24 the 624 words, one u64 each
    #   5016 normal_x f64 | 5024 normal_y f64 (the cached scalar normal) | 5032 normal_rho f64
    #   5040 normal_is_valid i32 (+4 padding) | 5048 cached float normal f32 | 5052 its valid flag (+3)
    # PyTorch's mt19937 twists when ``left`` counts down to 0 and reads word ``next``; NumPy's
    # reads word ``pos`` and twists at pos == 624, so pos = 625 - left.
    _STATE = np.dtype([("seed", "<u8"), ("left", "<i4"), ("seeded", "<i4"), ("next", "<u8"), ("words", "<u8", 624),
                       ("normal_x", "<f8"), ("normal_y", "<f8"), ("normal_rho", "<f8"), ("normal_valid", "<i4"),
                       ("pad", "<i4"), ("float_normal", "<f4"), ("float_valid", "u1"), ("pad2", "u1", 3)])

    def get_state(self):
        """The whole state as PyTorch's uint8 tensor of 5056 bytes (``torch.get_rng_state()``
        gives the same bytes for the same history, and each side restores the other's)."""
        st = self._bits.state["state"]
        pos, key = int(st["pos"]), st["key"]
        blob = np.zeros((), self._STATE)
        blob["seed"], blob["left"], blob["seeded"], blob["words"] = self._seed, 625 - pos, 1, key
        # at pos 624 PyTorch's ``next`` is 0 right after seeding and 624 after a full pass
        fresh = pos == 624 and key[0] == (self._seed & _U32) and np.array_equal(key, _mt_key(self._seed))
        blob["next"] = 0 if fresh else pos
        if self._next_normal is not None:
            blob["normal_y"], blob["normal_valid"] = self._next_normal, 1
        return Tensor._make(np.frombuffer(blob.tobytes(), np.uint8).copy())

    def set_state(self, new_state):
        """Restore a state from ``get_state`` (ember's or PyTorch's)."""
        if not isinstance(new_state, Tensor) or new_state.dtype is not _dtype.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = new_state._data.tobytes()
        if len(raw) != self._STATE.itemsize:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {self._STATE.itemsize} but found the input "
                               f"RNG state size to be {len(raw)}")
        blob = np.frombuffer(raw, self._STATE)[0]
        left, nxt = int(blob["left"]), int(blob["next"])
        if not (1 <= left <= 624 and nxt <= 624 and blob["seeded"]) or blob["words"].max() > _U32:
            raise RuntimeError("Invalid mt19937 state")
        self._seed = int(blob["seed"])
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": blob["words"].astype(np.uint32), "pos": 625 - left}}
        self._next_normal = float(blob["normal_y"]) if blob["normal_valid"] else None
        return self

    def clone_state(self):
        g = Generator()
        g.set_state(self.get_state())
        return g

    def __getstate__(self):
        return {"state": self.get_state()._data.tobytes()}

    def __setstate__(self, d):
        self.__init__()
        self.set_state(Tensor._make(np.frombuffer(d["state"], np.uint8).copy()))

    # --- raw draws ------------------------------------------------------------------------
    def _draw32(self, n):
        """``n`` consecutive 32-bit draws as uint64 values."""
        return self._bits.random_raw(n)

    def _draw64(self, n):
        """``n`` 64-bit draws, each from two 32-bit ones (the first is the high half)."""
        w = self._bits.random_raw(2 * n).reshape(n, 2)
        return (w[:, 0] << np.uint64(32)) | w[:, 1]

    def _uniform01(self, n, np_dtype):
        """``n`` uniforms in [0, 1) exactly as PyTorch forms them for this dtype."""
        if np_dtype == np.float64:
            return (self._draw64(n) & np.uint64((1 << 53) - 1)).astype(np.float64) * (2.0 ** -53)
        return (self._draw32(n) & np.uint64((1 << 24) - 1)).astype(np.float32) * np.float32(2.0 ** -24)


default_generator = Generator()


def _gen(generator):
    return default_generator if generator is None else generator


def manual_seed(seed):
    """Seed the default generator (PyTorch's ``torch.manual_seed``); returns it."""
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


# --- in-place samplers (Tensor methods) -----------------------------------------------------------
def _fill(t, values):
    """Write sampled values into ``t`` (any layout) in memory order and bump its version."""
    from ._ops._util import needs_grad
    if needs_grad(t) and t.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    a = t._data
    if a.flags.c_contiguous:
        a.reshape(-1)[...] = values
    else:
        # PyTorch fills non-contiguous tensors in the order of their strides in memory
        order = np.argsort([-abs(s) for s in a.strides], kind="stable")
        view = a.transpose(order)
        view[...] = values.reshape(view.shape)
    t._vc[0] += 1
    return t


def _float_check(t, name):
    """PyTorch's error for sampling a continuous distribution into an integer tensor."""
    if t._data.dtype.kind != "f":
        word = _dtype.type_word(t._data.dtype)
        if name == "exponential_":
            raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be a "
                               f"floating point but you specified {word}")
        kernel = {"uniform_": "check_uniform_bounds", "normal_": "normal_kernel_cpu"}[name]
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{word}'")


def _uniform_values(g, n, np_dtype, low, high):
    if np_dtype == np.float64:
        u = g._uniform01(n, np.float64)
        return u * (high - low) + low
    lo, hi = np.float32(low), np.float32(high)
    u = g._uniform01(n, np.float32)
    # PyTorch's kernel computes u * (hi - lo) + lo as one fused multiply-add: in float64 the
    # product is exact, so rounding the sum once to float32 gives the same bits
    v = (u.astype(np.float64) * np.float64(hi - lo) + np.float64(lo)).astype(np.float32).astype(np_dtype)
    return np.where(v == np.asarray(high, np_dtype), np.asarray(low, np_dtype), v)


def uniform_(self, from_=0.0, to=1.0, *, generator=None):
    """Fill with U(from, to)."""
    _float_check(self, "uniform_")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={from_} > to={to}")
    return _fill(self, _uniform_values(_gen(generator), self._data.size, self._data.dtype, from_, to))


def _normal_values(g, n, np_dtype, mean, std, contiguous=True):
    """PyTorch's two normal paths: blocks of 16 (see the module docstring) or scalar pairs."""
    if n >= 16 and contiguous:
        work = np.float64 if np_dtype == np.float64 else np.float32
        out = g._uniform01(n, work).astype(np.float64)
        full = n - n % 16
        out[:full] = _box_muller16(out[:full].reshape(-1, 16)).ravel()
        if n % 16:  # redraw the last 16 and transform them again, overlapping the last block
            out[n - 16:] = _box_muller16(g._uniform01(16, work).astype(np.float64).reshape(1, 16)).ravel()
        if work == np.float64:
            return out * std + mean
        return (out.astype(np.float32) * np.float32(std) + np.float32(mean)).astype(np_dtype)
    vals = np.empty(n, np.float64)
    for i in range(n):
        vals[i] = _scalar_normal(g) * std + mean
    return vals.astype(np_dtype)


def _box_muller16(blocks):
    u1 = 1.0 - blocks[:, :8]
    u2 = blocks[:, 8:]
    r = np.sqrt(-2.0 * np.log(u1))
    theta = 2.0 * math.pi * u2
    return np.concatenate([r * np.cos(theta), r * np.sin(theta)], axis=1)


def _scalar_normal(g):
    if g._next_normal is not None:
        v, g._next_normal = g._next_normal, None
        return v
    u1, u2 = g._uniform01(2, np.float64)
    r = math.sqrt(-2.0 * math.log1p(-u2))
    theta = 2.0 * math.pi * u1
    g._next_normal = r * math.sin(theta)
    return r * math.cos(theta)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with N(mean, std^2)."""
    _float_check(self, "normal_")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    vals = _normal_values(_gen(generator), self._data.size, self._data.dtype, mean, std,
                          self.is_contiguous())
    return _fill(self, vals)


def _int_values(g, n, low, high):
    rng = high - low
    draws = g._draw64(n) if rng >= (1 << 28) else g._draw32(n)
    return (draws % np.uint64(rng)).astype(np.int64) + low


def random_(self, from_=0, to=None, *, generator=None):
    """Fill with integers drawn uniformly from [from, to) (default: the dtype's range)."""
    g = _gen(generator)
    a = self._data
    if to is None:
        if from_ != 0:
            to_ = _max_of(a.dtype) + 1
            return _fill(self, _int_values(g, a.size, from_, to_).astype(a.dtype))
        if a.dtype == np.int64:
            vals = (g._draw64(a.size) % np.uint64(1 << 63)).astype(np.int64)
        elif a.dtype == np.float64:
            vals = (g._draw64(a.size) % np.uint64((1 << 53) + 1)).astype(np.float64)
        elif a.dtype == np.bool_:
            vals = (g._draw32(a.size) & np.uint64(1)).astype(np.bool_)
        else:
            limit = (1 << 24) + 1 if a.dtype == np.float32 else (1 << 11) + 1 if a.dtype == np.float16 \
                else _max_of(a.dtype) + 1
            vals = (g._draw32(a.size) % np.uint64(limit)).astype(a.dtype)
        return _fill(self, vals)
    if from_ >= to:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}")
    return _fill(self, _int_values(g, a.size, from_, to).astype(a.dtype))


def _max_of(np_dtype):
    if np_dtype.kind == "f":
        return 1 << np.finfo(np_dtype).nmant + 1
    if np_dtype.kind == "b":
        return 1
    return int(np.iinfo(np_dtype).max)


def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 1 where a uniform draw falls below ``p`` (a number or a tensor of them)."""
    g = _gen(generator)
    n = self._data.size
    if isinstance(p, Tensor):
        probs = np.broadcast_to(p._data, self._data.shape).reshape(-1)
        u = g._uniform01(n, np.float64 if p._data.dtype == np.float64 else np.float32)
        vals = u < probs
    else:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        vals = g._uniform01(n, np.float64) < p
    return _fill(self, vals.astype(self._data.dtype))


def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with Exp(lambd): -log1p(-u) / lambd."""
    _float_check(self, "exponential_")
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    u = _gen(generator)._uniform01(self._data.size, np.float64)
    return _fill(self, (-1.0 / lambd * np.log1p(-u)).astype(self._data.dtype))


def geometric_(self, p, *, generator=None):
    """Fill with the number of Bernoulli(p) trials up to the first success."""
    u = _gen(generator)._uniform01(self._data.size, np.float64)
    return _fill(self, (np.ceil(np.log(u) / math.log1p(-p))).astype(self._data.dtype))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    normal_(self, mean, std, generator=generator)
    self._data[...] = np.exp(self._data)
    return self


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    u = _gen(generator)._uniform01(self._data.size, np.float64)
    return _fill(self, (median + sigma * np.tan(math.pi * (u - 0.5))).astype(self._data.dtype))


# --- the factories' arguments, parsed as PyTorch parses them -----------------------------------------
# PyTorch reads the arguments of rand, randint, normal, ... in C++ against a list of overloads
# (python_arg_parser): the first overload the call fits is used; when none fits, the overloads
# whose number of parameters could take that many arguments are "plausible", and if exactly one
# is, its own error says what was wrong ("argument 'size' (position 1) must be tuple of ints,
# not str"); otherwise the error lists every overload ("invalid combination of arguments").
# The overloads below are PyTorch's, as its messages print them.
_FACTORY_KW = ("torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
               "bool pin_memory = False, bool requires_grad = False")
_LIKE_KW = "torch.memory_format memory_format = None, " + _FACTORY_KW


def _with_generator(sig, kw):
    """An overload with a required ``generator`` keyword (None allowed) and one without."""
    return (f"{sig}, *, torch.Generator generator, {kw}", f"{sig}, *, {kw}")


_RAND_OVERLOADS = overloads(*_with_generator("tuple of ints size", "Tensor out = None, " + _FACTORY_KW))


def _parse_size(fname, args, kwargs):
    """``_parse`` for rand and randn, with the plain ``f(2, 3)`` kept cheap."""
    if not kwargs and args and all(a.__class__ is int for a in args):
        return {"size": args}
    return parse_overloads(fname, _RAND_OVERLOADS, args, kwargs)[1]


def _ints(fname, value):
    """The ints of a bound ``tuple of ints`` (a list, or the sizes given one by one); PyTorch
    reads the elements after the first only now, so a bad one fails whichever overload matched."""
    return int_list(fname, "size", value)


def _number(v):
    """A ``float`` parameter's value (a 0-d tensor gives its element)."""
    return float(v.item()) if isinstance(v, Tensor) else float(v)


def _new(shape, bound, default=None):
    """An uninitialised tensor for a factory's result: the dtype from ``dtype=``, else from
    ``out=``, else ``default`` or the default float dtype."""
    check_available(bound.get("device"))
    d, out = bound.get("dtype"), bound.get("out")
    d = _dtype.to_dtype(d) if d is not None else out.dtype if out is not None else default or _dtype.get_default_dtype()
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}")
    return Tensor._make(np.empty(shape, d.np))


def _finish(t, bound):
    """Apply ``requires_grad=`` and ``out=`` to a factory's result."""
    if bound.get("requires_grad"):
        t.requires_grad_(True)
    out = bound.get("out")
    if out is not None:
        from ._ops.pointwise import _out
        return _out(t, out)
    return t


def rand(*args, **kwargs):
    """Uniform samples in [0, 1): ``rand(2, 3)``, ``rand((2, 3))`` or ``rand(size=(2, 3))``,
    with PyTorch's keywords (``generator``, ``out``, ``dtype``, ``layout``, ``device``,
    ``pin_memory``, ``requires_grad``)."""
    bound = _parse_size("rand", args, kwargs)
    t = _new(_ints("rand", bound["size"]), bound)
    if not t.is_floating_point():
        raise NotImplementedError(f"\"check_uniform_bounds\" not implemented for '{_dtype.type_word(t.dtype)}'")
    return _finish(uniform_(t, generator=bound.get("generator")), bound)


def randn(*args, **kwargs):
    """Standard normal samples; arguments as for ``rand``."""
    bound = _parse_size("randn", args, kwargs)
    t = _new(_ints("randn", bound["size"]), bound)
    if not t.is_floating_point():
        raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_dtype.type_word(t.dtype)}'")
    return _finish(normal_(t, generator=bound.get("generator")), bound)


_RANDINT_OVERLOADS = overloads(
    *_with_generator("int high, tuple of ints size", "Tensor out = None, " + _FACTORY_KW),
    *_with_generator("int low, int high, tuple of ints size", "Tensor out = None, " + _FACTORY_KW))


def randint(*args, **kwargs):
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)``, int64 unless ``dtype`` says otherwise."""
    _, bound = parse_overloads("randint", _RANDINT_OVERLOADS, args, kwargs)
    low, high = operator.index(bound.get("low", 0)), operator.index(bound["high"])
    shape = _ints("randint", bound["size"])
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    t = _new(shape, bound, _dtype.int64)
    return _finish(_fill(t, _int_values(_gen(bound.get("generator")), t._data.size, low, high).astype(t._data.dtype)),
                   bound)


_RANDPERM_OVERLOADS = overloads(
    *_with_generator("int n", "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                              "torch.device device = None, bool pin_memory = False, bool requires_grad = False"))


def randperm(*args, **kwargs):
    """A random permutation of 0..n-1 (Fisher–Yates with PyTorch's draws)."""
    _, bound = parse_overloads("randperm", _RANDPERM_OVERLOADS, args, kwargs)
    n = operator.index(bound["n"])
    t = _new((n,), bound, _dtype.int64)
    perm = np.arange(n, dtype=np.int64)
    if n > 1:
        draws = _gen(bound.get("generator"))._draw32(n - 1)
        offsets = (draws % np.arange(n, 1, -1, dtype=np.uint64)).astype(np.int64)
        for i, z in enumerate(offsets.tolist()):
            j = i + z
            perm[i], perm[j] = perm[j], perm[i]
    t._data[...] = perm
    return _finish(t, bound)


_NORMAL_OVERLOADS = overloads(
    "Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
    "Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None",
    "float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
    "float mean, float std, tuple of ints size, *, torch.Generator generator = None, Tensor out = None, "
    + _FACTORY_KW)


def _check_std(std):
    if std < 0:  # (PyTorch prints the double as C++ streams do: 6 significant digits)
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal(*args, **kwargs):
    """N(mean, std^2) samples: ``normal(mean, std)`` with a tensor among them (broadcast), or
    ``normal(mean, std, size)`` with numbers."""
    k, bound = parse_overloads("normal", _NORMAL_OVERLOADS, args, kwargs)
    mean, std, generator = bound["mean"], bound.get("std", 1.0), bound.get("generator")
    if k == 3:  # numbers and a size
        mean, std = _number(mean), _number(std)
        _check_std(std)
        t = _new(_ints("normal", bound["size"]), bound)
        return _finish(normal_(t, mean, std, generator=generator), bound)
    mt = mean if isinstance(mean, Tensor) else None
    st = std if isinstance(std, Tensor) else None
    if st is None:
        std = _number(std)
        _check_std(std)
    ref = mt if mt is not None else st
    shape = np.broadcast_shapes(*(x._data.shape for x in (mt, st) if x is not None))
    if st is not None and (st._data < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    t = Tensor._make(np.empty(shape, ref._data.dtype))
    normal_(t, 0.0, 1.0, generator=generator)
    m = mt._data if mt is not None else _number(mean)
    s = st._data if st is not None else std
    t._data[...] = t._data * s + m
    return _finish(t, bound)


def bernoulli(input, p=None, *, generator=None, out=None):
    """0/1 samples with probabilities ``input`` (or ``p``), in ``input``'s dtype."""
    t = Tensor._make(np.empty(input._data.shape, input._data.dtype))
    return bernoulli_(t, input if p is None else p, generator=generator)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices sampled from the rows of ``input`` (non-negative weights), as PyTorch draws them.

    Without replacement, or for a single sample, PyTorch runs an *exponential race*: with
    q_i ~ Exp(1) independent, argmax_i w_i / q_i is category i with probability w_i / sum(w)
    (the Gumbel-max trick with the exponential taken out of the log), and the top k of
    w_i / q_i are k draws without replacement. ember draws the q with ``exponential_`` for
    the whole tensor at once, as PyTorch does, so the indices and the generator's state after
    the call are PyTorch's. With replacement and k > 1, each sample is a float64 uniform
    looked up in the row's cumulative distribution."""
    a = input._data
    if a.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    rows = a.reshape(-1, a.shape[-1]).astype(np.float64)
    if (rows < 0).any() or not np.isfinite(rows).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if (rows.sum(axis=1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    g = _gen(generator)
    if not replacement or num_samples == 1:
        q = exponential_(Tensor._make(np.empty_like(a)), 1.0, generator=generator)._data
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = a / q
        # largest first; equal keys keep index order, as a stable sort on -key does
        idx = np.argsort(-keys, axis=-1, kind="stable")[..., :num_samples]
        return Tensor._make(idx.astype(np.int64))
    out_idx = np.empty((rows.shape[0], num_samples), np.int64)
    for r, w in enumerate(rows):
        cdf = np.cumsum(w / w.sum())
        u = g._uniform01(num_samples, np.float64)
        out_idx[r] = np.minimum(np.searchsorted(cdf, u, side="right"), len(w) - 1)
    return Tensor._make(out_idx.reshape(a.shape[:-1] + (num_samples,)))


def poisson(input, generator=None):
    """Poisson samples with rates ``input`` (not PyTorch's exact stream)."""
    g = _gen(generator)
    seed = int(g._draw32(1)[0])
    return Tensor._make(np.random.default_rng(seed).poisson(input._data).astype(input._data.dtype))


_RAND_LIKE_OVERLOADS = overloads(*_with_generator("Tensor input", _LIKE_KW))


def rand_like(*args, **kwargs):
    """``rand`` in the shape of ``input`` (and its dtype unless ``dtype`` is given)."""
    _, bound = parse_overloads("rand_like", _RAND_LIKE_OVERLOADS, args, kwargs)
    x = bound["input"]
    return rand(x.shape, generator=bound.get("generator"), dtype=bound.get("dtype") or x.dtype,
                device=bound.get("device"), requires_grad=bound.get("requires_grad", False))


def randn_like(*args, **kwargs):
    """``randn`` in the shape of ``input`` (and its dtype unless ``dtype`` is given)."""
    _, bound = parse_overloads("randn_like", _RAND_LIKE_OVERLOADS, args, kwargs)
    x = bound["input"]
    return randn(x.shape, generator=bound.get("generator"), dtype=bound.get("dtype") or x.dtype,
                 device=bound.get("device"), requires_grad=bound.get("requires_grad", False))


_RANDINT_LIKE_OVERLOADS = overloads(*_with_generator("Tensor input, int low, int high", _LIKE_KW),
                                     *_with_generator("Tensor input, Tensor high", _LIKE_KW),
                                     *_with_generator("Tensor input, int high", _LIKE_KW))


def randint_like(*args, **kwargs):
    """``randint`` in the shape of ``input`` (and its dtype unless ``dtype`` is given):
    ``randint_like(input, high)`` or ``randint_like(input, low, high)``."""
    _, bound = parse_overloads("randint_like", _RANDINT_LIKE_OVERLOADS, args, kwargs)
    x, low, high = bound["input"], operator.index(bound.get("low", 0)), bound["high"]
    if isinstance(high, Tensor):
        if high._data.size != 1:
            raise RuntimeError("high must be a scalar tensor and on CPU")
        high = int(high.item())
    return randint(low, operator.index(high), x.shape, generator=bound.get("generator"),
                   dtype=bound.get("dtype") or x.dtype, device=bound.get("device"),
                   requires_grad=bound.get("requires_grad", False))


FUNCTIONS = {f.__name__: f for f in (rand, randn, randint, randperm, normal, bernoulli, multinomial, poisson,
                                      rand_like, randn_like, randint_like)}


def _attach():
    from ._ops._util import methods
    methods(uniform_, normal_, random_, bernoulli_, exponential_, geometric_, log_normal_, cauchy_,
            multinomial)
    Tensor.bernoulli = lambda self, p=None, *, generator=None: bernoulli(self, p, generator=generator)


_attach()
