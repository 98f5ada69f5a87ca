"""``torch.backends``: switches of the accelerator libraries. ember has none of them, so each
reports itself unavailable; the flags scripts set for reproducibility
(``torch.backends.cudnn.deterministic = True``, ``benchmark = False``) are accepted and kept,
and change nothing: ember's CPU results are deterministic anyway."""
import types


def _namespace(name, **attrs):
    ns = types.SimpleNamespace(**attrs)
    ns.__name__ = f"torch.backends.{name}"
    return ns


cudnn = _namespace("cudnn", enabled=True, deterministic=False, benchmark=False, allow_tf32=True,
                   is_available=lambda: False, version=lambda: None)
mps = _namespace("mps", is_available=lambda: False, is_built=lambda: False)
cuda = _namespace("cuda", is_built=lambda: False,
                  matmul=_namespace("cuda.matmul", allow_tf32=False, allow_fp16_reduced_precision_reduction=True))
mkldnn = _namespace("mkldnn", enabled=True, is_available=lambda: False)
openmp = _namespace("openmp", is_available=lambda: False)

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.backends")
