"""Thread counts: set_num_threads sets BLAS's threads (read back by get_num_threads and by
threadpoolctl), the inter-op count is set once, and bad arguments raise PyTorch's errors."""
import subprocess
import sys

import pytest
import threadpoolctl
import torch

import ember


def test_set_num_threads_sets_blas_threads():
    before = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        assert ember.get_num_threads() == 1
        assert {i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"} == {1}
    finally:
        ember.set_num_threads(before)
    assert ember.get_num_threads() == before


@pytest.mark.parametrize("name", ["set_num_threads", "set_num_interop_threads"])
@pytest.mark.parametrize("value", [0, -1, 1.5, True, "2"])
def test_bad_thread_counts(name, value):
    errors = []
    for m in (ember, torch):
        with pytest.raises(RuntimeError) as info:
            getattr(m, name)(value)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_interop_threads_are_set_once():
    script = ("import sys, {m} as t\nt.set_num_interop_threads(3)\nprint(t.get_num_interop_threads())\n"
              "try:\n    t.set_num_interop_threads(2)\nexcept RuntimeError as e:\n    print(e)\n")
    out = [subprocess.run([sys.executable, "-c", script.format(m=m)], capture_output=True, text=True,
                          timeout=120).stdout for m in ("ember", "torch")]
    assert out[0] == out[1] and out[0].startswith("3\n")
