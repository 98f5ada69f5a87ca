"""``torch.autograd.forward_ad``: forward-mode AD is not part of ember yet."""


def _missing(*args, **kwargs):
    raise NotImplementedError("torch.autograd.forward_ad (forward-mode AD) is not implemented in ember; "
                              "see the coverage table in README.md")


dual_level = make_dual = unpack_dual = _missing
