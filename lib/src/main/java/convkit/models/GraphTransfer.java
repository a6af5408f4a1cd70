package convkit.models;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@link Transfer} for networks that are graphs, such as the zoo's VGG16 and ResNet50: keep everything up to a named
 * vertex, optionally freeze it, and add seed 003's head (global max pooling, Dropout 0.25, Dense 256, softmax).
 *
 * <pre>{@code
 * ComputationGraph fruits = Transfer.from(Pretrained.vgg16(), 224, 224, 3)
 *         .keepUpTo("block5_pool").freeze().head(131).build();
 * }</pre>
 */
public final class GraphTransfer {

    private final ComputationGraph pretrained;
    private final InputType input;
    private String cut;
    private boolean freeze;
    private int classes;
    private double learningRate = 1e-3;

    GraphTransfer(ComputationGraph pretrained, InputType input) {
        this.pretrained = pretrained;
        this.input = input;
    }

    /** Keeps the vertex called {@code name} and everything it depends on; drops the rest (the old head). */
    public GraphTransfer keepUpTo(String name) {
        if (!pretrained.getConfiguration().getVertices().containsKey(name)) {
            throw new IllegalArgumentException("the network has no vertex called '" + name + "'. Vertices: "
                    + pretrained.getConfiguration().getTopologicalOrderStr());
        }
        this.cut = name;
        return this;
    }

    /** Freezes every kept vertex: only the new head learns. */
    public GraphTransfer freeze() {
        this.freeze = true;
        return this;
    }

    /** Seed 003's head with {@code classes} outputs. */
    public GraphTransfer head(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier head needs at least 2 classes, got " + classes);
        }
        this.classes = classes;
        return this;
    }

    /** Learning rate of Adam for everything that is not frozen (default 0.001). */
    public GraphTransfer learningRate(double rate) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + rate);
        }
        this.learningRate = rate;
        return this;
    }

    /** The new network: a copy of the kept vertices (frozen as asked) and the new head, output "output". */
    public ComputationGraph build() {
        if (cut == null || classes == 0) {
            throw new IllegalStateException("say where to cut and how many classes: keepUpTo(\"block5_pool\").head(classes)");
        }
        var conf = pretrained.getConfiguration();
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        Set<String> kept = new HashSet<>(conf.getNetworkInputs());
        keep(cut, conf.getVertexInputs(), kept);
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(pretrained.clone())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(learningRate)).seed(Models.SEED).build());
        if (freeze) {
            builder.setFeatureExtractor(cut);
        }
        for (String vertex : conf.getTopologicalOrderStr()) {
            if (!kept.contains(vertex)) {
                builder.removeVertexAndConnections(vertex);
            }
        }
        InputType features = types.get(cut);
        String previous = cut;
        long inputs = features.arrayElementsPerExample();
        List<Layer> head = Transfer.seedHead(features, classes, true);
        for (int i = 0; i < head.size(); i++) {
            Layer layer = head.get(i);
            if (layer instanceof GlobalPoolingLayer) {
                inputs = ((InputType.InputTypeConvolutional) features).getChannels();
            } else if (layer instanceof DropoutLayer dropout) {
                dropout.setNIn(inputs);
                dropout.setNOut(inputs);
            } else if (layer instanceof FeedForwardLayer ff) {
                ff.setNIn(inputs);
                inputs = ff.getNOut();
            }
            String name = i == head.size() - 1 ? "output" : "head" + i;
            builder.addLayer(name, layer, previous);
            previous = name;
        }
        return builder.setOutputs("output").build();
    }

    private static void keep(String vertex, Map<String, List<String>> inputs, Set<String> kept) {
        if (kept.add(vertex)) {
            for (String in : inputs.getOrDefault(vertex, List.of())) {
                keep(in, inputs, kept);
            }
        }
    }
}
