"""Write docs/coverage.md: which PyTorch APIs ember supports, found by running them.

Run ``python docs/gen_coverage.py`` (``--check`` only compares with the committed page).
Every row of the table is a PyTorch API that the seed documents use (docs/../seeds list them)
or that PyTorch's main tutorials use, with one or more *checks*: small snippets written as
PyTorch code, run here on ember (``torch`` is ``ember``). The status is measured, not
claimed:

* **supported**: every check ran without an exception (asserts included);
* **partial**: some checks ran, some raised (the failing ones are named);
* **missing**: none ran.

The checks run ember only; that the numbers equal PyTorch's is what tests/ verifies. A check
that needs a network (``download=True``) is replaced by one that inspects the signature.
"""
import contextlib
import io
import os
import pathlib
import sys
import tempfile
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).parent))  # docs/_generated.py, when run by path
from _generated import write_or_check  # noqa: E402

OUT = pathlib.Path(__file__).with_name("coverage.md")

# (section, intro, rows); a row is (api, checks) or (api, checks, note); a check is a code
# string, or (label, code) when the code is too long to name itself.
SECTIONS = [
    ("Tensors", "Creation, dtypes, devices and the tensor methods the seeds use.", [
        ("`torch.tensor`, `dtype=torch.float64`", ["torch.tensor([[1, 2], [3, 4]], dtype=torch.float64)"]),
        ("`torch.Tensor(2, 3)`, `FloatTensor`, `LongTensor`, `ByteTensor`",
         ["assert torch.Tensor(2, 3).shape == (2, 3)", "torch.FloatTensor(2, 3)", "torch.LongTensor([1, 2])",
          "torch.ByteTensor([1, 0])"]),
        ("`zeros ones arange ones_like zeros_like full eye linspace`",
         ["torch.zeros(2, 3); torch.ones(2); torch.arange(0, 10, 2); torch.full((2,), 7.)",
          "torch.ones_like(torch.zeros(2)); torch.zeros_like(torch.ones(2)); torch.eye(3); torch.linspace(0, 1, 5)"]),
        ("`rand randn randint randperm manual_seed`",
         ["torch.manual_seed(0); torch.rand(2, 3); torch.randn(4); torch.randint(0, 10, (3,)); torch.randperm(5)"]),
        ("`torch.from_numpy`, `.numpy()`, `x.detach().numpy()`",
         ["a = np.ones(3); t = torch.from_numpy(a); a[0] = 5; assert t[0] == 5",
          "torch.from_numpy(np.arange(3.)).unsqueeze(dim=1).float()",
          "x = torch.ones(2, requires_grad=True); x.detach().numpy()"]),
        ("`.shape .size() .dtype .device .item() .tolist()`",
         ["x = torch.ones(2, 3); x.shape; x.size(1); x.dtype; x.device; x.sum().item(); x.tolist()"]),
        ("`.view(4, 1)`, `.view(-1)`, `.view(1, -1)`, `reshape`",
         ["x = torch.arange(4.); assert x.view(4, 1).shape == (4, 1) and x.view(1, -1).shape == (1, 4)",
          "torch.arange(6).reshape(2, 3).view(-1)"]),
        ("`squeeze unsqueeze(dim=1) t transpose permute flatten`",
         ["x = torch.ones(2, 1, 3); x.squeeze(); x.unsqueeze(dim=1); x.transpose(0, 2); x.permute(2, 0, 1)",
          "torch.ones(2, 3).t(); torch.ones(2, 3, 4).flatten(1)"]),
        ("`.T`, `rand_like`, `requires_grad_()`, `.data`",
         ["x = torch.rand(2, 3); x.T; torch.rand_like(x); x.requires_grad_(); x.data"]),
        ("`cat stack chunk split`",
         ["x = torch.ones(4, 2); torch.cat([x, x], 0); torch.stack([x, x]); x.chunk(2); x.split(1)"]),
        ("slicing `x[1:3, :]`, boolean masks, `index_select`, `masked_select`",
         ["x = torch.arange(12).view(3, 4); x[1:3, :]; x[x > 5]; x[:, [0, 2]]",
          "x = torch.arange(6.); torch.index_select(x, 0, torch.tensor([0, 2])); "
          "torch.masked_select(x, x > 2)"]),
        ("`sum mean abs add mul sub div pow exp log clamp max min`",
         ["x = torch.rand(3) + 1; x.sum(); x.mean(); x.abs(); torch.add(x, 1); torch.mul(x, x); torch.sub(x, 1)",
          "x = torch.rand(3) + 1; torch.div(x, 2); x.pow(2); x.exp(); x.log(); x.clamp(0, 1); x.max(); x.min(0)"]),
        ("`dot mm bmm matmul @ addmm`",
         ["a = torch.rand(2, 3); b = torch.rand(3, 4); torch.mm(a, b); a @ b; torch.matmul(a, b)",
          "torch.dot(torch.ones(3), torch.ones(3)); torch.bmm(torch.ones(2, 2, 3), torch.ones(2, 3, 1))",
          "assert torch.addmm(torch.ones(3), torch.ones(2, 2), torch.ones(2, 3)).tolist() == [[3, 3, 3]] * 2"]),
        ("`torch.max(outputs, 1)`, `flatten(x, 1)`",
         ["values, indices = torch.max(torch.rand(4, 3), 1); torch.flatten(torch.ones(2, 3, 4), 1)"]),
        ("`argmax`, `sort`, `topk`, `unique`, `where`, `gather`",
         ["x = torch.tensor([3, 1, 2]); x.argmax(); x.sort(); x.topk(2); torch.unique(x); "
          "torch.where(x > 1, x, 0); x.gather(0, torch.tensor([0]))"]),
        ("`clone` and in-place ops (`add_`, `mul_`, `zero_`, `fill_`)",
         ["x = torch.ones(3); y = x.clone(); y.add_(1); y.mul_(2); y.fill_(1.0); y.zero_(); assert x[0] == 1"]),
        ("`torch.device`, `.to(device)`, `torch.cuda.is_available()`",
         ["device = torch.device('cuda:0' if torch.cuda.is_available() else 'cpu'); torch.ones(2).to(device)",
          "torch.ones(2).to('cpu'); assert not torch.cuda.is_available()",
          ("`torch.tensor(..., device='cuda:0')` raises as on a machine without a GPU",
           "try:\n    torch.tensor([1.], device='cuda:0')\nexcept (AssertionError, RuntimeError):\n    pass\n"
           "else:\n    raise AssertionError")],
         "CPU only: as on PyTorch without a GPU, moving a tensor to `cuda` raises an error"),
        ("`torch.Generator().manual_seed(42)`, `set_default_dtype`",
         ["g = torch.Generator().manual_seed(42); torch.rand(2, generator=g); "
          "torch.set_default_dtype(torch.float32)"]),
        ("`bfloat16`", ["torch.zeros(2, dtype=torch.bfloat16)"]),
        ("complex dtypes", ["torch.zeros(2, dtype=torch.complex64)"]),
        ("`torch.norm` (vector and matrix norms)",
         ["torch.norm(torch.ones(3)); torch.ones(2, 2).norm(p=1)", "torch.norm(torch.eye(2), p='fro')",
          "torch.norm(torch.eye(2), p='nuc')"]),
        ("`torch.fft`", ["torch.fft.fft(torch.ones(4))"]),
        ("`torch.linalg` (`inv`, `solve`, `svd`)", ["torch.linalg.inv(torch.eye(2))"]),
    ]),
    ("Autograd", "Recording operations and computing gradients.", [
        ("`requires_grad=True`, `backward()`, `.grad`",
         ["x = torch.tensor([1., 2.], requires_grad=True); (x * x).sum().backward(); "
          "assert x.grad.tolist() == [2., 4.]"]),
        ("`backward()` on a tensor that does not require grad raises",
         [("torch.ones(1).sum().backward() raises RuntimeError",
           "try:\n    torch.ones(1).sum().backward()\nexcept RuntimeError:\n    pass\nelse:\n    raise AssertionError")]),
        ("`torch.no_grad()` (context and decorator), `detach()`",
         ["x = torch.ones(1, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\nassert not y.requires_grad",
          "f = torch.no_grad()(lambda x: x * 2); assert not f(torch.ones(1, requires_grad=True)).requires_grad",
          "assert not torch.ones(1, requires_grad=True).detach().requires_grad"]),
        ("`backward(retain_graph=True)`, `backward(gradient)`, `grad.zero_()`",
         ["x = torch.ones(1, requires_grad=True); y = (x * x).sum(); y.backward(retain_graph=True); y.backward(); "
          "assert x.grad.item() == 4",
          "x = torch.ones(2, requires_grad=True); out = x * 3; out.backward(torch.ones_like(out)); x.grad.zero_()"]),
        ("`grad_fn`, `torch.set_grad_enabled(phase == 'train')`",
         ["x = torch.ones(1, requires_grad=True); assert (x * 2).grad_fn is not None",
          "with torch.set_grad_enabled(False):\n    assert not (torch.ones(1, requires_grad=True) * 2).requires_grad"]),
        ("`torch.autograd.grad`, `create_graph=True` (higher derivatives)",
         ["x = torch.tensor(2., requires_grad=True); g, = torch.autograd.grad(x ** 3, x, create_graph=True); "
          "h, = torch.autograd.grad(g, x); assert h.item() == 12"]),
        ("custom `torch.autograd.Function` (`ctx.save_for_backward`)",
         [("a LegendrePolynomial3-style Function",
           "class Cube(torch.autograd.Function):\n"
           "    @staticmethod\n    def forward(ctx, x):\n        ctx.save_for_backward(x)\n        return x ** 3\n"
           "    @staticmethod\n    def backward(ctx, g):\n        x, = ctx.saved_tensors\n        return g * 3 * x ** 2\n"
           "x = torch.tensor(2., requires_grad=True); Cube.apply(x).backward(); assert x.grad.item() == 12")]),
        ("hooks: `register_hook`, `retain_grad`",
         ["x = torch.ones(2, requires_grad=True); x.register_hook(lambda g: g * 2); y = x * 3; y.retain_grad(); "
          "y.sum().backward(); assert x.grad.tolist() == [6., 6.]"]),
        ("`gradcheck`, `gradgradcheck`",
         ["x = torch.rand(3, dtype=torch.float64, requires_grad=True); "
          "assert torch.autograd.gradcheck(torch.sin, (x,)) and torch.autograd.gradgradcheck(torch.sin, (x,))"]),
        ("`torch.autograd.set_detect_anomaly`", ["torch.autograd.set_detect_anomaly(False)"]),
        ("`torch.autograd.forward_ad` (forward-mode AD)",
         [("dual numbers: make_dual / unpack_dual",
           "import ember.autograd.forward_ad as fwAD\n"
           "with fwAD.dual_level():\n"
           "    d = fwAD.make_dual(torch.tensor(2.), torch.tensor(1.))\n"
           "    assert fwAD.unpack_dual(d * d).tangent.item() == 4")]),
        ("`torch.func` (`grad`, `vmap`)", ["torch.func.grad(torch.sin)(torch.tensor(0.))"]),
    ]),
    ("nn: modules and layers", "`torch.nn` as the seeds and tutorials use it.", [
        ("`nn.Module` subclass with `__init__`/`forward`, `super().__init__()` check",
         [("a two-layer Module subclass",
           "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
           "        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        return F.relu(self.fc(x))\n"
           "Net()(torch.ones(1, 4))"),
          ("assigning a submodule before `Module.__init__` raises AttributeError",
           "class Bad(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(1, 1)\n"
           "try:\n    Bad()\nexcept AttributeError as e:\n"
           "    assert 'cannot assign module before Module.__init__() call' in str(e)\nelse:\n"
           "    raise AssertionError")]),
        ("`nn.Sequential`, `nn.ModuleList`, `nn.ModuleDict`, `print(model)`",
         ["m = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10)); "
          "assert 'Linear(in_features=784, out_features=512, bias=True)' in str(m)",
          "nn.ModuleList([nn.ReLU()]); nn.ModuleDict({'a': nn.ReLU()})"]),
        ("`parameters() named_parameters() children() named_children() apply() state_dict()`",
         ["m = nn.Sequential(nn.Linear(2, 2), nn.ReLU()); list(m.parameters()); dict(m.named_parameters()); "
          "list(m.children()); list(m.named_children()); m.apply(lambda _: None); m.state_dict()",
          "m = nn.Linear(2, 2); assert [p for p in m.parameters() if p.requires_grad]"]),
        ("`load_state_dict(strict=True)` printing `<All keys matched successfully>`",
         ["m = nn.Linear(2, 2); assert str(m.load_state_dict(m.state_dict(), strict=True)) == "
          "'<All keys matched successfully>'"]),
        ("`model.train()`, `model.eval()`, `model.to(device)`",
         ["m = nn.Dropout(); m.eval(); assert not m.training; m.train(); m.to('cpu')"]),
        ("`nn.parameter.Parameter`", ["p = nn.parameter.Parameter(torch.ones(2)); assert p.requires_grad"]),
        ("`nn.Linear`, `nn.Bilinear`, `nn.Identity`, `nn.Flatten`",
         ["nn.Linear(3, 2)(torch.ones(4, 3)); nn.Bilinear(2, 3, 4)(torch.ones(1, 2), torch.ones(1, 3))",
          "nn.Identity()(torch.ones(1)); nn.Flatten()(torch.ones(2, 3, 4))"]),
        ("`nn.Conv2d(1, 20, 5)`, `nn.Conv2d(3, 32, 3, padding=1)`, `nn.ConvTranspose2d`, `nn.Conv1d`",
         ["nn.Conv2d(1, 20, 5)(torch.ones(1, 1, 28, 28)); nn.Conv2d(3, 32, 3, padding=1)(torch.ones(1, 3, 8, 8))",
          "nn.Conv2d(3, 8, 3, stride=2, padding=0, dilation=1, groups=1, bias=True)(torch.ones(1, 3, 9, 9))",
          "nn.ConvTranspose2d(4, 2, 3, stride=2)(torch.ones(1, 4, 5, 5)); nn.Conv1d(2, 4, 3)(torch.ones(1, 2, 9))"]),
        ("`nn.Conv3d`, 3-d pooling", ["nn.Conv3d(1, 2, 3)(torch.ones(1, 1, 5, 5, 5))",
                                       "nn.MaxPool3d(2)(torch.ones(1, 1, 4, 4, 4))"]),
        ("`nn.MaxPool2d`, `nn.AvgPool2d`, `nn.AdaptiveAvgPool2d`",
         ["x = torch.ones(1, 1, 8, 8); nn.MaxPool2d(2)(x); nn.AvgPool2d(2)(x); nn.AdaptiveAvgPool2d((1, 1))(x)"]),
        ("`nn.Flatten(0, 1)` in a polynomial fit (\"Learning PyTorch with Examples\")",
         [("fit y = sin(x) with a Linear(3, 1) on x, x^2, x^3",
           "import math\nx = torch.linspace(-math.pi, math.pi, 200); y = torch.sin(x)\n"
           "xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))\n"
           "model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1)); opt = optim.RMSprop(model.parameters(), lr=1e-3)\n"
           "for _ in range(3):\n    loss = nn.MSELoss(reduction='sum')(model(xx), y); opt.zero_grad(); "
           "loss.backward(); opt.step()")]),
        ("activations `ReLU LeakyReLU Tanh Sigmoid Softmax LogSoftmax GELU`",
         ["x = torch.randn(4); nn.ReLU()(x); nn.LeakyReLU(0.2)(x); nn.Tanh()(x); nn.Sigmoid()(x); "
          "nn.Softmax(dim=0)(x); nn.LogSoftmax(dim=0)(x); nn.GELU()(x)"]),
        ("`nn.Dropout`, `nn.Dropout2d`",
         ["nn.Dropout(0.5)(torch.ones(10)); nn.Dropout2d(0.5)(torch.ones(1, 4, 3, 3))"]),
        ("`nn.BatchNorm1d`, `nn.BatchNorm2d`, `nn.LayerNorm`",
         ["nn.BatchNorm1d(3)(torch.randn(4, 3)); nn.BatchNorm2d(3)(torch.randn(2, 3, 4, 4)); "
          "nn.LayerNorm(3)(torch.randn(2, 3))"]),
        ("`nn.Embedding`", ["nn.Embedding(10, 3)(torch.tensor([[1, 2], [3, 4]]))"]),
        ("`nn.RNN`, `nn.LSTM`, `nn.GRU` (`batch_first`, packed sequences)",
         ["nn.RNN(4, 8)(torch.randn(5, 1, 4)); nn.GRU(4, 8, batch_first=True)(torch.randn(1, 5, 4))",
          "out, (h, c) = nn.LSTM(4, 8, num_layers=2)(torch.randn(5, 1, 4)); assert out.shape == (5, 1, 8)",
          ("`pack_padded_sequence` into an LSTM",
           "p = nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 4), [3, 2]); nn.LSTM(4, 8)(p)"),
          "nn.LSTM(4, 8, proj_size=2)(torch.randn(5, 1, 4))"]),
        ("`nn.TransformerEncoder`, `nn.MultiheadAttention`",
         ["layer = nn.TransformerEncoderLayer(d_model=8, nhead=2); "
          "nn.TransformerEncoder(layer, num_layers=2)(torch.randn(5, 1, 8))",
          "nn.MultiheadAttention(8, 2)(torch.randn(3, 1, 8), torch.randn(3, 1, 8), torch.randn(3, 1, 8))",
          "nn.Transformer.generate_square_subsequent_mask(4); torch.triu(torch.ones(3, 3) * float('-inf'), diagonal=1)"]),
        ("`nn.DataParallel(model)`", ["nn.DataParallel(nn.Linear(2, 2))(torch.ones(1, 2))"],
         "a CPU wrapper: runs the module as it is"),
        ("`nn.init`: `uniform_ normal_ constant_ kaiming_normal_ xavier_uniform_`",
         ["w = torch.Tensor(1000, 1); nn.init.uniform_(w, -10, 10); nn.init.normal_(w, std=1); "
          "nn.init.constant_(w, 0.5); nn.init.kaiming_normal_(torch.empty(3, 4)); "
          "nn.init.xavier_uniform_(torch.empty(3, 4))"]),
        ("`Module.apply(init_weights)` with `@torch.no_grad()` and `m.weight.fill_(1.0)`",
         [("the seed 003 example",
           "@torch.no_grad()\ndef init_weights(m):\n    if isinstance(m, nn.Linear):\n        m.weight.fill_(1.0)\n"
           "net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2)); net.apply(init_weights); "
           "assert net[0].weight.sum().item() == 4")]),
        ("`nn.utils.clip_grad_norm_`", ["p = nn.Parameter(torch.ones(2)); p.grad = torch.ones(2) * 10; "
                                         "nn.utils.clip_grad_norm_([p], 1.0)"]),
        ("`F.interpolate` / `nn.Upsample` (nearest, bilinear, bicubic)",
         ["F.interpolate(torch.ones(1, 1, 2, 2), scale_factor=2, mode='nearest')",
          "nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)(torch.ones(1, 1, 2, 2))",
          "F.interpolate(torch.ones(1, 1, 2, 2), scale_factor=2, mode='bicubic')"]),
        ("`nn.utils.spectral_norm`, `nn.utils.weight_norm`",
         ["nn.utils.weight_norm(nn.Linear(2, 2))", "nn.utils.spectral_norm(nn.Linear(2, 2))"]),
    ]),
    ("nn: losses and functional", "Loss modules and `torch.nn.functional`.", [
        ("`nn.CrossEntropyLoss`, `nn.NLLLoss`",
         ["nn.CrossEntropyLoss()(torch.randn(4, 3), torch.tensor([0, 1, 2, 1])); "
          "nn.NLLLoss()(torch.randn(4, 3).log_softmax(1), torch.tensor([0, 1, 2, 1]))"]),
        ("`nn.MSELoss`, `nn.L1Loss`, `nn.SmoothL1Loss`",
         ["x, y = torch.randn(4), torch.randn(4); nn.MSELoss()(x, y); nn.L1Loss()(x, y); nn.SmoothL1Loss()(x, y)"]),
        ("`nn.BCELoss`, `nn.BCEWithLogitsLoss`",
         ["nn.BCELoss()(torch.rand(4), torch.ones(4)); nn.BCEWithLogitsLoss()(torch.randn(4), torch.ones(4))"]),
        ("`nn.CTCLoss`",
         ["nn.CTCLoss()(torch.randn(6, 1, 4).log_softmax(2), torch.tensor([[1, 2]]), torch.tensor([6]), "
          "torch.tensor([2]))"]),
        ("`F.relu F.softmax F.log_softmax F.cross_entropy F.max_pool2d F.dropout`",
         ["x = torch.randn(2, 3); F.relu(x); F.softmax(x, dim=1); F.log_softmax(x, dim=1); "
          "F.cross_entropy(x, torch.tensor([0, 2])); F.dropout(x, 0.5)",
          "F.max_pool2d(torch.ones(1, 1, 4, 4), 2); F.conv2d(torch.ones(1, 1, 4, 4), torch.ones(2, 1, 3, 3))",
          "F.binary_cross_entropy_with_logits(torch.randn(3), torch.ones(3))"]),
    ]),
    ("optim", "Optimizers and learning-rate schedules.", [
        ("`optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)`, `zero_grad`, `step`",
         ["m = nn.Linear(2, 1); opt = optim.SGD(m.parameters(), lr=1e-2, momentum=0.9); opt.zero_grad(); "
          "m(torch.ones(1, 2)).sum().backward(); opt.step()"]),
        ("`optim.Adam`, `AdamW`, `RMSprop`, `Adagrad`",
         ["ps = [nn.Parameter(torch.ones(2))]\nfor cls in (optim.Adam, optim.AdamW, optim.RMSprop, optim.Adagrad):\n"
          "    o = cls(ps, lr=0.1); ps[0].grad = torch.ones(2); o.step()"]),
        ("`optim.LBFGS`",
         [("LBFGS with a closure",
           "p = nn.Parameter(torch.ones(2)); o = optim.LBFGS([p])\ndef closure():\n    o.zero_grad()\n"
           "    loss = ((p - 3) ** 2).sum(); loss.backward(); return loss\no.step(closure)")]),
        ("`lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)`, `scheduler.step()`",
         ["o = optim.SGD([nn.Parameter(torch.ones(1))], lr=1.0); "
          "s = optim.lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch); o.step(); s.step(); "
          "assert abs(o.param_groups[0]['lr'] - 0.95) < 1e-12"]),
        ("`lr_scheduler.StepLR`, `CosineAnnealingLR`, `ReduceLROnPlateau`",
         ["o = optim.SGD([nn.Parameter(torch.ones(1))], lr=1.0); optim.lr_scheduler.StepLR(o, 7, gamma=0.1); "
          "optim.lr_scheduler.CosineAnnealingLR(o, 10); optim.lr_scheduler.ReduceLROnPlateau(o).step(1.0)"]),
        ("`optimizer.state_dict()` / `load_state_dict`",
         ["o = optim.Adam([nn.Parameter(torch.ones(1))]); o.load_state_dict(o.state_dict())"]),
    ]),
    ("Data", "`torch.utils.data`.", [
        ("map-style `Dataset` (`__init__`, `__len__`, `__getitem__`), `TensorDataset`",
         [("a custom Dataset in a DataLoader",
           "class D(torch.utils.data.Dataset):\n    def __len__(self):\n        return 10\n"
           "    def __getitem__(self, i):\n        return torch.tensor([float(i)]), i % 2\n"
           "x, y = next(iter(DataLoader(D(), batch_size=4))); assert x.shape == (4, 1) and y.dtype == torch.int64"),
          "TensorDataset(torch.ones(4, 2), torch.zeros(4))[0]"]),
        ("`IterableDataset`",
         [("an IterableDataset in a DataLoader",
           "class It(torch.utils.data.IterableDataset):\n    def __iter__(self):\n        return iter(range(5))\n"
           "assert len(list(DataLoader(It(), batch_size=2))) == 3")]),
        ("`DataLoader(batch_size, shuffle, num_workers, drop_last, collate_fn, pin_memory, sampler, ...)`",
         ["ds = TensorDataset(torch.arange(10.)); "
          "assert len(DataLoader(ds, batch_size=3, shuffle=True, drop_last=True, pin_memory=False, timeout=0, "
          "worker_init_fn=None)) == 3",
          "ds = TensorDataset(torch.arange(10.)); list(DataLoader(ds, batch_size=2, collate_fn=lambda b: b))",
          ("`num_workers=2` (worker processes)",
           "ds = TensorDataset(torch.arange(8.)); assert len(list(DataLoader(ds, batch_size=2, num_workers=2))) == 4")]),
        ("samplers `Sequential Random SubsetRandom WeightedRandom Batch`",
         ["from ember.utils.data import SequentialSampler, RandomSampler, SubsetRandomSampler, "
          "WeightedRandomSampler, BatchSampler\n"
          "list(SequentialSampler(range(3))); list(RandomSampler(range(3), replacement=True, num_samples=5)); "
          "list(SubsetRandomSampler([0, 2])); list(WeightedRandomSampler([0.1, 0.9], 4)); "
          "list(BatchSampler(SequentialSampler(range(5)), 2, drop_last=False))"]),
        ("`DistributedSampler`",
         ["from ember.utils.data import DistributedSampler\n"
          "list(DistributedSampler(range(8), num_replicas=2, rank=0))"]),
        ("`random_split`, `Subset`, `ConcatDataset`",
         ["from ember.utils.data import random_split, ConcatDataset\n"
          "a, b = random_split(TensorDataset(torch.ones(10)), [7, 3]); ConcatDataset([a, b])"]),
        ("`torch.nn.parallel.DistributedDataParallel`, `torch.distributed`",
         ["torch.distributed.is_available()", "torch.nn.parallel.DistributedDataParallel"]),
        ("`torch.multiprocessing`", ["import ember.multiprocessing"]),
    ]),
    ("Saving and loading", "Checkpoints in PyTorch's file format.", [
        ("`torch.save(model.state_dict(), path)`, `torch.load(path)`",
         ["m = nn.Linear(2, 2); torch.save(m.state_dict(), os.path.join(tmp, 'model.pth')); "
          "m.load_state_dict(torch.load(os.path.join(tmp, 'model.pth')))"]),
        ("`torch.save({'model_state_dict': ..., 'optimizer_state_dict': ..., 'epoch': ...})`",
         ["m = nn.Linear(2, 2); o = optim.SGD(m.parameters(), lr=0.1); path = os.path.join(tmp, 'ckpt.pt'); "
          "torch.save({'model_state_dict': m.state_dict(), 'optimizer_state_dict': o.state_dict(), 'epoch': 3}, "
          "path); c = torch.load(path); o.load_state_dict(c['optimizer_state_dict']); assert c['epoch'] == 3"]),
        ("`torch.save(model)` (a whole pickled module)",
         ["path = os.path.join(tmp, 'whole.pt'); torch.save(nn.Linear(2, 2), path); "
          "torch.load(path, weights_only=False)"]),
        ("`torch.jit` (TorchScript)", ["torch.jit.script(nn.Linear(2, 2))"]),
        ("`torch.compile`", ["torch.compile(nn.Linear(2, 2))"]),
        ("`torch.onnx.export`", ["torch.onnx.export"]),
    ]),
    ("torchvision", "`torchvision` is `ember.vision` (`ember run` maps the import).", [
        ("`transforms.Compose([ToTensor(), Normalize((0.5,), (1.0,))])`",
         ["T = vision.transforms; t = T.Compose([T.ToTensor(), T.Normalize((0.5,), (1.0,))]); "
          "assert t(np.zeros((28, 28), np.uint8)).shape == (1, 28, 28)"]),
        ("`transforms.Resize`, `Scale`, `CenterCrop`, `RandomResizedCrop`, `RandomHorizontalFlip`",
         [("on a PIL image",
           "from PIL import Image\nT = vision.transforms; im = Image.new('RGB', (40, 30))\n"
           "T.Resize(32)(im); T.Scale(32)(im); T.CenterCrop(24)(im); T.RandomResizedCrop(16)(im); "
           "T.RandomHorizontalFlip()(im)")]),
        ("datasets `MNIST`, `FashionMNIST`, `CIFAR10` (`root`, `train`, `download`, `transform`)",
         [("the constructors take torchvision's arguments",
           "import inspect\nfor cls in (vision.datasets.MNIST, vision.datasets.FashionMNIST, vision.datasets.CIFAR10):\n"
           "    assert {'root', 'train', 'download', 'transform'} <= set(inspect.signature(cls).parameters)")],
         "read from the real on-disk formats; `download=True` fetches and checksums the files (not run here)"),
        ("`Lambda` target transform with `scatter_(0, index, value=1)` (the quickstart)",
         ["t = vision.transforms.Lambda(lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), "
          "value=1)); assert t(3).sum().item() == 1"]),
        ("`torchvision.io.read_image`", ["vision.io.read_image"]),
        ("datasets `ImageFolder`, `FakeData`",
         ["x, y = vision.datasets.FakeData(size=2, image_size=(3, 8, 8), "
          "transform=vision.transforms.ToTensor())[0]; assert x.shape == (3, 8, 8)",
          "vision.datasets.ImageFolder"]),
        ("`models.resnet18/50`, `vgg11`, `alexnet`, `mobilenet_v2` (`pretrained=`/`weights=`)",
         ["m = vision.models.resnet18(num_classes=10); assert list(m.children())[-1].out_features == 10",
          "import inspect; assert 'weights' in inspect.signature(vision.models.resnet50).parameters",
          "vision.models.vgg11; vision.models.alexnet; vision.models.mobilenet_v2"],
         "weights come from PyTorch's hub cache, a download or a local file (not run here)"),
        ("other torchvision models (`vgg16`, `densenet121`, `efficientnet_b0`, `vit_b_16`)",
         ["vision.models.vgg16", "vision.models.densenet121", "vision.models.efficientnet_b0",
          "vision.models.vit_b_16"]),
        ("`utils.make_grid`, `utils.save_image`",
         ["g = vision.utils.make_grid(torch.rand(4, 3, 8, 8), nrow=2); "
          "vision.utils.save_image(g, os.path.join(tmp, 'grid.png'))"]),
    ]),
    ("torchmetrics", "`torchmetrics` is `ember.metrics`.", [
        ("`Accuracy(task='multiclass', num_classes=...)`",
         ["acc = metrics.Accuracy(task='multiclass', num_classes=3); "
          "acc.update(torch.tensor([0, 1, 2]), torch.tensor([0, 1, 1])); acc.compute()"]),
        ("`Precision Recall F1Score ConfusionMatrix AUROC`",
         ["p, t = torch.tensor([0, 1, 1]), torch.tensor([0, 1, 0])\n"
          "for cls in (metrics.Precision, metrics.Recall, metrics.F1Score, metrics.ConfusionMatrix):\n"
          "    cls(task='binary')(p, t)\n"
          "metrics.AUROC(task='binary')(torch.tensor([0.1, 0.9, 0.6]), t)"]),
        ("`MeanSquaredError MeanAbsoluteError R2Score`",
         ["x, y = torch.rand(5), torch.rand(5); metrics.MeanSquaredError()(x, y); "
          "metrics.MeanAbsoluteError()(x, y); metrics.R2Score()(x, y)"]),
    ]),
    ("Tools around training", "Libraries the seeds and tutorials pair with PyTorch.", [
        ("`torch.utils.tensorboard.SummaryWriter`",
         ["from ember.utils.tensorboard import SummaryWriter"]),
        ("`torch.profiler`", ["import ember.profiler; ember.profiler.profile"]),
        ("mixed precision: `torch.autocast`, `torch.amp.GradScaler`",
         ["with torch.autocast('cpu'):\n    pass", "torch.amp.GradScaler"]),
        ("`torch.backends.cudnn.deterministic = True`", ["torch.backends.cudnn.deterministic = True"]),
        ("NumPy interoperability (`np.asarray(tensor)`, `tensor + ndarray`)",
         ["np.asarray(torch.ones(2))", "torch.ones(2) + np.ones(2)"]),
    ]),
]


def _namespace(tmp):
    import numpy as np
    import ember as torch
    from ember import nn, optim, vision, metrics
    import ember.nn.functional as F
    from ember.utils.data import DataLoader, TensorDataset
    return dict(torch=torch, nn=nn, F=F, optim=optim, vision=vision, metrics=metrics, np=np, os=os,
                DataLoader=DataLoader, TensorDataset=TensorDataset, tmp=tmp)


def _label(check):
    if isinstance(check, tuple):
        return check[0]
    return f"`{check}`"


def run_check(code, tmp):
    """None if ``code`` runs on ember, else the name of the exception it raised."""
    import ember
    rng = ember.get_rng_state()
    ember.manual_seed(0)                         # every check sees the same random numbers
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            exec(compile(code, "<coverage check>", "exec"), _namespace(tmp))
    except Exception as e:                       # the check failed: report which way
        return type(e).__name__
    finally:
        ember.set_rng_state(rng)
    return None


def results():
    """[(section, intro, [(api, status, failures, note)])] with failures [(label, exception)]."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for section, intro, rows in SECTIONS:
            done = []
            for row in rows:
                api, checks, note = (row + ("",))[:3]
                failures = []
                for check in checks:
                    err = run_check(check[1] if isinstance(check, tuple) else check, tmp)
                    if err:
                        failures.append((_label(check), err))
                status = ("supported" if not failures else
                          "missing" if len(failures) == len(checks) else "partial")
                done.append((api, status, failures, note))
            out.append((section, intro, done))
    return out


def render():
    res = results()
    counts = {s: sum(st == s for _, _, rows in res for _, st, _, _ in rows)
              for s in ("supported", "partial", "missing")}
    lines = ["# Coverage", "",
             "Generated by `docs/gen_coverage.py`: do not edit by hand. Each row is a PyTorch API that the",
             "seed documents use or that PyTorch's main tutorials use. Its status is *measured*: the generator",
             "runs one or more small checks, written as PyTorch code, on ember (`import ember as torch`).",
             "",
             "* **supported**: every check ran;",
             "* **partial**: some checks ran and the ones named in the notes raised;",
             "* **missing**: no check ran (ember raises `NotImplementedError`, or the name does not exist).",
             "",
             "A check only shows that the code runs; that its results equal PyTorch's is what the test",
             "suite (`make test`) verifies, op by op, against PyTorch itself. A test fails when this page",
             "no longer matches what the checks find: run `python docs/gen_coverage.py` to update it.",
             "",
             f"Totals: {counts['supported']} supported, {counts['partial']} partial, {counts['missing']} missing.",
             ""]
    for section, intro, rows in res:
        lines += [f"## {section}", "", intro, "", "| API | status | notes |", "| --- | --- | --- |"]
        for api, status, failures, note in rows:
            notes = [note] if note else []
            if failures and status == "partial":
                notes += [f"fails: {label} ({err})" for label, err in failures]
            elif failures:
                notes += [f"raises {', '.join(sorted({err for _, err in failures}))}"]
            cell = "; ".join(notes).replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {api} | {status} | {cell} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv):
    return write_or_check(OUT, render(), argv, "gen_coverage.py")


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    sys.exit(main(sys.argv[1:]))
