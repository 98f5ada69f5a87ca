"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their single-step ``*Cell`` forms.

Each time step is a few ordinary ops, so autograd unrolls the loop through time by itself
(backpropagation through time). The gate equations, for input x and previous state h (and
cell c), with PyTorch's gate order and weight layout (W_ih: (gates * hidden, input)):

    RNN:  h' = tanh(W_ih x + b_ih + W_hh h + b_hh)        (or relu)
    LSTM: i, f, g, o = chunks of W_ih x + b_ih + W_hh h + b_hh
          c' = sigmoid(f) c + sigmoid(i) tanh(g);   h' = sigmoid(o) tanh(c')
          with ``proj_size`` p > 0, h' is then projected: h' <- W_hr h' (W_hr: (p, hidden)),
          so h and the output have p features while c keeps ``hidden_size``
    GRU:  r, z = sigmoid(chunks of W_i x + b_i + W_h h + b_h)
          n = tanh(W_in x + b_in + r (W_hn h + b_hn));   h' = (1 - z) n + z h

The forget gate f decides how much of c survives each step; because c' depends on c
additively (not through a squashing function) gradients can flow back many steps.
"""
import math

import ember
from ..._ops.creation import empty, zeros
from .. import functional as F, init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module, _own_forward

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity):
    pre = F.linear(x, w_ih, b_ih) + F.linear(h, w_hh, b_hh)
    return pre.tanh() if nonlinearity == "tanh" else pre.relu()


def _lstm_cell(x, state, w_ih, w_hh, b_ih, b_hh, w_hr=None):
    h, c = state
    gates = F.linear(x, w_ih, b_ih) + F.linear(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, -1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    return (h if w_hr is None else F.linear(h, w_hr)), c


def _gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    gi = F.linear(x, w_ih, b_ih)
    gh = F.linear(h, w_hh, b_hh)
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = gh.chunk(3, -1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return (1 - z) * n + z * h


class RNNBase(Module):
    """Stacked, optionally bidirectional recurrent layers. Every weight and bias starts as
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), drawn in parameter order."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            import warnings
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                          stacklevel=3)
        for what, v in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(v, bool):
                raise TypeError(f"{what} should be of type bool, got: {type(v).__name__}")
        if not isinstance(input_size, int):
            raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers < 1:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        gate = _GATES[mode] * hidden_size
        out_size = proj_size or hidden_size  # what h, and so each layer's output, holds
        dirs = 2 if bidirectional else 1
        self._flat_weights_names = []
        for layer in range(num_layers):
            for d in range(dirs):
                in_size = input_size if layer == 0 else out_size * dirs
                sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
                shapes = [("weight_ih", (gate, in_size)), ("weight_hh", (gate, out_size))]
                if bias:
                    shapes += [("bias_ih", (gate,)), ("bias_hh", (gate,))]
                if proj_size:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                for name, shape in shapes:
                    setattr(self, name + sfx, Parameter(empty(*shape, dtype=dtype)))
                    self._flat_weights_names.append(name + sfx)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    @property
    def all_weights(self):
        per = (4 if self.bias else 2) + (1 if self.proj_size else 0)  # weights of one layer and direction
        return [[getattr(self, n) for n in self._flat_weights_names[i:i + per]]
                for i in range(0, len(self._flat_weights_names), per)]

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    def _weights(self, layer, direction):
        sfx = f"_l{layer}" + ("_reverse" if direction else "")
        get = lambda n: getattr(self, n + sfx) if self.bias or n.startswith("weight") else None  # noqa: E731
        weights = get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh")
        return weights + (get("weight_hr"),) if self.proj_size else weights

    def _step(self, x, state, weights):
        if self.mode == "LSTM":
            return _lstm_cell(x, state, *weights)
        if self.mode == "GRU":
            return _gru_cell(x, state, *weights)
        return _rnn_cell(x, state, *weights, "tanh" if self.mode == "RNN_TANH" else "relu")

    def forward(self, input, hx=None):
        packed = isinstance(input, PackedSequence)
        if packed:
            data, batch_sizes = input.data, [int(b) for b in input.batch_sizes.tolist()]
            batch = batch_sizes[0]
            steps, start = [], 0
            for b in batch_sizes:
                steps.append(data[start:start + b])
                start += b
            unbatched = False
        else:
            if input.dim() not in (2, 3):
                # PyTorch's RNN (tanh or relu) alone says "tensor" here
                name = {"LSTM": "LSTM", "GRU": "GRU"}.get(self.mode, "RNN")
                raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D"
                                 f"{' tensor' if name == 'RNN' else ''} instead")
            unbatched = input.dim() == 2
            if hx is not None:
                _check_state_dims(hx, self.mode == "LSTM", 2 if unbatched else 3)
            if unbatched:
                input = input.unsqueeze(1)
            elif self.batch_first:
                input = input.transpose(0, 1)
            batch = input.shape[1]
            steps = list(input.unbind(0))
            batch_sizes = [batch] * len(steps)
        weight = getattr(self, self._flat_weights_names[0])
        if data_dtype(input) != weight.dtype:
            dt = data_dtype(input)
            raise ValueError(f"RNN input dtype ({dt}) does not match weight dtype ({weight.dtype}). Convert input: "
                             f"input.to({weight.dtype}), or convert model: model.to({dt})")
        size = (input.data if packed else input).shape[-1]
        if size != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got {size}")
        dirs = 2 if self.bidirectional else 1
        is_lstm = self.mode == "LSTM"
        h_shape = (self.num_layers * dirs, batch, self.proj_size or self.hidden_size)
        c_shape = (self.num_layers * dirs, batch, self.hidden_size)
        if hx is None:
            h0 = zeros(*h_shape, dtype=steps[0].dtype)
            hx = (h0, zeros(*c_shape, dtype=steps[0].dtype) if self.proj_size else h0) if is_lstm else h0
        else:
            if unbatched:
                hx = tuple(h.unsqueeze(1) for h in hx) if is_lstm else hx.unsqueeze(1)
            _check_state_size(hx, is_lstm, h_shape, c_shape)
            if is_lstm and len(hx) != 2:
                raise RuntimeError("lstm expects two hidden states")
            if packed and input.sorted_indices is not None:
                idx = input.sorted_indices
                hx = tuple(h.index_select(1, idx) for h in hx) if is_lstm else hx.index_select(1, idx)
        finals_h, finals_c = [], []
        layer_in = steps
        for layer in range(self.num_layers):
            outs_by_dir = []
            for d in range(dirs):
                k = layer * dirs + d
                state = (hx[0][k], hx[1][k]) if is_lstm else hx[k]
                weights = self._weights(layer, d)
                order = range(len(layer_in)) if d == 0 else range(len(layer_in) - 1, -1, -1)
                outs = [None] * len(layer_in)
                for t in order:
                    b = batch_sizes[t]
                    cur = tuple(s[:b] for s in state) if is_lstm else state[:b]
                    new = self._step(layer_in[t], cur, weights)
                    # sequences that ended earlier keep their final state (packed input)
                    if is_lstm:
                        state = tuple(_merge(n, s, b) for n, s in zip(new, state))
                        outs[t] = new[0]
                    else:
                        state = _merge(new, state, b)
                        outs[t] = new
                outs_by_dir.append(outs)
                finals_h.append(state[0] if is_lstm else state)
                if is_lstm:
                    finals_c.append(state[1])
            layer_in = [ember.cat([o[t] for o in outs_by_dir], -1) if dirs == 2 else outs_by_dir[0][t]
                        for t in range(len(layer_in))]
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_in = [F.dropout(x, self.dropout, True) for x in layer_in]
        h_n = ember.stack(finals_h, 0)
        hidden = (h_n, ember.stack(finals_c, 0)) if is_lstm else h_n
        if packed:
            output = PackedSequence(ember.cat(layer_in, 0), input.batch_sizes, input.sorted_indices,
                                    input.unsorted_indices)
            if input.unsorted_indices is not None:
                idx = input.unsorted_indices
                hidden = tuple(h.index_select(1, idx) for h in hidden) if is_lstm else hidden.index_select(1, idx)
            return output, hidden
        output = ember.stack(layer_in, 0)
        if unbatched:
            output = output.squeeze(1)
            hidden = tuple(h.squeeze(1) for h in hidden) if is_lstm else hidden.squeeze(1)
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, hidden


def data_dtype(input):
    return input.data.dtype if isinstance(input, PackedSequence) else input.dtype


def _check_state_dims(hx, is_lstm, want):
    """The initial state has the input's batchedness: 2-D for a 2-D input, 3-D for a 3-D one."""
    kind = "unbatched 2-D" if want == 2 else "batched 3-D"
    if is_lstm:
        if hx[0].dim() != want or hx[1].dim() != want:
            raise RuntimeError(f"For {kind} input, hx and cx should also be {want}-D but got ({hx[0].dim()}-D, "
                               f"{hx[1].dim()}-D) tensors")
    elif hx.dim() != want:
        raise RuntimeError(f"For {kind} input, hx should also be {want}-D but got {hx.dim()}-D tensor")


def _check_state_size(hx, is_lstm, h_shape, c_shape):
    """PyTorch's errors for an initial state of the wrong size (with projections, h and c differ)."""
    checks = [(hx[0], h_shape, "hidden[0]"), (hx[1], c_shape, "hidden[1]")] if is_lstm else [(hx, h_shape, "hidden")]
    for h, shape, what in checks:
        if tuple(h.shape) != shape:
            raise RuntimeError(f"Expected {what} size {shape}, got {list(h.shape)}")


def _merge(new, old, b):
    """The first ``b`` rows from the new state, the rest kept from the old one."""
    if b == old.shape[0]:
        return new
    return ember.cat([new, old[b:]], 0)


class RNN(RNNBase):
    """Elman RNN with tanh (default) or relu."""

    def __init__(self, *args, nonlinearity="tanh", **kwargs):
        _no_projection(kwargs)
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)

    def __setstate__(self, state):
        self.__dict__.update(state)


class LSTM(RNNBase):
    """Long short-term memory; returns ``output, (h_n, c_n)``; ``proj_size`` projects h."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)


class GRU(RNNBase):
    """Gated recurrent unit."""

    def __init__(self, *args, **kwargs):
        _no_projection(kwargs)
        super().__init__("GRU", *args, **kwargs)


def _no_projection(kwargs):
    # PyTorch refuses the keyword itself for RNN and GRU, even proj_size=0
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")


class RNNCellBase(Module):
    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.weight_ih = Parameter(empty(num_chunks * hidden_size, input_size, dtype=dtype))
        self.weight_hh = Parameter(empty(num_chunks * hidden_size, hidden_size, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = RNNBase.reset_parameters

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _prepare(self, input, hx, n_states):
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None and n_states == 2:
            for i, h in enumerate(hx):
                if h.dim() not in (1, 2):
                    raise ValueError(f"{name}: Expected hx[{i}] to be 1D or 2D, got {h.dim()}D instead")
        elif hx is not None and hx.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
        unbatched = input.dim() == 1
        if unbatched:
            input = input.unsqueeze(0)
        if hx is None:
            z = zeros(input.shape[0], self.hidden_size, dtype=input.dtype)
            hx = (z, z) if n_states == 2 else z
        elif unbatched:
            hx = tuple(h.unsqueeze(0) for h in hx) if n_states == 2 else hx.unsqueeze(0)
        # PyTorch's cell kernels then check the sizes, in this order
        if input.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected {self.input_size}")
        for i, h in enumerate(hx if n_states == 2 else (hx,)):
            if h.shape[0] != input.shape[0]:
                raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{i} batch size "
                                   f"{h.shape[0]}")
            if h.shape[1] != self.hidden_size:
                raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got {h.shape[1]}, expected "
                                   f"{self.hidden_size}")
        return input, hx, unbatched

    def _weights(self):
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh


class RNNCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)

    def forward(self, input, hx=None):
        x, h, unbatched = self._prepare(input, hx, 1)
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        out = _rnn_cell(x, h, *self._weights(), self.nonlinearity)
        return out.squeeze(0) if unbatched else out


class LSTMCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        x, state, unbatched = self._prepare(input, hx, 2)
        h, c = _lstm_cell(x, state, *self._weights())
        return (h.squeeze(0), c.squeeze(0)) if unbatched else (h, c)


class GRUCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        x, h, unbatched = self._prepare(input, hx, 1)
        out = _gru_cell(x, h, *self._weights())
        return out.squeeze(0) if unbatched else out


# each class its own forward, as in PyTorch (call errors name it: see module._own_forward)
_own_forward(RNN, LSTM, GRU)
