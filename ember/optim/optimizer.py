"""``Optimizer``: parameter groups, per-parameter state, and PyTorch's state_dict layout.

An optimizer holds ``param_groups`` (lists of parameters with their own hyperparameters,
defaults filled in from ``defaults``) and ``state`` (a dict from parameter to its buffers,
e.g. momentum). ``state_dict()`` replaces parameters by their index in group order, which is
exactly PyTorch's format, so optimizer checkpoints move between ember and PyTorch.

Updates work on the parameters' arrays in place, under ``no_grad``.
"""
import functools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from copy import deepcopy
from itertools import chain

import numpy as np

from .._tensor import Tensor
from ..autograd.function import _RemovableHandle
from ..autograd.grad_mode import no_grad
from ..nn.modules.module import _typename


def _class_repr(obj):
    """``str(type(obj))`` as PyTorch prints it (``<class 'list'>``), ember's classes under torch's
    name (``torch.Tensor``, whose ``__module__`` is ``torch``, not ``torch._tensor``)."""
    return str(type(obj)).replace("'ember._tensor.Tensor'", "'torch.Tensor'").replace("'ember.", "'torch.")


class _RequiredParameter:
    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

# hooks every optimizer's step runs (torch.optim.optimizer.register_optimizer_step_*_hook)
_global_optimizer_pre_hooks = OrderedDict()
_global_optimizer_post_hooks = OrderedDict()


def _add_hook(store, hook, prepend=False):
    key = object()
    store[key] = hook
    if prepend:
        store.move_to_end(key, last=False)
    return _RemovableHandle(store, key)


def register_optimizer_step_pre_hook(hook):
    """A hook ``hook(optimizer, args, kwargs)`` run before every optimizer's ``step``."""
    return _add_hook(_global_optimizer_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    """A hook ``hook(optimizer, args, kwargs)`` run after every optimizer's ``step``."""
    return _add_hook(_global_optimizer_post_hooks, hook)


def _scalar_dtype(fused=False):
    """The dtype of step counters and other scalar state: float64 under a float64 default
    dtype, else float32 (always float32 for fused optimizers), as PyTorch's _get_scalar_dtype."""
    from .._dtype import get_default_dtype, float64
    return np.float64 if not fused and get_default_dtype() == float64 else np.float32


def step_tensor(value=0.0, fused=False):
    """A per-parameter scalar state tensor (the step counter by default), in PyTorch's dtype."""
    return Tensor._make(np.array(value, _scalar_dtype(fused)))


def _hyper(value):
    """A hyperparameter as the step's arithmetic uses it. A 1-element Tensor (lr, betas)
    becomes a scalar of its dtype: a float32 NumPy scalar keeps float32 arithmetic, as
    PyTorch's 0-d tensor does, a float64 tensor a Python float."""
    if isinstance(value, Tensor):
        scalar = value._data.reshape(())
        return scalar[()] if scalar.dtype == np.float32 else float(scalar)
    if isinstance(value, tuple) and any(isinstance(v, Tensor) for v in value):
        return tuple(_hyper(v) for v in value)
    return value


def _plain_group(group):
    """``group`` with Tensor hyperparameters as scalars (a copy only when there are any)."""
    if not any(_hyper(v) is not v for k, v in group.items() if k != "params"):
        return group
    return {k: (v if k == "params" else _hyper(v)) for k, v in group.items()}


def _check_tensor_lr(lr):
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")


def _check_fused(fused, foreach, differentiable):
    """PyTorch's constructor checks for ``fused=True`` (after the parameters are added)."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


_CAPTURABLE_DEVICES = ["cuda", "xpu", "hpu", "privateuseone"]


class Optimizer:
    """Base class: subclasses set ``defaults`` and implement ``step`` (or ``_update_group``)."""

    # The step errors PyTorch raises on CPU for flags ember (like PyTorch there) can't
    # honour. ``_capturable_state``: what the capturable message names (None: no such flag),
    # for the for-loop and the foreach implementations; ``_capturable_xla``: whether that
    # implementation's list of devices includes 'xla'.
    _capturable_state = None
    _capturable_state_foreach = None
    _capturable_xla = (True, False)
    _foreach_rejects_autograd = True

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        self._patch_step_function()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            f"but got {_typename(params)}")
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)
        self._warned_capturable_if_run_uncaptured = True  # (PyTorch's flag for an accelerator warning)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks", "_optimizer_state_dict_pre_hooks",
                     "_optimizer_state_dict_post_hooks", "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self._patch_step_function()
        self.defaults.setdefault("differentiable", False)

    def _restore_groups(self, group_defaults, scalar_state=("step",)):
        """What each PyTorch optimizer's ``__setstate__`` does after loading (old) state:
        fill the group options missing from it, and turn scalar state saved as a Python
        number (old checkpoints) back into tensors."""
        for group in self.param_groups:
            for name, value in group_defaults.items():
                group.setdefault(name, value)
            for p in group["params"]:
                p_state = self.state.get(p, [])
                if len(p_state) != 0:
                    for name in scalar_state:
                        if not isinstance(p_state[name], Tensor):
                            value = float(p_state[name]) if name == "step" else p_state[name]
                            p_state[name] = step_tensor(value, fused=name == "step" and bool(group.get("fused")))

    def __repr__(self):
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += "\n" + f"Parameter Group {i}\n"  # each group's lines end in "\n": a blank line between groups
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    # --- step and its hooks ---------------------------------------------------------------

    def _patch_step_function(self):
        """Wrap the class's ``step`` once so that every step runs the step hooks (as PyTorch
        does, also for subclasses that define their own ``step``)."""
        cls = self.__class__
        self._zero_grad_profile_name = f"Optimizer.zero_grad#{cls.__name__}.zero_grad"  # (PyTorch's profiler label)
        if getattr(cls.step, "hooked", None):
            return
        cls.step = self._hooked_step(cls.step)
        cls.step.hooked = True

    @staticmethod
    def _hooked_step(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            self = args[0]
            for pre_hook in chain(_global_optimizer_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
                result = pre_hook(self, args, kwargs)
                if result is not None:
                    if isinstance(result, tuple) and len(result) == 2:
                        args, kwargs = result
                    else:
                        raise RuntimeError(f"{func} must return None or a tuple of (new_args, new_kwargs), but got "
                                           f"{result}.")
            out = func(*args, **kwargs)
            for post_hook in chain(self._optimizer_step_post_hooks.values(), _global_optimizer_post_hooks.values()):
                post_hook(self, args, kwargs)
            return out
        return wrapper

    def register_step_pre_hook(self, hook):
        """``hook(optimizer, args, kwargs)`` before each ``step``; it may return new (args, kwargs)."""
        return _add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """``hook(optimizer, args, kwargs)`` after each ``step``."""
        return _add_hook(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """``hook(optimizer)`` before ``state_dict()`` builds the dict."""
        return _add_hook(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """``hook(optimizer, state_dict)``: may return a replacement state_dict."""
        return _add_hook(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """``hook(optimizer, state_dict)`` before loading: may return the state_dict to load."""
        return _add_hook(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """``hook(optimizer)`` after ``load_state_dict``."""
        return _add_hook(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    def step(self, closure=None):
        """Apply one update. ``closure`` re-evaluates the loss when the algorithm needs it."""
        loss = None
        if closure is not None:
            from ..autograd.grad_mode import enable_grad
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                self._update_group(_plain_group(group))
        return loss

    def _update_group(self, group):
        raise NotImplementedError

    @staticmethod
    def _grads(group):
        """``(param, grad array)`` for the group's parameters that have a gradient."""
        for p in group["params"]:
            if p._grad is not None:
                yield p, p._grad._data

    def _check_step_flags(self, group, params):
        """Raise what PyTorch's CPU step raises for ``group``'s flags, at the point it does:
        after the state of ``params`` (those with a gradient) is initialised, before any update."""
        if not params or group.get("fused"):
            return  # the fused kernels run on CPU
        differentiable = group.get("differentiable", False)
        foreach = bool(group.get("foreach"))
        if foreach and differentiable and self._foreach_rejects_autograd:
            raise AssertionError("_foreach ops don't support autograd")
        if group.get("capturable") and self._capturable_state is not None:
            # capturable state lives on an accelerator; on CPU PyTorch refuses to step
            devices = _CAPTURABLE_DEVICES + (["xla"] if self._capturable_xla[foreach] else [])
            what = (foreach and self._capturable_state_foreach) or self._capturable_state
            raise AssertionError(f"If capturable=True, {what} must be on supported devices: {devices}.")
        if self.defaults.get("differentiable") and any(p.requires_grad and p.is_leaf for p in params):
            # a differentiable step runs with grad mode on, where updating a leaf in place fails
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")

    # --- parameter groups -----------------------------------------------------------------

    def add_param_group(self, param_group):
        """Add a group of parameters with its own hyperparameters (missing ones from defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {_class_repr(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the "
                            "ordering of tensors in sets will change between runs. Please use a list instead.")
        else:
            param_group["params"] = list(params)
        # (name, tensor) pairs, as model.named_parameters() gives: names go to 'param_names'
        tensors, names = [], []
        for p in param_group["params"]:
            if isinstance(p, tuple):
                names.append(p[0])
                tensors.append(p[1])
            else:
                tensors.append(p)
        param_group["params"] = tensors
        if len(names) != 0:
            if len(names) == len(tensors):
                param_group["param_names"] = names
            else:
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
        for p in param_group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(p))
            if not self.defaults.get("differentiable", None) and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        if len({id(p) for p in param_group["params"]}) != len(param_group["params"]):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will cause "
                          "an error; see github.com/pytorch/pytorch/issues/40967 for more information", stacklevel=3)
        existing = set()
        for group in self.param_groups:
            existing.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if any(id(p) in existing for p in param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Reset the gradients of every optimized parameter (to None by default)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    if set_to_none:
                        p._grad = None
                    else:
                        if p._grad.grad_fn is not None:
                            p._grad.detach_()
                        else:
                            p._grad.requires_grad_(False)
                        p._grad._data[...] = 0
                        p._grad._vc[0] += 1

    # --- state_dict -----------------------------------------------------------------------

    def state_dict(self):
        """``{'state': {index: buffers}, 'param_groups': [{..., 'params': [indices]}]}``.

        The state's tensors are the optimizer's own (not copies), as in PyTorch."""
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        index = {}
        start = 0
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            # built whole before merging: a parameter listed twice in its group gets its last index
            index.update({id(p): i for i, p in enumerate(group["params"], start) if id(p) not in index})
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    @staticmethod
    def _process_value_according_to_param_policy(param, value, param_id, param_groups, key=None):
        """A loaded state tensor in the parameter's dtype ('step' counters keep theirs unless
        the group is fused or capturable: float32 then). Unchanged tensors are not copied."""
        fused = capturable = False
        for pg in param_groups:
            if param_id in pg["params"]:
                fused = pg.get("fused", False)
                capturable = pg.get("capturable", False)
                break
        if key == "step":
            if capturable or fused:
                from .._dtype import float32
                return value.to(dtype=float32)
            return value
        if param.is_floating_point():
            return value.to(dtype=param.dtype)
        return value

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and state saved by ``state_dict`` (here or in PyTorch).

        Like PyTorch, the loaded state's tensors are used as they are (cast to the
        parameter's dtype where it differs), not copied."""
        state_dict = state_dict.copy()
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = dict(zip(chain.from_iterable(s["params"] for s in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        def _cast(param, value, param_id=None, param_groups=None, key=None):
            if isinstance(value, Tensor):
                return Optimizer._process_value_according_to_param_policy(param, value, param_id, param_groups, key)
            if isinstance(value, dict):
                return {k: _cast(param, v, param_id=param_id, param_groups=param_groups, key=k)
                        for k, v in value.items()}
            if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
                return type(value)(_cast(param, v, param_id=param_id, param_groups=param_groups) for v in value)
            return value

        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = _cast(param, v, param_id=k, param_groups=state_dict["param_groups"])
            else:
                state[k] = v
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)
