"""GraphBuilder: the node list, weights and constants of one ONNX graph under construction.

Kept apart from the layer and activation converters so they only say which ops to emit;
names, constant caching and the opset-dependent spelling of ops live here.
"""

import numpy as np


class GraphBuilder:
    def __init__(self, onnx, dtype, opset):
        self.onnx = onnx
        self.helper = onnx.helper
        self.dtype = np.dtype(dtype)
        self.elem_type = self.helper.np_dtype_to_tensor_dtype(self.dtype)
        self.opset = int(opset)
        self.nodes, self.initializers = [], []
        self.scope = "graph"  # the layer being converted: node and tensor names start with it
        self._used = set()
        self._consts = {}
        self._transposes = {}  # output name -> (input name, perm) of each Transpose emitted

    def fresh(self, hint):
        """A tensor/node name unused so far, `<scope>/<hint>` (numbered when taken)."""
        base = f"{self.scope}/{hint}"
        name, i = base, 1
        while name in self._used:
            name, i = f"{base}_{i}", i + 1
        self._used.add(name)
        return name

    def op(self, op_type, *inputs, outputs=1, **attrs):
        """Appends one node; returns its output name (a list when outputs > 1)."""
        names = [self.fresh(op_type.lower()) for _ in range(outputs)]
        self.nodes.append(self.helper.make_node(op_type, list(inputs), names, name=self.fresh(op_type), **attrs))
        return names[0] if outputs == 1 else names

    def weight(self, hint, array):
        """An initializer holding `array` in the model's dtype."""
        name = self.fresh(hint)
        self.initializers.append(self.onnx.numpy_helper.from_array(np.asarray(array, dtype=self.dtype), name))
        return name

    def const(self, value, dtype=None):
        """A constant (model dtype unless `dtype` is given), shared by every node that needs the
        same value: graphs with many activations then carry each number once."""
        array = np.asarray(value, dtype=self.dtype if dtype is None else dtype)
        key = (array.dtype.str, array.shape, array.tobytes())
        if key not in self._consts:
            name = f"const/{len(self._consts)}"
            self._used.add(name)
            self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
            self._consts[key] = name
        return self._consts[key]

    def where(self, condition, if_true, if_false):
        return self.op("Where", condition, if_true, if_false)

    def reduce(self, op_type, x, axes, keepdims=True):
        """op_type (ReduceSum, ReduceMax, ...) over `axes` (one axis or a list). ReduceSum takes
        its axes as an input since opset 13, the others only since opset 18."""
        axes = [int(axes)] if isinstance(axes, (int, np.integer)) else [int(a) for a in axes]
        if op_type == "ReduceSum" or self.opset >= 18:
            return self.op(op_type, x, self.const(axes, np.int64), keepdims=int(keepdims))
        return self.op(op_type, x, axes=axes, keepdims=int(keepdims))

    def transpose(self, x, perm):
        """x with its axes permuted (y.shape[i] = x.shape[perm[i]]). A transpose of a transpose
        is emitted as one, and as none where the two cancel (a channels_last layer's
        NHWC -> NCHW after the previous layer's NCHW -> NHWC); the Transpose left unused is
        dropped by prune()."""
        perm = [int(p) for p in perm]
        if x in self._transposes:
            x, inner = self._transposes[x]
            perm = [inner[p] for p in perm]
        if perm == list(range(len(perm))):
            return x
        y = self.op("Transpose", x, perm=perm)
        self._transposes[y] = (x, perm)
        return y

    def prune(self, outputs):
        """Drops the nodes and initializers that no graph output depends on."""
        needed, kept = set(outputs), []
        for node in reversed(self.nodes):
            if needed.intersection(node.output):
                kept.append(node)
                needed.update(node.input)
        self.nodes = kept[::-1]
        self.initializers = [t for t in self.initializers if t.name in needed]
