"""``torch.get_num_threads``/``set_num_threads`` and the inter-op pair.

ember's multi-threaded work is NumPy's BLAS (matrix products, and so linear layers and
convolutions); its other kernels run on one thread. The thread count is therefore BLAS's,
read and set through threadpoolctl when that package is installed (scikit-learn brings it).
Without it, ``set_num_threads`` records the number and BLAS keeps the count it read from
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS at start.

Inter-op threads are PyTorch's pool for running independent ops at once; ember runs ops one
after another, so that number is only recorded, with PyTorch's rule that it is set once."""
import os

_recorded = {"intra": None, "interop": None}


def _blas():
    """threadpoolctl's controller of the loaded BLAS libraries, or None."""
    try:
        import threadpoolctl
    except ImportError:
        return None
    blas = threadpoolctl.ThreadpoolController().select(user_api="blas")
    return blas if blas.lib_controllers else None


def _check(n, name):
    if type(n) is not int:
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer")


def _default():
    env = os.environ.get("OMP_NUM_THREADS", "")
    return int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)


def get_num_threads():
    """The threads BLAS uses for one matrix product."""
    blas = _blas()
    if blas is not None:
        return blas.lib_controllers[0].num_threads
    return _recorded["intra"] or _default()


def set_num_threads(n):
    """Let BLAS use ``n`` threads (a positive int), from now on."""
    _check(n, "set_num_threads")
    _recorded["intra"] = n
    blas = _blas()
    if blas is not None:
        blas.limit(limits=n)


def get_num_interop_threads():
    return _recorded["interop"] or _default()


def set_num_interop_threads(n):
    """Recorded only (ember runs one op at a time); like PyTorch, it may be set once."""
    _check(n, "set_num_interop_threads")
    if _recorded["interop"] is not None:
        raise RuntimeError("Error: cannot set number of interop threads after parallel work has started or "
                           "set_num_interop_threads called")
    _recorded["interop"] = n
