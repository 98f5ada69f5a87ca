from .module import Module  # noqa: F401
from .container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict  # noqa: F401
from .linear import Identity, Linear, Bilinear  # noqa: F401
from .flatten import Flatten, Unflatten  # noqa: F401
from .activation import (ReLU, ReLU6, LeakyReLU, ELU, CELU, SELU, GELU, SiLU, Mish, Sigmoid, Tanh,  # noqa: F401
                         Hardtanh, Hardswish, Hardsigmoid, Softplus, Softsign, Tanhshrink, LogSigmoid, Threshold,
                         GLU, Softmax, LogSoftmax, Softmin, Hardshrink, Softshrink)
from .dropout import Dropout, Dropout1d, Dropout2d, AlphaDropout  # noqa: F401
from .loss import (L1Loss, MSELoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, SmoothL1Loss,  # noqa: F401
                   HuberLoss, KLDivLoss, MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss,
                   MultiLabelSoftMarginLoss, CosineEmbeddingLoss, TripletMarginLoss, PoissonNLLLoss, GaussianNLLLoss,
                   CosineSimilarity, PairwiseDistance, CTCLoss)
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d  # noqa: F401
from .pooling import (MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d,  # noqa: F401
                      AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
                      AdaptiveMaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d)
from .normalization import (BatchNorm1d, BatchNorm2d, BatchNorm3d, LayerNorm, GroupNorm,  # noqa: F401
                            InstanceNorm1d, InstanceNorm2d, InstanceNorm3d)
from .sparse import Embedding, EmbeddingBag  # noqa: F401
from .rnn import RNNBase, RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell  # noqa: F401
from .activation_attention import MultiheadAttention  # noqa: F401
from .transformer import (Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer,  # noqa: F401
                          TransformerDecoderLayer)
from .extra import PReLU, Upsample, PixelShuffle, PixelUnshuffle, DataParallel  # noqa: F401
from .padding import (ZeroPad1d, ZeroPad2d, ZeroPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d,  # noqa: F401
                      ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d,
                      ReplicationPad3d, CircularPad1d, CircularPad2d, CircularPad3d)
from .more_losses import (MultiMarginLoss, MultiLabelMarginLoss, TripletMarginWithDistanceLoss,  # noqa: F401
                          NLLLoss2d, AdaptiveLogSoftmaxWithLoss)
from .more_layers import (Fold, Unfold, Dropout3d, FeatureAlphaDropout, Softmax2d, UpsamplingNearest2d,  # noqa: F401
                          UpsamplingBilinear2d, ChannelShuffle, RMSNorm, LocalResponseNorm, LPPool1d, LPPool2d,
                          LPPool3d, RReLU)
from .more_layers import (LazyLinear, LazyConv1d, LazyConv2d, LazyConv3d,  # noqa: F401
                          LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d)
