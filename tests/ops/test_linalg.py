"""Matrix products against PyTorch: values, gradients, gradcheck, gradgradcheck, errors."""
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests, FLOATS

OPS = [
    OpInfo("mm", samples=[S(A(2, 3), A(3, 4)), S(A(3, 2, noncontig=True), A(2, 5)), S(A(0, 3), A(3, 2)),
                          S(A(2, 3), A(4, 5)), S(A(2, 3), A(3, 4, dtype="float64"))],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("matmul", samples=[S(A(3), A(3)), S(A(2, 3), A(3)), S(A(3), A(3, 2)), S(A(2, 3), A(3, 4)),
                              S(A(2, 2, 3), A(3, 4)), S(A(3), A(2, 3, 4)), S(A(2, 1, 2, 3), A(4, 3, 2)),
                              S(A(2, 3, 4), A(4)), S(A(2, 3), A(4, 2)), S(A(), A(3))],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("operator_matmul", lambda m, a, b: a @ b, samples=[S(A(2, 3), A(3, 4)), S(A(4, 2, 3), A(4, 3, 2))]),
    OpInfo("addmm", lambda m, c, a, b, **k: m.addmm(c, a, b, **k), samples=[
        S(A(4), A(2, 3), A(3, 4)), S(A(2, 4), A(2, 3), A(3, 4), beta=0.5, alpha=2.0), S(A(1, 4), A(2, 3), A(3, 4),
                                                                                      beta=0)],
        gradgradcheck=True),
    OpInfo("bmm", samples=[S(A(2, 3, 4), A(2, 4, 5)), S(A(3, 2), A(2, 3)), S(A(2, 3, 4), A(3, 4, 5))],
           gradgradcheck=True),
    OpInfo("dot", samples=[S(A(4), A(4)), S(A(2, 2), A(2, 2)), S(A(3), A(4))], dtypes=FLOATS + ("int64",)),
    OpInfo("mv", samples=[S(A(2, 3), A(3)), S(A(2, 3), A(2, 3))]),
    OpInfo("outer", samples=[S(A(3), A(4))]),
    OpInfo("addmv", lambda m, c, a, b, **k: m.addmv(c, a, b, **k), samples=[S(A(2), A(2, 3), A(3), beta=2.0)]),
    OpInfo("addr", lambda m, c, a, b, **k: m.addr(c, a, b, **k), samples=[S(A(2, 3), A(2), A(3), alpha=0.5)]),
    OpInfo("baddbmm", lambda m, c, a, b, **k: m.baddbmm(c, a, b, **k),
           samples=[S(A(2, 3, 5), A(2, 3, 4), A(2, 4, 5), beta=0.5)]),
    OpInfo("addbmm", lambda m, c, a, b, **k: m.addbmm(c, a, b, **k), samples=[S(A(3, 5), A(2, 3, 4), A(2, 4, 5))]),
    OpInfo("einsum", lambda m, eq, *ops: m.einsum(eq, *ops), samples=[
        S("ij,jk->ik", A(2, 3), A(3, 4)), S("bij,bjk->bik", A(2, 2, 3), A(2, 3, 2)), S("ii->", A(3, 3)),
        S("ii->i", A(3, 3)), S("ij->", A(2, 3)), S("ij->j", A(2, 3)), S("i,j->ij", A(2), A(3)),
        S("...ij->...ji", A(2, 3, 4)), S("ij,ij->i", A(2, 3), A(2, 3)), S("ij,jk", A(2, 3), A(3, 2))],
        gradgradcheck=True),
    OpInfo("tensordot", lambda m, a, b, d: m.tensordot(a, b, dims=d), samples=[
        S(A(2, 3, 4), A(3, 4, 2), 2), S(A(2, 3), A(2, 3), ([0, 1], [0, 1])), S(A(2, 3), A(4, 3), ([1], [1]))]),
    OpInfo("inner", samples=[S(A(3), A(3)), S(A(2, 3), A(4, 3))]),
    OpInfo("trace", samples=[S(A(3, 3)), S(A(2, 4)), S(A(3))], dtypes=FLOATS + ("int64",)),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


@pytest.mark.parametrize("da,db", [("float32", "float64"), ("float64", "float32")])
def test_products_of_mixed_dtypes_raise_pytorchs_messages(da, db):
    """Each product names the kernel it runs on: mm, addmv (matrix @ vector), bmm, dot, addmm."""
    calls = [lambda m, A, B: A(2, 3) @ B(3, 4), lambda m, A, B: m.mm(A(2, 3), B(3, 4)),
             lambda m, A, B: A(2, 3) @ B(3), lambda m, A, B: m.mv(A(2, 3), B(3)),
             lambda m, A, B: m.bmm(A(1, 2, 3), B(1, 3, 4)), lambda m, A, B: m.dot(A(3), B(3)),
             lambda m, A, B: m.addmm(A(2, 4), A(2, 3), B(3, 4)), lambda m, A, B: m.addmm(B(2, 4), A(2, 3), B(3, 4)),
             lambda m, A, B: m.matmul(A(2, 2, 3), B(3, 4)), lambda m, A, B: A(3) @ B(3, 2),
             lambda m, A, B: A(2, 3) @ B(2, 3, 4), lambda m, A, B: A(2, 2, 3) @ B(2, 3, 4)]
    for call in calls:
        errors = []
        for m in (ember, torch):
            def A(*s, m=m):
                return m.ones(*s, dtype=getattr(m, da))

            def B(*s, m=m):
                return m.ones(*s, dtype=getattr(m, db))
            with pytest.raises(RuntimeError) as info:
                call(m, A, B)
            errors.append(str(info.value))
        assert errors[0] == errors[1]
