package convkit.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Transfer learning over DL4J's {@code TransferLearning} API: keep a trained network up to a layer, freeze what is
 * kept (or part of it), put a new head on top, and fine-tune with its own learning rate. The original network is
 * left as it was.
 *
 * <pre>{@code
 * MultiLayerNetwork digits = Transfer.from(pretrained, 28, 28, 1)   // trained on 28x28x1 images
 *         .keepUpTo(9)                                              // drop the old head (layers 10...)
 *         .freeze()                                                 // layers 0..9 stay as trained
 *         .head(5)                                                  // Dense 256 ReLU, Dropout 0.25, softmax 5
 *         .learningRate(1e-4)
 *         .build();
 * }</pre>
 */
public final class Transfer {

    private final MultiLayerNetwork pretrained;
    private final InputType input;
    private int keepUpTo;
    private int freezeUpTo = -1;
    private final List<org.deeplearning4j.nn.conf.layers.Layer> head = new ArrayList<>();
    private double learningRate = 1e-3;
    private long seed = Models.SEED;

    private Transfer(MultiLayerNetwork pretrained, InputType input) {
        this.pretrained = pretrained;
        this.input = input;
        this.keepUpTo = pretrained.getnLayers() - 2;
    }

    /** Starts from a trained network that takes {@code height x width x channels} images. */
    public static Transfer from(MultiLayerNetwork pretrained, int height, int width, int channels) {
        if (pretrained == null) {
            throw new IllegalArgumentException("no network to transfer from: train or load one first");
        }
        return new Transfer(pretrained, InputType.convolutional(height, width, channels));
    }

    /** Keeps layers {@code 0..layer} and drops the ones above (the old head). Default: all but the output layer. */
    public Transfer keepUpTo(int layer) {
        if (layer < 0 || layer >= pretrained.getnLayers() - 1) {
            throw new IllegalArgumentException("can keep layers up to 0.." + (pretrained.getnLayers() - 2)
                    + " of this " + pretrained.getnLayers() + "-layer network (the last one is its head), not " + layer
                    + ". Layers: " + layerNames());
        }
        this.keepUpTo = layer;
        return this;
    }

    /** Keeps layers up to the one called {@code name} (see {@code pretrained.getLayerNames()}). */
    public Transfer keepUpTo(String name) {
        int index = pretrained.getLayerNames().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("the network has no layer called '" + name + "'. Layers: " + layerNames());
        }
        return keepUpTo(index);
    }

    /** Freezes every kept layer: only the new head learns (feature extraction). */
    public Transfer freeze() {
        return freezeUpTo(Integer.MAX_VALUE);
    }

    /** Freezes layers {@code 0..layer}; kept layers above it are fine-tuned with the head. */
    public Transfer freezeUpTo(int layer) {
        if (layer < 0) {
            throw new IllegalArgumentException("freezeUpTo needs a layer index of 0 or more, got " + layer);
        }
        this.freezeUpTo = layer;
        return this;
    }

    /** The seed's head: Dense 256 ReLU, Dropout 0.25, Dense {@code classes} softmax. */
    public Transfer head(int classes) {
        return head(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).weightInit(WeightInit.XAVIER_UNIFORM).build(),
                new DropoutLayer.Builder(0.75).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER_UNIFORM).build());
    }

    /** A head of your own; the first layer's input size is worked out from the kept layers. */
    public Transfer head(org.deeplearning4j.nn.conf.layers.Layer... layers) {
        if (layers.length == 0 || !(layers[layers.length - 1] instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer)) {
            throw new IllegalArgumentException("a head ends with an output layer (e.g. OutputLayer with softmax)");
        }
        head.clear();
        head.addAll(Arrays.asList(layers));
        return this;
    }

    /** Learning rate of Adam for everything that is not frozen (default 0.001; fine-tuning uses less, e.g. 1e-4). */
    public Transfer learningRate(double rate) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + rate);
        }
        this.learningRate = rate;
        return this;
    }

    /** Seed of the new head's initial weights. */
    public Transfer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The new network: a copy of the kept layers (frozen as asked) and the new head. */
    public MultiLayerNetwork build() {
        if (head.isEmpty()) {
            throw new IllegalStateException("no head: call head(classes) or head(layers...) before build()");
        }
        List<InputType> types = pretrained.getLayerWiseConfigurations().getLayerActivationTypes(input);
        InputType kept = types.get(keepUpTo);
        TransferLearning.Builder builder = new TransferLearning.Builder(pretrained.clone())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(learningRate)).seed(seed).build())
                .removeLayersFromOutput(pretrained.getnLayers() - 1 - keepUpTo);
        if (freezeUpTo >= 0) {
            builder.setFeatureExtractor(Math.min(freezeUpTo, keepUpTo));
        }
        boolean convolutional = kept instanceof InputType.InputTypeConvolutional;
        long inputs = kept.arrayElementsPerExample();
        for (int i = 0; i < head.size(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer layer = head.get(i).clone();
            if (layer instanceof GlobalPoolingLayer) {
                inputs = ((InputType.InputTypeConvolutional) kept).getChannels();
                convolutional = false;
            } else if (layer instanceof DropoutLayer dropout) {
                dropout.setNIn(inputs);
                dropout.setNOut(inputs);
            } else if (layer instanceof FeedForwardLayer ff) {
                if (ff.getNIn() == 0) {
                    ff.setNIn(inputs);
                }
                inputs = ff.getNOut();
                if (convolutional) {
                    // the first dense layer on feature maps flattens them, like Keras' Flatten()
                    InputType.InputTypeConvolutional maps = (InputType.InputTypeConvolutional) kept;
                    builder.setInputPreProcessor(keepUpTo + 1 + i,
                            new CnnToFeedForwardPreProcessor(maps.getHeight(), maps.getWidth(), maps.getChannels()));
                    convolutional = false;
                }
            }
            builder.addLayer(layer);
        }
        return builder.build();
    }

    /** How many of a network's layers are frozen (their weights do not change in training). */
    public static int frozenLayers(MultiLayerNetwork net) {
        int frozen = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof FrozenLayer || layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop) {
                frozen++;
            }
        }
        return frozen;
    }

    /** Parameters that training changes: all minus those of frozen layers. */
    public static long trainableParams(MultiLayerNetwork net) {
        long frozen = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof FrozenLayer || layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop) {
                frozen += layer.numParams();
            }
        }
        return net.numParams() - frozen;
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
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pretrained.getnLayers(); i++) {
            names.add(i + ":" + pretrained.getLayer(i).conf().getLayer().getClass().getSimpleName());
        }
        return names.toString();
    }
}
