package convkit.models;

import convkit.env.Require;
import java.util.Collection;
import java.util.Iterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The kit's one view of a DL4J network, whichever of DL4J's two kinds it is: a {@link MultiLayerNetwork} or a
 * {@link ComputationGraph} with one input and one output. {@code Training}, {@code Evaluation}, {@code Checkpoint},
 * {@code Compare} and {@link Transfer} take DL4J's own common type of both kinds, {@link NeuralNetwork}, and see it
 * through this, so each of them has one entry point and is written once.
 *
 * <pre>{@code
 * Network net = Network.of(Models.seedCnn(28, 28, 1, 10));   // or Network.of(Pretrained.vgg16())
 * net.output(images, false);                                  // class probabilities, no dropout
 * net.kind();                                                 // "MultiLayerNetwork"
 * }</pre>
 */
public sealed interface Network permits Network.Layers, Network.Graph {

    /** Views {@code network}; a graph must have one input (the images) and one output (the class probabilities). */
    static Network of(NeuralNetwork network) {
        Require.notNull(network, "the network", "build one first, e.g. Models.seedCnn(28, 28, 1, 10), or load one with"
                + " Checkpoint.load(path).model()");
        if (network instanceof MultiLayerNetwork layers) {
            return new Layers(layers);
        }
        if (network instanceof ComputationGraph graph) {
            return new Graph(Models.singleInputOutput(graph));
        }
        throw new IllegalArgumentException("cannot use a " + network.getClass().getSimpleName()
                + ": use a MultiLayerNetwork or a ComputationGraph");
    }

    /** The DL4J network itself. */
    NeuralNetwork network();

    /** The same object as DL4J's {@link Model}, which its serializer and listeners take. */
    default Model model() {
        return (Model) network();
    }

    /** "MultiLayerNetwork" or "ComputationGraph", for messages. */
    String kind();

    /** One update on one batch. */
    default void fit(DataSet batch) {
        network().fit(batch);
    }

    /** The network's output for {@code features}, with dropout when {@code train}. */
    INDArray output(INDArray features, boolean train);

    /** The layers (a graph's layer vertices), in order. */
    Layer[] layers();

    Collection<TrainingListener> listeners();

    /** The optimizer's state (Adam's moments...), one flat view; null when the optimizer keeps none. */
    default INDArray updaterState() {
        return network().updaterState();
    }

    int epochCount();

    void epochCount(int epochs);

    int iterationCount();

    void iterationCount(int iterations);

    void incrementEpochCount();

    /** Sets the learning rate of every layer (for a schedule: the optimizer keeps its other settings and state). */
    void learningRate(double rate);

    /** The learning rate of the first layer that learns (NaN when none does). */
    double learningRate();

    /** The configuration as JSON without the epoch and iteration counters: equal for networks built the same way. */
    String architecture();

    default double score() {
        return model().score();
    }

    default INDArray params() {
        return model().params();
    }

    default void setParams(INDArray params) {
        model().setParams(params);
    }

    default long numParams() {
        return model().numParams();
    }

    default void listeners(Collection<TrainingListener> listeners) {
        model().setListeners(listeners);
    }

    /** How many layers are frozen (their weights do not change in training). */
    default int frozenLayers() {
        int frozen = 0;
        for (Layer layer : layers()) {
            if (layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) {
                frozen++;
            }
        }
        return frozen;
    }

    /** Parameters that training changes: all minus those of frozen layers. */
    default long trainableParams() {
        long frozen = 0;
        for (Layer layer : layers()) {
            if (layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) {
                frozen += layer.numParams();
            }
        }
        return numParams() - frozen;
    }

    /** A {@link MultiLayerNetwork}. */
    record Layers(MultiLayerNetwork network) implements Network {
        public String kind() {
            return "MultiLayerNetwork";
        }

        public INDArray output(INDArray features, boolean train) {
            return network.output(features, train);
        }

        public Layer[] layers() {
            return network.getLayers();
        }

        public Collection<TrainingListener> listeners() {
            return network.getListeners();
        }

        public int epochCount() {
            return network.getEpochCount();
        }

        public void epochCount(int epochs) {
            network.setEpochCount(epochs);
        }

        public int iterationCount() {
            return network.getIterationCount();
        }

        public void iterationCount(int iterations) {
            network.setIterationCount(iterations);
        }

        public void incrementEpochCount() {
            network.incrementEpochCount();
        }

        public void learningRate(double rate) {
            network.setLearningRate(rate);
        }

        public double learningRate() {
            for (int i = 0; i < network.getnLayers(); i++) {
                Double rate = network.getLearningRate(i);
                if (rate != null) {
                    return rate;
                }
            }
            return Double.NaN;
        }

        public String architecture() {
            return withoutCounters(network.getLayerWiseConfigurations().toJson());
        }
    }

    /** A {@link ComputationGraph} with one input and one output. */
    record Graph(ComputationGraph network) implements Network {
        public String kind() {
            return "ComputationGraph";
        }

        public INDArray output(INDArray features, boolean train) {
            return network.outputSingle(train, features);
        }

        public Layer[] layers() {
            return network.getLayers();
        }

        public Collection<TrainingListener> listeners() {
            return network.getListeners();
        }

        public int epochCount() {
            return network.getEpochCount();
        }

        public void epochCount(int epochs) {
            network.getConfiguration().setEpochCount(epochs);
        }

        public int iterationCount() {
            return network.getIterationCount();
        }

        public void iterationCount(int iterations) {
            network.getConfiguration().setIterationCount(iterations);
        }

        public void incrementEpochCount() {
            network.incrementEpochCount();
        }

        public void learningRate(double rate) {
            network.setLearningRate(rate);
        }

        public double learningRate() {
            for (String vertex : network.getConfiguration().getTopologicalOrderStr()) {
                Double rate = network.getLayer(vertex) == null ? null : network.getLearningRate(vertex);
                if (rate != null) {
                    return rate;
                }
            }
            return Double.NaN;
        }

        public String architecture() {
            return withoutCounters(network.getConfiguration().toJson());
        }
    }

    /** The JSON with every "epochCount" and "iterationCount" removed: they change with training, the architecture does not. */
    private static String withoutCounters(String json) {
        try {
            JsonNode tree = NeuralNetConfiguration.mapper().readTree(json);
            dropCounters(tree);
            return tree.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("DL4J wrote a configuration it cannot read back", e);
        }
    }

    private static void dropCounters(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("epochCount");
            object.remove("iterationCount");
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            dropCounters(children.next());
        }
    }
}
