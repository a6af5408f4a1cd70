package convkit.models;

import convkit.env.Require;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Transfer learning over DL4J's {@code TransferLearning} API, for both kinds of network: keep a trained network up to
 * a layer (or, in a graph such as the zoo's VGG16, a named vertex), freeze what is kept (or part of it), put a new head
 * on top, and fine-tune with its own learning rate. The original network is left as it was; {@link #build()} gives a
 * network of the same kind.
 *
 * <pre>{@code
 * MultiLayerNetwork digits = Transfer.from(pretrained, 28, 28, 1)   // trained on 28x28x1 images
 *         .keepUpTo(9)                                              // drop the old head (layers 10...)
 *         .freeze()                                                 // layers 0..9 stay as trained
 *         .head(5)                                                  // max pooling, Dropout 0.25, Dense 256, softmax 5
 *         .learningRate(1e-4)
 *         .build();
 * ComputationGraph fruits = Transfer.from(Pretrained.vgg16(), 224, 224, 3)
 *         .keepUpTo("block5_pool").freeze().head(131).build();  // a graph is cut at a named vertex
 * }</pre>
 */
public final class Transfer<N extends NeuralNetwork> {

    private final N pretrained;
    private final InputType input;
    private int keepUpTo;
    private String cut;
    private int freezeUpTo = -1;
    private final List<Layer> head = new ArrayList<>();
    private int seedHeadClasses;
    private boolean flatten;
    private double learningRate = 1e-3;
    private long seed = Models.SEED;

    private Transfer(N pretrained, InputType input) {
        this.pretrained = pretrained;
        this.input = input;
        this.keepUpTo = pretrained instanceof MultiLayerNetwork layers ? layers.getnLayers() - 2 : -1;
    }

    /**
     * Starts from a trained network (a MultiLayerNetwork, or a ComputationGraph with one input and one output, as the
     * zoo's are) that takes {@code height x width x channels} images.
     */
    public static <N extends NeuralNetwork> Transfer<N> from(N pretrained, int height, int width, int channels) {
        Network.of(Require.notNull(pretrained, "the network to transfer from", "train or load one first (e.g. Pretrained.vgg16())"));
        return new Transfer<>(pretrained, InputType.convolutional(height, width, channels));
    }

    /** Keeps layers {@code 0..layer} and drops the ones above (the old head). Default: all but the output layer. */
    public Transfer<N> keepUpTo(int layer) {
        MultiLayerNetwork pretrained = layers("keepUpTo(layer)", "keepUpTo(\"block5_pool\")");
        if (layer < 0 || layer >= pretrained.getnLayers() - 1) {
            throw new IllegalArgumentException("can keep layers up to 0.." + (pretrained.getnLayers() - 2)
                    + " of this " + pretrained.getnLayers() + "-layer network (the last one is its head), not " + layer
                    + ". Layers: " + layerNames());
        }
        this.keepUpTo = layer;
        return this;
    }

    /**
     * Keeps layers up to the one called {@code name} (see {@code getLayerNames()}); in a graph, the vertex called
     * {@code name} and everything it depends on.
     */
    public Transfer<N> keepUpTo(String name) {
        if (pretrained instanceof ComputationGraph graph) {
            if (!graph.getConfiguration().getVertices().containsKey(name)) {
                throw new IllegalArgumentException("the network has no vertex called '" + name + "'. Vertices: "
                        + graph.getConfiguration().getTopologicalOrderStr());
            }
            this.cut = name;
            return this;
        }
        int index = ((MultiLayerNetwork) pretrained).getLayerNames().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("the network has no layer called '" + name + "'. Layers: " + layerNames());
        }
        return keepUpTo(index);
    }

    /** Freezes every kept layer: only the new head learns (feature extraction). */
    public Transfer<N> freeze() {
        this.freezeUpTo = Integer.MAX_VALUE;
        return this;
    }

    /** Freezes layers {@code 0..layer}; kept layers above it are fine-tuned with the head. */
    public Transfer<N> freezeUpTo(int layer) {
        layers("freezeUpTo(layer)", "freeze()");
        if (layer < 0) {
            throw new IllegalArgumentException("freezeUpTo needs a layer index of 0 or more, got " + layer);
        }
        this.freezeUpTo = layer;
        return this;
    }

    /**
     * Makes {@link #head(int)} flatten the kept feature maps instead of pooling them: a small network's last maps
     * still say where each feature is (for digits, that is most of the answer), and global pooling would drop it.
     */
    public Transfer<N> flatten() {
        this.flatten = true;
        return this;
    }

    /**
     * Seed 003's head: global max pooling (Keras' {@code pooling='max'}, when the kept layers end in feature maps),
     * Dropout 0.25, Dense 256 ReLU, Dense {@code classes} softmax.
     */
    public Transfer<N> head(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier head needs at least 2 classes, got " + classes);
        }
        seedHeadClasses = classes;
        head.clear();
        return this;
    }

    /** A head of your own; the first layer's input size is worked out from the kept layers. */
    public Transfer<N> head(Layer... layers) {
        if (layers.length == 0 || !(layers[layers.length - 1] instanceof BaseOutputLayer)) {
            throw new IllegalArgumentException("a head ends with an output layer (e.g. OutputLayer with softmax)");
        }
        head.clear();
        head.addAll(Arrays.asList(layers));
        seedHeadClasses = 0;
        return this;
    }

    /** Learning rate of Adam for everything that is not frozen (default 0.001; fine-tuning uses less, e.g. 1e-4). */
    public Transfer<N> learningRate(double rate) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + rate);
        }
        this.learningRate = rate;
        return this;
    }

    /** Seed of the new head's initial weights. */
    public Transfer<N> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The new network, of the same kind: a copy of the kept layers (frozen as asked) and the new head. */
    @SuppressWarnings("unchecked")
    public N build() {
        if (head.isEmpty() && seedHeadClasses == 0) {
            throw new IllegalStateException("no head: call head(classes) or head(layers...) before build()");
        }
        return (N) (pretrained instanceof ComputationGraph graph ? build(graph) : build((MultiLayerNetwork) pretrained));
    }

    private MultiLayerNetwork build(MultiLayerNetwork pretrained) {
        InputType kept = pretrained.getLayerWiseConfigurations().getLayerActivationTypes(input).get(keepUpTo);
        TransferLearning.Builder builder = new TransferLearning.Builder(pretrained.clone()).fineTuneConfiguration(fineTune())
                .removeLayersFromOutput(pretrained.getnLayers() - 1 - keepUpTo);
        if (freezeUpTo >= 0) {
            builder.setFeatureExtractor(Math.min(freezeUpTo, keepUpTo));
        }
        long inputs = kept.arrayElementsPerExample();
        List<Layer> layers = head(kept);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (i == 0 && kept instanceof InputType.InputTypeConvolutional) {
                // what the dropped layers read here may have been flattened; set it for the new first layer:
                // pooling takes the maps as they are, a dense (or dropout) layer takes them flattened, like Flatten()
                builder.setInputPreProcessor(keepUpTo + 1, flattening(layer, kept));
            }
            inputs = connect(layer, kept, inputs);
            builder.addLayer(layer);
        }
        return builder.build();
    }

    private ComputationGraph build(ComputationGraph pretrained) {
        if (cut == null) {
            throw new IllegalStateException("say where to cut the graph: keepUpTo(\"block5_pool\") (its vertices: "
                    + pretrained.getConfiguration().getTopologicalOrderStr() + ")");
        }
        var conf = pretrained.getConfiguration();
        InputType kept = conf.getLayerActivationTypes(input).get(cut);
        Set<String> keep = new HashSet<>(conf.getNetworkInputs());
        keep(cut, conf.getVertexInputs(), keep);
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(pretrained.clone()).fineTuneConfiguration(fineTune());
        if (freezeUpTo >= 0) {
            builder.setFeatureExtractor(cut);
        }
        for (String vertex : conf.getTopologicalOrderStr()) {
            if (!keep.contains(vertex)) {
                builder.removeVertexAndConnections(vertex);
            }
        }
        String previous = cut;
        long inputs = kept.arrayElementsPerExample();
        List<Layer> layers = head(kept);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            InputPreProcessor flattening = i == 0 ? flattening(layer, kept) : null;
            inputs = connect(layer, kept, inputs);
            String name = i == layers.size() - 1 ? "output" : "head" + i;
            if (flattening == null) {
                builder.addLayer(name, layer, previous);
            } else {
                builder.addLayer(name, layer, flattening, previous);
            }
            previous = name;
        }
        return builder.setOutputs("output").build();
    }

    private FineTuneConfiguration fineTune() {
        return new FineTuneConfiguration.Builder().updater(new FastAdam(learningRate)).seed(seed).build();
    }

    /** The head's layers, copies of the ones given or seed 003's, for features of type {@code kept}. */
    private List<Layer> head(InputType kept) {
        List<Layer> layers = new ArrayList<>();
        for (Layer layer : seedHeadClasses == 0 ? head : seedHead(kept, seedHeadClasses, !flatten)) {
            layers.add(layer.clone());
        }
        return layers;
    }

    /** Flattening for a dense (or dropout) first head layer on feature maps, like Keras' Flatten(); null otherwise. */
    private static InputPreProcessor flattening(Layer first, InputType kept) {
        return first instanceof FeedForwardLayer && kept instanceof InputType.InputTypeConvolutional maps
                ? new CnnToFeedForwardPreProcessor(maps.getHeight(), maps.getWidth(), maps.getChannels()) : null;
    }

    /** Sets a head layer's input size from what comes before it ({@code inputs} values) and returns what it gives the next. */
    private static long connect(Layer layer, InputType kept, long inputs) {
        if (layer instanceof GlobalPoolingLayer) {
            return ((InputType.InputTypeConvolutional) kept).getChannels();
        }
        if (layer instanceof DropoutLayer dropout) {
            dropout.setNIn(inputs);
            dropout.setNOut(inputs);
            return inputs;
        }
        if (layer instanceof FeedForwardLayer ff) {
            if (ff.getNIn() == 0) {
                ff.setNIn(inputs);
            }
            return ff.getNOut();
        }
        return inputs;
    }

    private static void keep(String vertex, Map<String, List<String>> inputs, Set<String> kept) {
        if (kept.add(vertex)) {
            for (String in : inputs.getOrDefault(vertex, List.of())) {
                keep(in, inputs, kept);
            }
        }
    }

    /** The network as a MultiLayerNetwork, for the settings that count layers; a graph is told how it is cut instead. */
    private MultiLayerNetwork layers(String setting, String instead) {
        if (pretrained instanceof MultiLayerNetwork layers) {
            return layers;
        }
        throw new IllegalArgumentException(setting + " counts the layers of a MultiLayerNetwork; a ComputationGraph is cut at a"
                + " named vertex: use " + instead + " (its vertices: "
                + ((ComputationGraph) pretrained).getConfiguration().getTopologicalOrderStr() + ")");
    }

    /** Seed 003's head for features of type {@code kept}. */
    static List<Layer> seedHead(InputType kept, int classes, boolean pool) {
        List<Layer> layers = new ArrayList<>();
        if (pool && kept instanceof InputType.InputTypeConvolutional) {
            layers.add(new GlobalPoolingLayer.Builder(PoolingType.MAX).build());
        }
        layers.add(new DropoutLayer.Builder(0.75).build());
        layers.add(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).weightInit(WeightInit.XAVIER_UNIFORM).build());
        layers.add(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER_UNIFORM).build());
        return layers;
    }

    /** How many of a network's layers are frozen (their weights do not change in training). */
    public static int frozenLayers(NeuralNetwork network) {
        return Network.of(network).frozenLayers();
    }

    /** Parameters that training changes: all minus those of frozen layers. */
    public static long trainableParams(NeuralNetwork network) {
        return Network.of(network).trainableParams();
    }

    /**
     * Loads weights saved from a network of the same architecture into {@code net} (like Keras' {@code load_weights}),
     * refusing, with the first difference named, weights from another architecture.
     */
    public static void loadWeights(MultiLayerNetwork net, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no weights at " + file.toAbsolutePath());
        }
        MultiLayerNetwork saved;
        try {
            saved = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file.toAbsolutePath() + " is not a saved DL4J network (" + e.getMessage() + ")", e);
        }
        String difference = difference(saved, net);
        if (difference != null) {
            throw new IllegalArgumentException("the weights in " + file.getFileName() + " do not match this network: "
                    + difference + ". They were saved from another architecture; build the same model, or load the "
                    + "whole saved network instead");
        }
        net.setParams(saved.params());
    }

    /** The first layer whose parameter shapes differ, as a sentence; null when all match. */
    static String difference(MultiLayerNetwork saved, MultiLayerNetwork net) {
        if (saved.getnLayers() != net.getnLayers()) {
            return "they have " + saved.getnLayers() + " layers, this network has " + net.getnLayers();
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            var ours = net.getLayer(i).paramTable();
            var theirs = saved.getLayer(i).paramTable();
            if (!ours.keySet().equals(theirs.keySet())) {
                return "layer " + i + " has parameters " + theirs.keySet() + " there but " + ours.keySet() + " here";
            }
            for (String key : ours.keySet()) {
                if (!Arrays.equals(ours.get(key).shape(), theirs.get(key).shape())) {
                    return "layer " + i + " (" + net.getLayer(i).getClass().getSimpleName() + ") parameter " + key
                            + " is " + Arrays.toString(theirs.get(key).shape()) + " there but "
                            + Arrays.toString(ours.get(key).shape()) + " here";
                }
            }
        }
        return null;
    }

    private String layerNames() {
        MultiLayerNetwork pretrained = (MultiLayerNetwork) this.pretrained;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pretrained.getnLayers(); i++) {
            names.add(i + ":" + pretrained.getLayer(i).conf().getLayer().getClass().getSimpleName());
        }
        return names.toString();
    }
}
