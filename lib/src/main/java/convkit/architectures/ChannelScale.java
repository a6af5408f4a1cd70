package convkit.architectures;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiplies every channel of a feature map by its own weight: {@code out[n, c, h, w] = x[n, c, h, w] * s[n, c]}, the
 * last step of squeeze-and-excitation. DL4J has no such vertex: {@code ElementWiseVertex}'s product needs two inputs of
 * the same shape, and {@code ScaleVertex} multiplies by one fixed number. Inputs, in order: the maps (HxWxC) and the
 * C weights (a flat vector, for example the sigmoid of a dense layer).
 *
 * <pre>{@code
 * graph.addVertex("se_scale", new ChannelScale(), "maps", "se_weights");
 * }</pre>
 */
public final class ChannelScale extends GraphVertex {

    @Override
    public ChannelScale clone() {
        return new ChannelScale();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelScale;
    }

    @Override
    public int hashCode() {
        return ChannelScale.class.hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int index,
                                                                       INDArray paramsView, boolean initializeParams, DataType dataType) {
        return new ChannelScaleVertex(graph, name, index, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 2 || !(inputs[0] instanceof InputType.InputTypeConvolutional maps)
                || !(inputs[1] instanceof InputType.InputTypeFeedForward weights)) {
            throw new InvalidInputTypeException("ChannelScale takes feature maps (HxWxC) and then one weight per channel (a flat"
                    + " vector of C), got " + java.util.Arrays.toString(inputs) + ": connect the maps first, the weights second");
        }
        if (weights.getSize() != maps.getChannels()) {
            throw new InvalidInputTypeException("ChannelScale: the maps have " + maps.getChannels() + " channels but there are "
                    + weights.getSize() + " weights: the excitation layer needs nOut = " + maps.getChannels());
        }
        return maps;
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputs) {
        return new LayerMemoryReport.Builder(null, ChannelScale.class, inputs[0], getOutputType(-1, inputs))
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
