"""torch.amp's GradScaler (PyTorch's loss-scaling algorithm, on the CPU), autocast where it is
off, torch.backends flags and torch.multiprocessing, against PyTorch."""
import warnings

import numpy as np
import pytest
import torch

import ember


def train_with_scaler(m, poison_steps):
    m.manual_seed(0)
    model = m.nn.Linear(4, 3)
    opt = m.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scaler = m.amp.GradScaler("cpu", init_scale=2.0 ** 10, growth_interval=3)
    x = m.from_numpy(np.linspace(-1, 1, 24, dtype=np.float32).reshape(6, 4))
    scales, losses = [], []
    for step in range(10):
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        scaler.scale(loss).backward()
        if step in poison_steps:  # an overflow: this step must be skipped and the scale backed off
            model.weight.grad[0, 0] = float("inf")
        scaler.unscale_(opt) if step % 2 else None
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
        losses.append(loss.item())
    return scales, losses, [p.detach().numpy().copy() for p in model.parameters()], scaler.state_dict()


def test_grad_scaler_follows_pytorchs_scale_and_steps():
    e, t = train_with_scaler(ember, {2, 7}), train_with_scaler(torch, {2, 7})
    assert e[0] == t[0]  # the scale sequence: backoffs after the overflows, growth after 3 clean steps
    np.testing.assert_allclose(e[1], t[1], rtol=1e-5)
    for a, b in zip(e[2], t[2]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert e[3] == t[3]


def test_grad_scaler_errors_match_pytorch():
    for m in (torch, ember):
        model = m.nn.Linear(2, 1)
        opt = m.optim.SGD(model.parameters(), lr=0.1)
        scaler = m.amp.GradScaler("cpu")
        scaler.scale(model(m.ones(1, 2)).sum()).backward()
        scaler.unscale_(opt)
        with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called on this optimizer"):
            scaler.unscale_(opt)
        with pytest.raises(RuntimeError, match="Closure use is not currently supported"):
            scaler.step(opt, closure=lambda: None)


def test_cuda_scaler_and_autocast_disable_themselves_without_cuda():
    for m in (torch, ember):
        with pytest.warns(UserWarning, match="GradScaler is enabled, but CUDA is not available.  Disabling."):
            scaler = m.amp.GradScaler("cuda")
        assert not scaler.is_enabled() and scaler.get_scale() == 1.0 and scaler.state_dict() == {}
        loss = m.ones(1, requires_grad=True)
        assert scaler.scale(loss) is loss
        with pytest.warns(UserWarning, match="CUDA is not available or torch_xla is imported. Disabling autocast."):
            with m.autocast("cuda"):
                y = m.ones(2) @ m.ones(2)
        assert y.dtype == m.float32
        with m.autocast(device_type="cpu", enabled=False):
            assert (m.ones(2) * 2).dtype == m.float32
        with pytest.warns(FutureWarning, match="torch.cuda.amp.GradScaler\\(args...\\)` is deprecated"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                m.cuda.amp.GradScaler()


def test_cpu_autocast_names_what_ember_lacks():
    with pytest.raises(NotImplementedError, match="bfloat16"):
        with ember.autocast("cpu"):
            pass


def test_backend_flags_and_multiprocessing():
    for m in (torch, ember):
        m.backends.cudnn.deterministic = True
        m.backends.cudnn.benchmark = False
        assert m.backends.cudnn.deterministic is True and m.backends.cudnn.is_available() is False
        assert m.backends.mps.is_available() is False
        assert m.multiprocessing.cpu_count() >= 1 and "fork" in m.multiprocessing.get_all_start_methods()


def _child(i, queue):
    queue.put(i * i)


def test_multiprocessing_spawn_runs_every_process():
    ctx = ember.multiprocessing.get_context("fork")
    queue = ctx.SimpleQueue()
    ember.multiprocessing.spawn(_child, args=(queue,), nprocs=3, start_method="fork")
    assert sorted(queue.get() for _ in range(3)) == [0, 1, 4]
