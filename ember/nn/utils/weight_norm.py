"""``nn.utils.weight_norm``: w = g * v / ||v||, learning the direction v and the length g
separately (Salimans & Kingma). The weight is recomputed from g and v before each forward."""
from ..parameter import Parameter
from .parametrizations import _norm_except_dim


class WeightNorm:
    def __init__(self, name, dim):
        self.name, self.dim = name, -1 if dim is None else dim  # -1: the norm of the whole tensor

    def compute_weight(self, module):
        g = getattr(module, self.name + "_g")
        v = getattr(module, self.name + "_v")
        return v * (g / _norm_except_dim(v, self.dim))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module, name="weight", dim=0):
    """Replace ``module.<name>`` by parameters ``<name>_g`` (length) and ``<name>_v``
    (direction); returns the module."""
    weight = getattr(module, name)
    fn = WeightNorm(name, dim)
    del module._parameters[name]
    module.register_parameter(name + "_g", Parameter(_norm_except_dim(weight, fn.dim).detach()))
    module.register_parameter(name + "_v", Parameter(weight.detach()))
    setattr(module, name, fn.compute_weight(module))
    module.register_forward_pre_hook(fn)
    module._weight_norm_hook = fn
    return module


def remove_weight_norm(module, name="weight"):
    """Fold g and v back into a plain ``<name>`` parameter."""
    fn = module._weight_norm_hook
    weight = fn.compute_weight(module).detach()
    for key, hook in list(module._forward_pre_hooks.items()):
        if hook is fn:
            del module._forward_pre_hooks[key]
    del module._parameters[name + "_g"]
    del module._parameters[name + "_v"]
    module.__dict__.pop(name, None)
    module.register_parameter(name, Parameter(weight))
    return module
