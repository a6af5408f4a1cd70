package convkit.architectures;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;

/**
 * The running form of {@link ChannelScale}: forward {@code y = x * s} with {@code s} broadcast over height and width;
 * backward {@code dL/dx = dL/dy * s} and {@code dL/ds[n, c] = sum over h, w of dL/dy * x}.
 */
final class ChannelScaleVertex extends BaseGraphVertex {

    ChannelScaleVertex(ComputationGraph graph, String name, int index, DataType dataType) {
        super(graph, name, index, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("ChannelScale '" + vertexName + "': forward pass before its two inputs were set");
        }
        INDArray maps = inputs[0];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, maps.dataType(), maps.shape(), 'c');
        return Broadcast.mul(maps, inputs[1], out, 0, 1);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("ChannelScale '" + vertexName + "': backward pass before the error was set");
        }
        INDArray maps = inputs[0];
        INDArray weights = inputs[1];
        INDArray mapsGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(), 'c');
        Broadcast.mul(epsilon, weights, mapsGradient, 0, 1);
        INDArray weightsGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, weights.dataType(), weights.shape(), 'c');
        try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            weightsGradient.assign(epsilon.mul(maps).sum(2, 3));
        }
        return new Pair<>(null, new INDArray[] {mapsGradient, weightsGradient});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        if (gradients != null) {
            throw new IllegalStateException("ChannelScale '" + vertexName + "' has no parameters, so no gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] masks, MaskState state, int minibatchSize) {
        return masks == null || masks.length == 0 ? null : new Pair<>(masks[0], state);
    }

    @Override
    public String toString() {
        return "ChannelScale(" + vertexName + ")";
    }
}
