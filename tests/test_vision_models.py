"""ember.vision.models against torchvision.models: the same module tree (printed model,
state_dict names and shapes), the same outputs with the same weights, the same
initialisation under the same seed, and weights read from files and PyTorch's hub cache."""
import hashlib
import io
import os
import urllib.error
import urllib.request

import numpy as np
import pytest
import torch

import ember
import oracles
from ember.vision import models as EM
from ember.vision.models import _weights
from ember.vision.models._weights import _skip_init

tv = oracles.torchvision()
TM = tv.models
NAMES = ["resnet18", "resnet34", "resnet50", "vgg11", "vgg11_bn", "alexnet", "mobilenet_v2"]


def torch_lenet(num_classes=10):
    """LeNet as documented in ember/vision/models/lenet.py, built from torch.nn."""
    nn = torch.nn
    model = nn.Module()
    model.features = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(True), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5),
                                   nn.ReLU(True), nn.MaxPool2d(2))
    model.classifier = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.ReLU(True), nn.Linear(120, 84),
                                     nn.ReLU(True), nn.Linear(84, num_classes))
    model.forward = lambda x: model.classifier(model.features(x))
    return model


def torch_model(name, **kw):
    return torch_lenet(**kw) if name == "lenet" else getattr(TM, name)(**kw)


def layout(state_dict):
    return [(k, tuple(v.shape), str(v.dtype)) for k, v in state_dict.items()]


def to_ember(state_dict):
    return {k: ember.from_numpy(v.detach().numpy().copy()) for k, v in state_dict.items()}


@pytest.fixture
def fast_init(monkeypatch):
    """Build models without random values and without advancing the generator (for tests
    that overwrite or ignore every value; VGG alone has 130M of them)."""
    monkeypatch.setattr(_weights, "_take_draws", lambda n: None)
    return _skip_init


@pytest.mark.parametrize("name", NAMES + ["lenet"])
def test_same_module_tree_as_torchvision(name, fast_init):
    with torch.device("meta"):
        t = torch_model(name)
    with fast_init():
        e = getattr(EM, name)()
    assert layout(e.state_dict()) == layout(t.state_dict())
    if name == "lenet":
        assert repr(e) == repr(t).replace("Module(", "LeNet(", 1)
    else:
        assert repr(e) == repr(t)


@pytest.mark.parametrize("name,shape", [("resnet18", (2, 3, 64, 64)), ("resnet50", (1, 3, 64, 64)),
                                        ("mobilenet_v2", (2, 3, 64, 64)), ("vgg11_bn", (1, 3, 32, 32)),
                                        ("alexnet", (1, 3, 63, 63)), ("lenet", (3, 1, 28, 28))])
def test_torchvision_weights_give_the_same_outputs(name, shape, fast_init):
    torch.manual_seed(0)
    t = torch_model(name, num_classes=10, **({"init_weights": False} if name.startswith("vgg") else {})).eval()
    with torch.no_grad():  # give the norms running statistics that are not just 0 and 1
        for k, v in t.state_dict().items():
            if k.endswith("running_mean"):
                v.uniform_(-0.1, 0.1)
            elif k.endswith("running_var"):
                v.uniform_(0.5, 1.5)
    with fast_init():
        e = getattr(EM, name)(num_classes=10)
    result = e.load_state_dict(to_ember(t.state_dict()), strict=True)
    assert (result.missing_keys, result.unexpected_keys) == ([], [])
    e.eval()
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    with torch.no_grad():
        expected = t(torch.from_numpy(x)).numpy()
    with ember.no_grad():
        out = e(ember.from_numpy(x))
    assert out.shape == expected.shape and out.dtype == ember.float32
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())


def test_resnet18_trains_like_torchvision(fast_init):
    """Train mode (batch statistics), the in-place ReLUs and ``out += identity``: same loss,
    same gradients, same running statistics afterwards."""
    torch.manual_seed(1)
    t = TM.resnet18(num_classes=5)
    with fast_init():
        e = EM.resnet18(num_classes=5)
    e.load_state_dict(to_ember(t.state_dict()))
    x = np.random.default_rng(1).standard_normal((4, 3, 32, 32)).astype(np.float32)
    y = np.array([0, 1, 2, 4])
    lt = torch.nn.functional.cross_entropy(t(torch.from_numpy(x)), torch.from_numpy(y))
    le = ember.nn.functional.cross_entropy(e(ember.from_numpy(x)), ember.from_numpy(y))
    lt.backward()
    le.backward()
    np.testing.assert_allclose(le.item(), lt.item(), rtol=1e-5)
    pe, pt = dict(e.named_parameters()), dict(t.named_parameters())
    for k in ["conv1.weight", "layer1.0.bn2.weight", "layer3.0.downsample.0.weight", "fc.weight", "fc.bias"]:
        g = pt[k].grad.numpy()
        np.testing.assert_allclose(pe[k].grad.numpy(), g, rtol=1e-3, atol=1e-4 * np.abs(g).max())
    np.testing.assert_allclose(e.state_dict()["layer4.1.bn2.running_var"].numpy(),
                               t.state_dict()["layer4.1.bn2.running_var"].numpy(), rtol=1e-4)


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v2", "lenet"])
def test_same_initialisation_as_torchvision_under_the_same_seed(name):
    torch.manual_seed(3)
    t = torch_model(name)
    ember.manual_seed(3)
    e = getattr(EM, name)()
    for (k, a), (_, b) in zip(e.state_dict().items(), t.state_dict().items()):
        # float32 normals agree to rounding (docs/random.md): a few ulps of the std
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=k)
    np.testing.assert_array_equal(ember.rand(5).numpy(), torch.rand(5).numpy())


def test_resnet_zero_init_residual(fast_init):
    with fast_init():
        e = EM.resnet50(zero_init_residual=True, num_classes=3)
    assert all(float(abs(m.bn3.weight).sum()) == 0 for m in e.modules() if isinstance(m, EM.resnet.Bottleneck))
    assert float(e.layer1[0].bn1.weight.sum()) == 64


# --- weights from files -----------------------------------------------------------------

@pytest.fixture
def resnet18_file(tmp_path):
    torch.manual_seed(2)
    t = TM.resnet18().eval()
    path = tmp_path / "resnet18-f37072fd.pth"
    torch.save(t.state_dict(), path)
    return t, path


def assert_same_outputs(e, t, shape=(1, 3, 48, 48)):
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    with torch.no_grad():
        expected = t.eval()(torch.from_numpy(x)).numpy()
    with ember.no_grad():
        np.testing.assert_allclose(e.eval()(ember.from_numpy(x)).numpy(), expected, rtol=1e-4, atol=1e-5)


def test_weights_from_a_local_checkpoint_file(resnet18_file):
    t, path = resnet18_file
    for weights in (str(path), path):
        torch.manual_seed(9)
        TM.resnet18()
        ember.manual_seed(9)
        e = EM.resnet18(weights=weights)
        # building skipped the random values but drew as many numbers as torchvision's init
        np.testing.assert_array_equal(ember.rand(3).numpy(), torch.rand(3).numpy())
        assert_same_outputs(e, t)
    with pytest.raises(RuntimeError, match="neither a checkpoint file that exists nor one of ResNet18_Weights"):
        EM.resnet18(weights=str(path) + ".missing")


def test_a_fine_tuned_lenet_checkpoint_round_trips(tmp_path):
    torch.manual_seed(4)
    t = torch_lenet(num_classes=3)
    torch.save(t.state_dict(), tmp_path / "lenet.pt")
    e = EM.lenet(weights=tmp_path / "lenet.pt", num_classes=3)
    assert_same_outputs(e, t, (2, 1, 28, 28))
    with pytest.raises(ValueError, match="No weights available for model lenet"):
        EM.lenet(pretrained=True)


def test_weights_from_the_torch_hub_cache(resnet18_file, tmp_path, monkeypatch):
    t, path = resnet18_file
    checkpoints = tmp_path / "torch_home" / "hub" / "checkpoints"
    checkpoints.mkdir(parents=True)
    os.replace(path, checkpoints / path.name)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    assert_same_outputs(EM.resnet18(weights="DEFAULT"), t)
    with pytest.warns(UserWarning) as record:
        assert_same_outputs(EM.resnet18(pretrained=True), t)
    assert "'pretrained' is deprecated" in str(record[0].message)
    with pytest.warns(UserWarning) as torch_record:
        with pytest.raises(Exception):  # torchvision gets as far as trying to download
            monkeypatch.setattr(torch.hub, "download_url_to_file", lambda *a, **k: 1 / 0)
            monkeypatch.setenv("TORCH_HOME", str(tmp_path / "empty"))
            TM.resnet18(pretrained=True)
    assert [str(w.message) for w in record] == [str(w.message) for w in torch_record]


def test_weights_api_matches_torchvision():
    pairs = [(EM.ResNet18_Weights, TM.ResNet18_Weights), (EM.ResNet34_Weights, TM.ResNet34_Weights),
             (EM.ResNet50_Weights, TM.ResNet50_Weights), (EM.VGG11_Weights, TM.VGG11_Weights),
             (EM.VGG11_BN_Weights, TM.VGG11_BN_Weights), (EM.AlexNet_Weights, TM.AlexNet_Weights),
             (EM.MobileNet_V2_Weights, TM.MobileNet_V2_Weights)]
    for e, t in pairs:
        assert list(e.__members__) == list(t.__members__)
        for name in e.__members__:
            assert repr(e[name]) == repr(t[name]) and e[name].url == t[name].url
            assert e[name].meta["num_params"] == t[name].meta["num_params"]
            assert e[name].meta["min_size"] == t[name].meta["min_size"]
        for spelling in ("DEFAULT", e.__name__ + ".DEFAULT", e.DEFAULT):
            assert e.verify(spelling) is e.DEFAULT
            assert _weights._resolve(e, spelling, {}) is e.DEFAULT
    with pytest.raises(TypeError) as ee:
        EM.resnet18(weights=EM.AlexNet_Weights.DEFAULT)
    with pytest.raises(TypeError) as te:
        TM.resnet18(weights=TM.AlexNet_Weights.DEFAULT)
    assert str(ee.value) == str(te.value)
    with pytest.raises(ValueError) as ee:
        EM.resnet18(weights="DEFAULT", num_classes=10)
    with pytest.raises(ValueError) as te:
        TM.resnet18(weights="DEFAULT", num_classes=10)
    assert str(ee.value) == str(te.value)
    assert EM.list_models() == sorted(NAMES + ["lenet"])
    assert EM.get_model_weights("resnet50") is EM.ResNet50_Weights
    assert repr(EM.get_model("lenet", num_classes=4)).endswith("Linear(in_features=84, out_features=4, bias=True)\n  )\n)")


def test_weights_preprocessing_transform():
    from PIL import Image
    img = Image.fromarray(np.random.default_rng(3).integers(0, 256, (300, 260, 3), dtype=np.uint8))
    x = EM.ResNet50_Weights.IMAGENET1K_V2.transforms()(img)
    assert x.shape == (3, 224, 224) and x.dtype == ember.float32
    ref = TM.ResNet50_Weights.IMAGENET1K_V2.transforms()(img)
    # torchvision resizes a tensor with antialiasing, ember the PIL image: close, not bit-equal
    assert np.abs(x.numpy() - ref.numpy()).mean() < 0.05


# --- downloading weights ----------------------------------------------------------------

def test_missing_weights_without_network(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    urls = []

    def urlopen(request, *a, **k):
        urls.append(request.full_url)
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    with pytest.raises(RuntimeError) as err:
        EM.vgg11(weights=EM.VGG11_Weights.DEFAULT)
    target = os.path.join(str(tmp_path), "hub", "checkpoints", "vgg11-8a719046.pth")
    msg = str(err.value)
    assert urls == [EM.VGG11_Weights.DEFAULT.url]
    assert EM.VGG11_Weights.DEFAULT.url in msg and "no connection" in msg and target in msg and "TORCH_HOME" in msg
    assert os.listdir(tmp_path / "hub" / "checkpoints") == []


class Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def test_weights_download_checks_the_hash_in_the_file_name(tmp_path, monkeypatch):
    from ember.vision.models._weights import load_state_dict_from_url
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    torch.manual_seed(5)
    t = torch_lenet()
    buffer = io.BytesIO()
    torch.save(t.state_dict(), buffer)
    blob = buffer.getvalue()
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, *a, **k: Response(blob))
    checkpoints = tmp_path / "hub" / "checkpoints"
    with pytest.raises(RuntimeError, match="sha256"):
        load_state_dict_from_url("https://example.org/lenet-00000000.pth", check_hash=True)
    assert os.listdir(checkpoints) == []
    name = f"lenet-{hashlib.sha256(blob).hexdigest()[:8]}.pth"
    state = load_state_dict_from_url("https://example.org/" + name, check_hash=True)
    assert os.listdir(checkpoints) == [name]
    e = EM.lenet()
    e.load_state_dict(state)
    assert_same_outputs(e, t, (1, 1, 28, 28))
