package convkit.architectures;

import convkit.layers.Shape;
import convkit.layers.Summary;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A network's configuration, before any weight exists: its parameters and multiply-adds are counted from the layers'
 * settings and shapes, so VGG16's 138 million weights are counted without allocating them. {@link #build()} makes the
 * trainable DL4J graph.
 *
 * <pre>{@code
 * Architecture vgg16 = Architectures.vgg(16, 224, 3, 1000, 1.0);
 * vgg16.learnedParameters();   // 138,357,544, torchvision's count
 * vgg16.multiplyAdds();        // 15.5 billion per image
 * ComputationGraph small = Architectures.resnet(18, 64, 1, 10, 0.25).build();   // Training.of(small)...
 * }</pre>
 * Two parameter counts, because the references differ: {@link #parameters()} is what DL4J stores (and Keras calls
 * "Total params"), batch norm's running mean and variance included; {@link #learnedParameters()} leaves those two per
 * channel out, as torchvision (which keeps them as buffers) and the papers count.
 */
public record Architecture(String name, ComputationGraphConfiguration configuration, Shape input) {

    /** DL4J orders a graph's vertices only when it builds the network; counting without weights needs the order now. */
    public Architecture {
        if (configuration.getTopologicalOrderStr() == null) {
            configuration.setTopologicalOrderStr(topologicalOrder(configuration));
        }
    }

    /** Every number DL4J will allocate for the weights (what {@code build().numParams()} gives), batch-norm statistics included. */
    public long parameters() {
        long total = 0;
        for (Layer layer : layers()) {
            total += layer.initializer().numParams(layer);
        }
        return total;
    }

    /** The parameters training changes: {@link #parameters()} without batch norm's running mean and variance (torchvision's count). */
    public long learnedParameters() {
        long statistics = 0;
        for (Layer layer : layers()) {
            if (layer instanceof BatchNormalization bn && !bn.isLockGammaBeta()) {
                statistics += 2 * bn.getNOut();
            }
        }
        return parameters() - statistics;
    }

    /**
     * Multiply-adds for one image in the forward pass, counted over convolutions ({@code output height * width * k * k *
     * input channels * filters}; a depthwise one has one input channel per filter) and dense layers ({@code inputs *
     * units}). Batch norm, pooling, activations, additions and the channel scaling are left out, as in the figures
     * torchvision publishes.
     */
    public long multiplyAdds() {
        Map<String, InputType> outputs = configuration.getLayerActivationTypes(inputType());
        long total = 0;
        for (var entry : configuration.getVertices().entrySet()) {
            if (!(entry.getValue() instanceof LayerVertex vertex)) {
                continue;
            }
            Layer layer = vertex.getLayerConf().getLayer();
            if (layer instanceof ConvolutionLayer conv) {
                var out = (InputType.InputTypeConvolutional) outputs.get(entry.getKey());
                long perOutput = (long) conv.getKernelSize()[0] * conv.getKernelSize()[1]
                        * (layer instanceof DepthwiseConvolution2D ? 1 : conv.getNIn());
                total += out.getHeight() * out.getWidth() * out.getChannels() * perOutput;
            } else if (hasWeights(layer)) {
                var dense = (FeedForwardLayer) layer;
                total += dense.getNIn() * dense.getNOut();
            }
        }
        return total;
    }

    /** The Keras-style summary: every layer's output shape, parameters and receptive field (from the configuration). */
    public Summary summary() {
        return Summary.of(configuration, inputType());
    }

    /** The DL4J network with freshly initialised weights, ready for {@code Training.of(...)}. */
    public ComputationGraph build() {
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        return graph;
    }

    /**
     * Depth as the papers count it: the most layers with weights (convolutions and dense layers) on any path from the
     * input to the output. VGG16 has 16 (13 convolutions and 3 dense), GoogLeNet 22 (an Inception module is 2 deep).
     */
    public int depth() {
        Map<String, Integer> deepest = new java.util.HashMap<>();
        int result = 0;
        for (String name : configuration.getTopologicalOrderStr()) {
            int before = configuration.getVertexInputs().getOrDefault(name, java.util.List.of()).stream()
                    .mapToInt(in -> deepest.getOrDefault(in, 0)).max().orElse(0);
            var vertex = configuration.getVertices().get(name);
            boolean weights = vertex instanceof LayerVertex v && hasWeights(v.getLayerConf().getLayer());
            deepest.put(name, before + (weights ? 1 : 0));
            result = Math.max(result, deepest.get(name));
        }
        return result;
    }

    /** How many convolutions and dense layers the network has in all, on every branch. */
    public int weightLayers() {
        return (int) layers().stream().filter(Architecture::hasWeights).count();
    }

    /** How many convolutions (depthwise ones included) the network has, on every branch. */
    public int convolutionLayers() {
        return (int) layers().stream().filter(l -> l instanceof ConvolutionLayer).count();
    }

    /** How many dense layers the network has, the classifier included. */
    public int denseLayers() {
        return weightLayers() - convolutionLayers();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s on %s: %,d parameters (%,d learned), %,d multiply-adds per image", name, input,
                parameters(), learnedParameters(), multiplyAdds());
    }

    /** Convolutions and dense layers (batch norm has parameters but is not counted as a layer of depth). */
    private static boolean hasWeights(Layer layer) {
        return layer instanceof ConvolutionLayer || layer instanceof DenseLayer || layer instanceof OutputLayer;
    }

    /** Inputs first, then every vertex once all of its inputs are placed (Kahn's algorithm, in insertion order). */
    private static java.util.List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        java.util.List<String> order = new java.util.ArrayList<>(conf.getNetworkInputs());
        java.util.Set<String> placed = new java.util.HashSet<>(order);
        java.util.List<String> waiting = new java.util.ArrayList<>(conf.getVertices().keySet());
        while (!waiting.isEmpty()) {
            int before = waiting.size();
            for (var it = waiting.iterator(); it.hasNext(); ) {
                String vertex = it.next();
                if (placed.containsAll(conf.getVertexInputs().get(vertex))) {
                    order.add(vertex);
                    placed.add(vertex);
                    it.remove();
                }
            }
            if (waiting.size() == before) {
                throw new IllegalArgumentException("the graph has a cycle or a missing input among " + waiting);
            }
        }
        return order;
    }

    private InputType inputType() {
        return InputType.convolutional(input.height(), input.width(), input.channels());
    }

    private java.util.List<Layer> layers() {
        return configuration.getVertices().values().stream().filter(v -> v instanceof LayerVertex)
                .map(v -> ((LayerVertex) v).getLayerConf().getLayer()).toList();
    }
}
