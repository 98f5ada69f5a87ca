"""Pointwise ops against PyTorch: values, dtypes, gradients, gradcheck."""
from opinfo import A, S, OpInfo, make_tests, FLOATS, ALL, INTS

BINARY = [S(A(3, 4), A(3, 4)), S(A(3, 4), A(4)), S(A(2, 1, 3), A(4, 1)), S(A(), A(3)),
          S(A(3, 4, noncontig=True), A(3, 4)), S(A(0, 3), A(3)), S(A(3), 2), S(A(3), 2.5), S(2, A(3))]
UNARY = [S(A(3, 4)), S(A()), S(A(0,)), S(A(2, 3, noncontig=True))]

OPS = [
    OpInfo("add", samples=BINARY + [S(A(3), A(3), alpha=2)], dtypes=ALL),
    OpInfo("sub", samples=BINARY + [S(A(3), A(3), alpha=2)], dtypes=FLOATS + INTS),
    OpInfo("mul", samples=BINARY, dtypes=ALL, gradgradcheck=True),
    OpInfo("div", samples=[S(A(3, 4), A(3, 4, low=0.5, high=2)), S(A(3), 2), S(A(2, 3), A(3, low=1, high=3))],
           dtypes=ALL, gradgradcheck=True),
    OpInfo("neg", samples=UNARY, dtypes=FLOATS + INTS),
    OpInfo("exp", samples=UNARY, dtypes=ALL, gradgradcheck=True),
    OpInfo("log", samples=[S(A(3, 4, low=0.1, high=5))], dtypes=ALL, gradgradcheck=True),
    OpInfo("relu", samples=UNARY, dtypes=FLOATS + INTS),
    OpInfo("sigmoid", samples=UNARY, dtypes=ALL, gradgradcheck=True),
    OpInfo("tanh", samples=UNARY, dtypes=ALL, gradgradcheck=True),
    OpInfo("clone", samples=UNARY, dtypes=ALL),
    OpInfo("operators", lambda m, x, y: (x + y, x - y, x * y, x / y, -x, 2 - x, 3 / y, y * 2),
           samples=[S(A(3, 4), A(4, low=0.5, high=2))], dtypes=FLOATS),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)
