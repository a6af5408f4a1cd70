package convkit.models;

import convkit.env.Require;
import convkit.env.Speed;
import convkit.layers.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A network written as a list of layers, one line a layer, like Keras' {@code Sequential([...])}: each line adds one of
 * DL4J's own layers, and {@link #build()} returns a plain, initialised DL4J {@link MultiLayerNetwork} with the course's
 * defaults (seed {@link Models#SEED}, Adam at Keras' rate 0.001, Keras' Glorot-uniform weights).
 *
 * <pre>{@code
 * var cnn = Sequential.input(28, 28, 1)          // Keras: input_shape=(28, 28, 1)
 *         .conv2d(32, 3, "same", "relu")          // Conv2D(32, (3,3), padding='same', activation='relu')
 *         .maxPool(2, "same")                     // MaxPool2D((2,2), padding='same')
 *         .dropout(0.25)                          // Dropout(0.25): drops a quarter of the units
 *         .flatten()                              // Flatten()
 *         .dense(256, "relu")                     // Dense(256, activation='relu')
 *         .dense(10, "softmax")                   // the classifier, trained with categorical cross-entropy
 *         .build();
 * }</pre>
 * Padding is Keras' default 'valid' unless a line says "same". Any other DL4J layer goes in with {@link #add(Layer)}.
 */
public final class Sequential {

    private static final Map<String, Activation> ACTIVATIONS = Map.of("relu", Activation.RELU, "softmax", Activation.SOFTMAX,
            "sigmoid", Activation.SIGMOID, "tanh", Activation.TANH, "linear", Activation.IDENTITY, "elu", Activation.ELU,
            "selu", Activation.SELU, "softplus", Activation.SOFTPLUS, "swish", Activation.SWISH, "gelu", Activation.GELU);
    private static final Map<String, WeightInit> INITIALIZERS = Map.of("glorot_uniform", WeightInit.XAVIER_UNIFORM,
            "glorot_normal", WeightInit.XAVIER, "he_normal", WeightInit.RELU, "he_uniform", WeightInit.RELU_UNIFORM);

    private final Shape input;
    private final List<Layer> layers = new ArrayList<>();
    /** The indices of the dense layers that a flatten() line precedes: only those may read a feature map. */
    private final Set<Integer> flattened = new HashSet<>();
    private final Set<Integer> dense = new HashSet<>();
    private boolean flattenPending;
    private IUpdater optimizer = new Adam(1e-3);
    private WeightInit weightInit = WeightInit.XAVIER_UNIFORM;
    private long seed = Models.SEED;

    private Sequential(Shape input) {
        this.input = input;
    }

    /** Starts a network on images of {@code height x width x channels} (Keras' {@code input_shape}). */
    public static Sequential input(int height, int width, int channels) {
        return new Sequential(Shape.of(height, width, channels));
    }

    /** Starts a network on images of this shape. */
    public static Sequential input(Shape shape) {
        return new Sequential(Require.notNull(shape, "Sequential.input(shape)", "give the image shape, e.g. Shape.of(28, 28, 1)"));
    }

    /** The optimizer (Keras' {@code compile(optimizer=...)}); default {@code new Adam(1e-3)}, e.g. {@code new Sgd(0.01)}. */
    public Sequential optimizer(IUpdater optimizer) {
        this.optimizer = Require.notNull(optimizer, "optimizer", "give one of DL4J's updaters, e.g. new Adam(1e-3) or new Sgd(0.01)");
        return this;
    }

    /** Every layer's initial weights, by Keras' name: "glorot_uniform" (the default), "glorot_normal", "he_normal", "he_uniform". */
    public Sequential weightInit(String kerasName) {
        this.weightInit = lookUp(INITIALIZERS, kerasName, "weight initializer");
        return this;
    }

    /** The seed of the initial weights and of dropout (default {@link Models#SEED}). */
    public Sequential seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Conv2D with 'valid' padding: {@code filters} kernels of {@code kernel x kernel}, stride 1. */
    public Sequential conv2d(int filters, int kernel, String activation) {
        return conv2d(filters, kernel, "valid", activation);
    }

    /** Conv2D with {@code padding} "valid" or "same": {@code filters} kernels of {@code kernel x kernel}, stride 1. */
    public Sequential conv2d(int filters, int kernel, String padding, String activation) {
        Require.positive(filters, "conv2d: the number of filters");
        Require.positive(kernel, "conv2d: the kernel size");
        return add(new ConvolutionLayer.Builder(kernel, kernel).nOut(filters).convolutionMode(padding(padding))
                .activation(activation(activation)).build());
    }

    /** Keras' {@code use_bias=False} for the layer above (a convolution or dense layer), as before a BatchNormalization. */
    public Sequential withoutBias() {
        Layer last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
        if (last instanceof ConvolutionLayer conv) {
            conv.setHasBias(false);
        } else if (last instanceof DenseLayer d) {
            d.setHasBias(false);
        } else {
            throw new IllegalStateException("withoutBias() drops the bias of the layer just above it, which must be conv2d(...) or"
                    + " dense(...); it follows " + (last == null ? "nothing" : last.getClass().getSimpleName()));
        }
        return this;
    }

    /** MaxPool2D with 'valid' padding (Keras' default): {@code size x size} windows, stride {@code size}. */
    public Sequential maxPool(int size) {
        return maxPool(size, "valid");
    }

    /** MaxPool2D with {@code padding} "valid" or "same": {@code size x size} windows, stride {@code size}. */
    public Sequential maxPool(int size, String padding) {
        Require.positive(size, "maxPool: the window size");
        return add(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(size, size).stride(size, size)
                .convolutionMode(padding(padding)).build());
    }

    /**
     * BatchNormalization with Keras' epsilon (0.001) and DL4J's momentum 0.9 rather than Keras' 0.99: the running
     * statistics used at test time then settle within tens of steps, not hundreds, which short runs need.
     */
    public Sequential batchNorm() {
        return add(batchNormalization().build());
    }

    /** BatchNormalization followed by Keras' {@code Activation(activation)}, in one DL4J layer. */
    public Sequential batchNorm(String activation) {
        return add(batchNormalization().activation(activation(activation)).build());
    }

    private static BatchNormalization.Builder batchNormalization() {
        return new BatchNormalization.Builder().decay(0.9).eps(1e-3);
    }

    /**
     * Keras' {@code Dropout(rate)}: while training, each unit is dropped with probability {@code rate}. (DL4J's own
     * {@code dropOut(p)} takes the probability of <em>keeping</em> a unit; this line converts.)
     */
    public Sequential dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout(" + rate + "): the rate is the fraction of units dropped, as in Keras'"
                    + " Dropout(rate), so 0 <= rate < 1 (e.g. dropout(0.25) drops a quarter)");
        }
        return add(new DropoutLayer.Builder(1 - rate).build());
    }

    /** Flatten: the feature map becomes one vector for the dense layers below. */
    public Sequential flatten() {
        if (flattenPending) {
            throw new IllegalStateException("flatten() twice in a row: one flattens the feature map already");
        }
        flattenPending = true;
        return this;
    }

    /** GlobalAveragePooling2D: each channel's mean, one number per channel, for the dense layers below. */
    public Sequential globalAveragePooling() {
        return add(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
    }

    /**
     * Dense with {@code units} outputs. The last layer of the network gives the class probabilities: end with
     * {@code dense(classes, "softmax")}, trained with categorical cross-entropy (Keras' {@code categorical_crossentropy}).
     */
    public Sequential dense(int units, String activation) {
        Require.positive(units, "dense: the number of units");
        Activation f = activation(activation);
        if (flattenPending) {
            flattenPending = false;
            flattened.add(layers.size());
        }
        dense.add(layers.size());
        layers.add(new DenseLayer.Builder().nOut(units).activation(f).build());
        return this;
    }

    /** Any of DL4J's layers, for what the lines above do not cover (its settings win over the network's defaults). */
    public Sequential add(Layer layer) {
        Require.notNull(layer, "Sequential.add(layer)", "give a DL4J layer, e.g. new ActivationLayer(Activation.RELU)");
        if (flattenPending && !(layer instanceof DropoutLayer)) {
            throw new IllegalStateException("flatten() is followed by " + layer.getClass().getSimpleName()
                    + ": after flatten() come dense(...) layers (and dropout); remove flatten() or move it down");
        }
        layers.add(layer);
        return this;
    }

    /** The DL4J configuration these lines describe, checked (what {@link #build()} initialises). */
    public MultiLayerConfiguration configuration() {
        if (layers.isEmpty() || flattenPending) {
            throw new IllegalStateException("the network " + (layers.isEmpty() ? "has no layers" : "ends with flatten()")
                    + ": end it with the classifier, dense(classes, \"softmax\")");
        }
        Speed.configure();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).updater(FastAdam.of(optimizer.clone()))
                .weightInit(weightInit).list();
        for (int i = 0; i < layers.size() - 1; i++) {
            list.layer(layers.get(i).clone());
        }
        list.layer(classifier(layers.get(layers.size() - 1)));
        InputType type = InputType.convolutional(input.height(), input.width(), input.channels());
        MultiLayerConfiguration conf = list.setInputType(type).build();
        checkFlatten(conf, type);
        return conf;
    }

    /** The network, initialised: a plain DL4J {@link MultiLayerNetwork}. */
    public MultiLayerNetwork build() {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration());
        net.init();
        return net;
    }

    private static Layer classifier(Layer last) {
        if (last instanceof BaseOutputLayer) {
            return last.clone();
        }
        if (last instanceof DenseLayer d && d.getActivationFn() instanceof ActivationSoftmax) {
            return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(d.getNOut()).activation(Activation.SOFTMAX)
                    .hasBias(d.hasBias()).build();
        }
        throw new IllegalStateException("the last layer must give the class probabilities: end with dense(classes, \"softmax\")"
                + " (or add(...) one of DL4J's output layers); the last line is " + describe(last));
    }

    /** Keras makes Flatten explicit, DL4J does it silently: a dense layer reads a feature map only after flatten(). */
    private void checkFlatten(MultiLayerConfiguration conf, InputType type) {
        List<InputType> outputs = conf.getLayerActivationTypes(type);
        for (int i : dense) {
            InputType in = i == 0 ? type : outputs.get(i - 1);
            boolean map = in.getType() == InputType.Type.CNN;
            if (map && !flattened.contains(i)) {
                throw new IllegalStateException("layer " + i + ", " + describe(layers.get(i)) + ", reads a " + shape(in)
                        + " feature map: put .flatten() (Keras' Flatten()) or .globalAveragePooling() on the line above it");
            }
            if (!map && flattened.contains(i)) {
                throw new IllegalStateException("flatten() above layer " + i + ", " + describe(layers.get(i))
                        + ", has nothing to flatten (its input is already a vector of " + in.arrayElementsPerExample()
                        + " numbers): remove that flatten()");
            }
        }
    }

    private static String shape(InputType in) {
        var c = (InputType.InputTypeConvolutional) in;
        return c.getHeight() + "x" + c.getWidth() + "x" + c.getChannels();
    }

    private static String describe(Layer layer) {
        if (layer instanceof DenseLayer d) {
            return "dense(" + d.getNOut() + ", " + d.getActivationFn() + ")";
        }
        return layer.getClass().getSimpleName();
    }

    private static ConvolutionMode padding(String padding) {
        String p = Require.notNull(padding, "padding", "write \"valid\" or \"same\"").toLowerCase(Locale.ROOT);
        return switch (p) {
            case "valid" -> ConvolutionMode.Truncate;
            case "same" -> ConvolutionMode.Same;
            default -> throw new IllegalArgumentException("padding \"" + padding + "\" is not one Keras knows: write \"valid\""
                    + " (no padding, the map shrinks) or \"same\" (zeros around it, the map keeps its size at stride 1)");
        };
    }

    private static Activation activation(String name) {
        return lookUp(ACTIVATIONS, name, "activation");
    }

    private static <T> T lookUp(Map<String, T> known, String name, String what) {
        T found = name == null ? null : known.get(name.toLowerCase(Locale.ROOT));
        if (found == null) {
            throw new IllegalArgumentException("unknown " + what + " \"" + name + "\": use one of Keras' names "
                    + known.keySet().stream().sorted().toList());
        }
        return found;
    }
}
