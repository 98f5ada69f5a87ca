"""Steps 3-4 of a run: the network, built from a small JSON-able description.

``build_model(spec, nn)`` takes the ``nn`` namespace as an argument: with ``ember.nn`` it
builds the model ember trains, and with ``torch.nn`` the same architecture with the same
parameter names, which is how a saved ``model.pt`` is reloaded in PyTorch (the tests do
exactly that). ``spec`` holds ``model``, ``hidden``, ``batch_norm``, ``dropout``,
``input_shape`` and ``num_outputs``.

- mlp: Flatten, then per hidden size h: Linear(in, h) [BatchNorm1d] ReLU [Dropout], then
  Linear(in, outputs). With hidden 512,512 on 1x28x28 inputs this is the Quickstart
  tutorial's network.
- cnn: per hidden size h a 3x3 (3 for tables) convolution with h channels and padding 1
  [BatchNorm] ReLU, and a 2x max-pool while the input is at least 2 wide; then Flatten
  [Dropout] Linear. Images use the 2-d layers; a table's F features are one 1-d signal.
- lstm: the input as a sequence (an image's rows, each C*W values; a table's features, one
  value per step) into an LSTM of hidden[0] units and len(hidden) layers, whose last step's
  output goes through [BatchNorm1d] [Dropout] Linear.
"""
import math


def build_model(spec, nn):
    """The model described by ``spec``, built with the modules of ``nn``."""
    build = {"mlp": _mlp, "cnn": _cnn, "lstm": _lstm}[spec["model"]]
    return build(nn, spec["input_shape"], spec["hidden"], spec["batch_norm"], spec["dropout"], spec["num_outputs"])


def _block(nn, norm, width, batch_norm, dropout):
    """The layers after each hidden layer: [norm] ReLU [Dropout]."""
    return [*([norm(width)] if batch_norm else []), nn.ReLU(), *([nn.Dropout(dropout)] if dropout else [])]


def _mlp(nn, shape, hidden, batch_norm, dropout, outputs):
    layers, width = [nn.Flatten()], math.prod(shape)
    for h in hidden:
        layers += [nn.Linear(width, h), *_block(nn, nn.BatchNorm1d, h, batch_norm, dropout)]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, outputs))


def _cnn(nn, shape, hidden, batch_norm, dropout, outputs):
    if len(shape) == 1:  # a table row: one channel, F positions
        layers, channels, sizes = [nn.Unflatten(1, (1, shape[0]))], 1, list(shape)
        conv, norm, pool = nn.Conv1d, nn.BatchNorm1d, nn.MaxPool1d
    else:
        layers, channels, sizes = [], shape[0], list(shape[1:])
        conv, norm, pool = nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d
    for h in hidden:
        layers += [conv(channels, h, 3, padding=1), *_block(nn, norm, h, batch_norm, 0)]
        if min(sizes) >= 2:
            layers.append(pool(2))
            sizes = [s // 2 for s in sizes]
        channels = h
    layers += [nn.Flatten(), *([nn.Dropout(dropout)] if dropout else [])]
    return nn.Sequential(*layers, nn.Linear(channels * math.prod(sizes), outputs))


def _lstm(nn, shape, hidden, batch_norm, dropout, outputs):
    class LastStep(nn.Module):
        """An LSTM over the input read as a sequence; the output is the last step's."""

        def __init__(self):
            super().__init__()
            self.steps = shape[1] if len(shape) == 3 else shape[0]
            self.features = shape[0] * shape[2] if len(shape) == 3 else 1
            self.lstm = nn.LSTM(self.features, hidden[0], num_layers=len(hidden), batch_first=True,
                                dropout=dropout if len(hidden) > 1 else 0.0)

        def forward(self, x):
            if x.dim() == 4:  # (N, C, H, W) -> H steps of the C*W values of a row
                x = x.permute(0, 2, 1, 3)
            return self.lstm(x.reshape(x.shape[0], self.steps, self.features))[0][:, -1]

    extra = ([nn.BatchNorm1d(hidden[0])] if batch_norm else []) + ([nn.Dropout(dropout)] if dropout else [])
    return nn.Sequential(LastStep(), *extra, nn.Linear(hidden[0], outputs))
