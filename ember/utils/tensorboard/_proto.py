"""The protocol-buffer message classes of TensorBoard's files, from the ``tensorboard``
package (the same ones ``torch.utils.tensorboard`` uses).

They are imported on first use, so that ``ember.utils.tensorboard`` imports without the
package; ``proto()`` raises an ``ImportError`` that says what to install.
"""
import types

_namespace = None


def proto():
    """A namespace of the message classes (``proto().Event``, ``proto().Summary``...)."""
    global _namespace
    if _namespace is None:
        try:
            from tensorboard.compat.proto import (event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2,
                                                  graph_pb2, node_def_pb2, attr_value_pb2, versions_pb2)
            from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2
            from tensorboard.plugins.text.plugin_data_pb2 import TextPluginData
            from google.protobuf import struct_pb2
        except ImportError as e:
            raise ImportError("ember.utils.tensorboard writes TensorBoard's file format with the message "
                              "definitions of the tensorboard package, which is not installed: "
                              "pip install tensorboard") from e
        _namespace = types.SimpleNamespace(
            Event=event_pb2.Event, SessionLog=event_pb2.SessionLog,
            Summary=summary_pb2.Summary, SummaryMetadata=summary_pb2.SummaryMetadata,
            HistogramProto=summary_pb2.HistogramProto,
            TensorProto=tensor_pb2.TensorProto, TensorShapeProto=tensor_shape_pb2.TensorShapeProto,
            GraphDef=graph_pb2.GraphDef, NodeDef=node_def_pb2.NodeDef, AttrValue=attr_value_pb2.AttrValue,
            VersionDef=versions_pb2.VersionDef,
            Experiment=api_pb2.Experiment, HParamInfo=api_pb2.HParamInfo, MetricInfo=api_pb2.MetricInfo,
            MetricName=api_pb2.MetricName, DataType=api_pb2.DataType, Status=api_pb2.Status,
            HParamsPluginData=plugin_data_pb2.HParamsPluginData,
            SessionStartInfo=plugin_data_pb2.SessionStartInfo, SessionEndInfo=plugin_data_pb2.SessionEndInfo,
            TextPluginData=TextPluginData, ListValue=struct_pb2.ListValue, Value=struct_pb2.Value)
    return _namespace
