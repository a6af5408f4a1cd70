package convkit.architectures;

import convkit.env.Require;
import convkit.env.Speed;
import convkit.layers.Shape;
import convkit.models.FastAdam;
import convkit.models.Models;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds a DL4J {@code ComputationGraph} one named layer or block at a time (Inception module, residual and bottleneck
 * blocks, dense block and transition, depthwise separable convolution, squeeze-and-excitation, MBConv). It keeps every
 * vertex's shape, so a block that does not fit (a window larger than its map, a shortcut that cannot be added) fails
 * with the layer's name and sizes before any weight exists. {@link Architectures} builds the lesson's networks with it.
 *
 * <pre>{@code
 * Blocks b = Blocks.start("one Inception module", Shape.of(28, 28, 192));
 * String out = b.inception("3a", b.input(), 64, 96, 128, 16, 32, 32);   // 28x28x256
 * Architecture module = b.classify(out, 10);
 * module.multiplyAdds();                                                 // counted from the configuration
 * }</pre>
 * Every layer is one vertex; a block's vertices are named after the block ({@code 3a_1x1}, {@code 3a_3x3}, ...).
 * Convolutions pad by {@code (kernel - 1)/2}, so a stride-s layer gives {@code ceil(side/s)}, as torchvision's.
 */
public final class Blocks {

    /** How a residual block's input reaches its output. */
    public enum Shortcut {
        /** No shortcut: a plain stack of the same layers. */
        NONE,
        /** {@code y = F(x) + x}: only where F keeps the shape. */
        IDENTITY,
        /** {@code y = F(x) + W x} with W a 1x1 convolution (and batch norm) of the block's stride: where the map shrinks and the depth grows. */
        PROJECTION
    }

    /** Batch norm as in the reference networks (epsilon 1e-5) with DL4J's momentum 0.9, so short runs settle its statistics. */
    private static final double BN_DECAY = 0.9;
    private static final double BN_EPS = 1e-5;

    private final String network;
    private final Shape inputShape;
    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final Map<String, InputType> shapes = new HashMap<>();

    private Blocks(String network, Shape input, WeightInit init) {
        this.network = network;
        this.inputShape = input;
        Speed.configure();
        this.graph = new NeuralNetConfiguration.Builder().seed(Models.SEED).updater(new FastAdam()).weightInit(init)
                .convolutionMode(ConvolutionMode.Truncate).graphBuilder().addInputs(input());
        shapes.put(input(), InputType.convolutional(input.height(), input.width(), input.channels()));
    }

    /** Starts a network for images of this shape, He-initialised (for ReLU and SiLU networks). */
    public static Blocks start(String network, Shape input) {
        return start(network, input, WeightInit.RELU);
    }

    /** Starts a network with another weight initialisation (Xavier for sigmoid and tanh). */
    public static Blocks start(String network, Shape input, WeightInit init) {
        Require.notNull(network, "Blocks.start(network, ...)", "name the network, e.g. \"ResNet-18\"");
        Require.notNull(input, "Blocks.start(..., input)", "give the image shape, e.g. Shape.of(28, 28, 1)");
        return new Blocks(network, input, init);
    }

    /** The name of the input vertex. */
    public String input() {
        return "input";
    }

    /** The shape of a vertex's maps; an error if the vertex is unknown or already flat. */
    public Shape shape(String vertex) {
        if (!(type(vertex) instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException(network + ": '" + vertex + "' is a flat vector of " + type(vertex).arrayElementsPerExample()
                    + " values, not a feature map");
        }
        return Shape.of((int) c.getHeight(), (int) c.getWidth(), (int) c.getChannels());
    }

    // ---- layers ----------------------------------------------------------------------------------------------------

    /** A convolution with bias and an activation; {@code padding} zeros on every side. */
    public String conv(String name, String from, int filters, int kernel, int stride, int padding, Activation activation) {
        return conv(name, from, filters, kernel, stride, padding, activation, true);
    }

    /** Convolution without bias (the batch norm after it has one), padded to keep {@code ceil(side/stride)}, then batch norm and the activation. */
    public String convBn(String name, String from, int filters, int kernel, int stride, Activation activation) {
        return batchNorm(name + "_bn", conv(name, from, filters, kernel, stride, (kernel - 1) / 2, Activation.IDENTITY, false), activation);
    }

    /** A depthwise convolution (one kxk filter per channel, no bias), then batch norm and the activation. */
    public String depthwiseBn(String name, String from, int kernel, int stride, Activation activation) {
        Shape in = shape(from);
        int padding = (kernel - 1) / 2;
        Shape out = window(name, "depthwise " + kernel + "x" + kernel + ", stride " + stride, in, kernel, stride, padding, in.channels());
        String conv = layer(name, new DepthwiseConvolution2D.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .depthMultiplier(1).nOut(in.channels()).hasBias(false).activation(Activation.IDENTITY).build(), out, from);
        return batchNorm(name + "_bn", conv, activation);
    }

    /** Batch normalization (learned scale and shift per channel, plus the running mean and variance DL4J stores as parameters). */
    public String batchNorm(String name, String from, Activation activation) {
        return layer(name, new BatchNormalization.Builder().decay(BN_DECAY).eps(BN_EPS).activation(activation).build(), type(from), from);
    }

    /** An activation on its own. */
    public String activation(String name, String from, Activation activation) {
        return layer(name, new ActivationLayer.Builder().activation(activation).build(), type(from), from);
    }

    /** Max or average pooling with {@code padding} on every side; the output side is {@code floor((side + 2p - k)/s) + 1}. */
    public String pool(String name, String from, PoolingType type, int kernel, int stride, int padding) {
        Shape in = shape(from);
        Shape out = window(name, type.name().toLowerCase() + " pooling " + kernel + "x" + kernel + ", stride " + stride, in,
                kernel, stride, padding, in.channels());
        return layer(name, new SubsamplingLayer.Builder(poolingType(type)).kernelSize(kernel, kernel).stride(stride, stride)
                .padding(padding, padding).build(), out, from);
    }

    /**
     * Pooling that rounds the output side up, {@code ceil(side/stride)} (DL4J's Same mode; PyTorch's {@code ceil_mode}
     * pooling in GoogLeNet gives the same sizes at 224x224).
     */
    public String poolCeil(String name, String from, PoolingType type, int kernel, int stride) {
        Shape in = shape(from);
        Shape out = Shape.of(ceil(in.height(), stride), ceil(in.width(), stride), in.channels());
        return layer(name, new SubsamplingLayer.Builder(poolingType(type)).kernelSize(kernel, kernel).stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same).build(), out, from);
    }

    /** Global average pooling: one number per channel. */
    public String globalAveragePool(String name, String from) {
        Shape in = shape(from);
        return layer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), InputType.feedForward(in.channels()), from);
    }

    /** A fully connected layer (DL4J flattens maps in front of it). */
    public String dense(String name, String from, int units, Activation activation) {
        type(from);
        return layer(name, new DenseLayer.Builder().nOut(Require.positive(units, network + ": units of '" + name + "'"))
                .activation(activation).build(), InputType.feedForward(units), from);
    }

    /** Dropout that drops {@code rate} of the values while training (Keras' and PyTorch's convention; DL4J's argument is the kept share). */
    public String dropout(String name, String from, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(network + ": dropout rate of '" + name + "' must be in [0, 1), not " + rate);
        }
        return layer(name, new DropoutLayer.Builder(1 - rate).build(), type(from), from);
    }

    /** {@code a + b}, element by element: both must have the same shape. */
    public String add(String name, String a, String b) {
        Shape x = shape(a);
        Shape y = shape(b);
        if (!x.equals(y)) {
            throw new IllegalArgumentException(network + ": '" + name + "' cannot add " + x + " ('" + a + "') to " + y + " ('" + b
                    + "'): a sum needs equal shapes; where a block changes the size or the depth, use Shortcut.PROJECTION");
        }
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return remember(name, type(a));
    }

    /** The maps side by side along the channels (DenseNet, Inception): all must have the same height and width. */
    public String concat(String name, String... inputs) {
        int channels = 0;
        Shape first = shape(inputs[0]);
        for (String in : inputs) {
            Shape s = shape(in);
            if (s.height() != first.height() || s.width() != first.width()) {
                throw new IllegalArgumentException(network + ": '" + name + "' cannot concatenate " + first + " ('" + inputs[0]
                        + "') with " + s + " ('" + in + "'): channels can only be stacked on maps of the same height and width");
            }
            channels += s.channels();
        }
        graph.addVertex(name, new MergeVertex(), inputs);
        return remember(name, InputType.convolutional(first.height(), first.width(), channels));
    }

    /** Each channel of {@code maps} times its weight from {@code weights} (see {@link ChannelScale}). */
    public String scaleChannels(String name, String maps, String weights) {
        InputType out = new ChannelScale().getOutputType(-1, type(maps), type(weights));
        graph.addVertex(name, new ChannelScale(), maps, weights);
        return remember(name, out);
    }

    // ---- blocks ----------------------------------------------------------------------------------------------------

    /**
     * GoogLeNet's Inception module: four branches side by side, 1x1 ({@code c1}); 1x1 reduction to {@code r3} then 3x3
     * ({@code c3}); 1x1 reduction to {@code r5} then 5x5 ({@code c5}); 3x3 max pooling then 1x1 ({@code pool}). Every
     * convolution is followed by batch norm and ReLU (torchvision's BasicConv2d). The output has c1 + c3 + c5 + pool channels.
     */
    public String inception(String name, String from, int c1, int r3, int c3, int r5, int c5, int pool) {
        return inception(name, from, c1, r3, c3, r5, c5, pool, 5);
    }

    /** The same with another kernel in the third branch (torchvision's GoogLeNet uses 3x3 there, see {@link Architectures#googlenet}). */
    String inception(String name, String from, int c1, int r3, int c3, int r5, int c5, int pool, int thirdKernel) {
        String b1 = convBn(name + "_1x1", from, c1, 1, 1, Activation.RELU);
        String b2 = convBn(name + "_3x3", convBn(name + "_3x3_reduce", from, r3, 1, 1, Activation.RELU), c3, 3, 1, Activation.RELU);
        // the third branch keeps the paper's name "5x5" whatever its kernel
        String b3 = convBn(name + "_5x5", convBn(name + "_5x5_reduce", from, r5, 1, 1, Activation.RELU), c5, thirdKernel, 1, Activation.RELU);
        String b4 = convBn(name + "_pool_proj", poolCeil(name + "_pool", from, PoolingType.MAX, 3, 1), pool, 1, 1, Activation.RELU);
        return concat(name, b1, b2, b3, b4);
    }

    /** ResNet's basic block: 3x3 conv (stride), BN, ReLU, 3x3 conv, BN, then the shortcut added, then ReLU. */
    public String residual(String name, String from, int filters, int stride, Shortcut shortcut) {
        String a = convBn(name + "_conv1", from, filters, 3, stride, Activation.RELU);
        String f = convBn(name + "_conv2", a, filters, 3, 1, Activation.IDENTITY);
        return join(name, from, f, stride, shortcut);
    }

    /**
     * ResNet's bottleneck block (torchvision's v1.5: the stride sits on the 3x3): 1x1 conv to {@code filters}, 3x3 conv,
     * 1x1 conv to {@code 4 * filters}, each with BN, then the shortcut added, then ReLU.
     */
    public String bottleneck(String name, String from, int filters, int stride, Shortcut shortcut) {
        String a = convBn(name + "_conv1", from, filters, 1, 1, Activation.RELU);
        String b = convBn(name + "_conv2", a, filters, 3, stride, Activation.RELU);
        String f = convBn(name + "_conv3", b, 4 * filters, 1, 1, Activation.IDENTITY);
        return join(name, from, f, stride, shortcut);
    }

    /** The end of a residual block: {@code relu(F(x) + shortcut(x))}, or {@code relu(F(x))} without a shortcut. */
    private String join(String name, String from, String f, int stride, Shortcut shortcut) {
        if (shortcut == Shortcut.NONE) {
            return activation(name + "_relu", f, Activation.RELU);
        }
        Shape in = shape(from);
        Shape out = shape(f);
        String skip = from;
        if (shortcut == Shortcut.PROJECTION) {
            skip = convBn(name + "_projection", from, out.channels(), 1, stride, Activation.IDENTITY);
        } else if (!in.equals(out)) {
            throw new IllegalArgumentException(network + ": block '" + name + "' turns " + in + " into " + out
                    + ", so its identity shortcut cannot be added (y = F(x) + x needs equal shapes): use Shortcut.PROJECTION,"
                    + " a 1x1 convolution with stride " + stride + " to " + out.channels() + " channels");
        }
        return activation(name + "_relu", add(name + "_add", f, skip), Activation.RELU);
    }

    /**
     * DenseNet's dense block: {@code layers} times BN, ReLU, 1x1 conv to {@code 4 * growth}, BN, ReLU, 3x3 conv to
     * {@code growth}, each layer's output concatenated to everything before it: C + layers * growth channels.
     */
    public String denseBlock(String name, String from, int layers, int growth) {
        String all = from;
        for (int i = 1; i <= layers; i++) {
            String layer = name + "_layer" + i;
            String a = batchNorm(layer + "_bn1", all, Activation.RELU);
            String b = convBn(layer + "_conv1", a, 4 * growth, 1, 1, Activation.RELU);
            String c = conv(layer + "_conv2", b, growth, 3, 1, 1, Activation.IDENTITY, false);
            all = concat(layer + "_concat", all, c);
        }
        return all;
    }

    /** DenseNet's transition: BN, ReLU, 1x1 conv to half the channels, 2x2 average pooling with stride 2. */
    public String transition(String name, String from) {
        String a = batchNorm(name + "_bn", from, Activation.RELU);
        String b = conv(name + "_conv", a, Math.max(1, shape(from).channels() / 2), 1, 1, 0, Activation.IDENTITY, false);
        return pool(name + "_pool", b, PoolingType.AVG, 2, 2, 0);
    }

    /** A depthwise separable convolution (MobileNet): depthwise 3x3 (stride), BN, ReLU, then 1x1 to {@code filters}, BN, ReLU. */
    public String separable(String name, String from, int filters, int stride) {
        String depthwise = depthwiseBn(name + "_depthwise", from, 3, stride, Activation.RELU);
        return convBn(name + "_pointwise", depthwise, filters, 1, 1, Activation.RELU);
    }

    /**
     * Squeeze-and-excitation: global average pooling (squeeze to one number per channel), a dense layer to
     * {@code squeeze} units (SiLU, as in EfficientNet), a dense layer back to C (sigmoid), each channel of the input
     * multiplied by its weight.
     */
    public String squeezeExcite(String name, String from, int squeeze) {
        int channels = shape(from).channels();
        String pooled = globalAveragePool(name + "_squeeze", from);
        String reduced = dense(name + "_reduce", pooled, squeeze, Activation.SWISH);
        String weights = dense(name + "_expand", reduced, channels, Activation.SIGMOID);
        return scaleChannels(name + "_scale", from, weights);
    }

    /**
     * EfficientNet's MBConv (inverted residual): 1x1 expansion to {@code expand * C} (skipped when expand is 1),
     * depthwise kxk (stride), squeeze-and-excitation to C/4, 1x1 projection to {@code filters} without activation,
     * and the input added back when the shape is unchanged. SiLU everywhere, batch norm after every convolution.
     * {@code expanded} is the width after expansion (EfficientNet rounds it to a multiple of 8).
     */
    public String mbconv(String name, String from, int expanded, int kernel, int stride, int filters) {
        Shape in = shape(from);
        String x = expanded == in.channels() ? from : convBn(name + "_expand", from, expanded, 1, 1, Activation.SWISH);
        String d = depthwiseBn(name + "_depthwise", x, kernel, stride, Activation.SWISH);
        String s = squeezeExcite(name + "_se", d, Math.max(1, in.channels() / 4));
        String p = convBn(name + "_project", s, filters, 1, 1, Activation.IDENTITY);
        return stride == 1 && in.channels() == filters ? add(name + "_add", p, from) : p;
    }

    /** Ends the network with a softmax classifier (cross-entropy loss) on {@code from} and builds its configuration (no weights yet). */
    public Architecture classify(String from, int classes) {
        type(from);
        layer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(Require.positive(classes, network + ": classes")).activation(Activation.SOFTMAX).build(),
                InputType.feedForward(classes), from);
        return end("output");
    }

    /**
     * Ends the network at {@code at} without a classifier, to count a block on its own (its parameters, multiply-adds
     * and output shape); only a network that ends with {@link #classify} can be trained.
     */
    public Architecture end(String at) {
        type(at);
        graph.setOutputs(at).setInputTypes(shapes.get(input()));
        return new Architecture(network, graph.build(), inputShape);
    }

    // ---- bookkeeping -----------------------------------------------------------------------------------------------

    /** A convolution like {@link #conv} with or without bias. */
    String conv(String name, String from, int filters, int kernel, int stride, int padding, Activation activation, boolean bias) {
        Shape in = shape(from);
        Shape out = window(name, "convolution " + kernel + "x" + kernel + ", stride " + stride, in, kernel, stride, padding, filters);
        return layer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .nOut(Require.positive(filters, network + ": filters of '" + name + "'")).hasBias(bias).activation(activation).build(),
                out, from);
    }

    /** The output of a sliding window, or an error naming the layer when the window no longer fits the map. */
    private Shape window(String name, String what, Shape in, int kernel, int stride, int padding, int channels) {
        int h = in.height() + 2 * padding - kernel;
        int w = in.width() + 2 * padding - kernel;
        if (h < 0 || w < 0) {
            throw new MapVanished(network + ": layer '" + name + "' (" + what + (padding > 0 ? ", padding " + padding : "")
                    + ") gets a " + in + " map, smaller than its " + kernel + "x" + kernel + " window: the map has vanished."
                    + " Give the network a larger input (the resolution knob), or remove a pooling or stride");
        }
        return Shape.of(h / stride + 1, w / stride + 1, channels);
    }

    private String layer(String name, org.deeplearning4j.nn.conf.layers.Layer layer, Shape out, String from) {
        return layer(name, layer, InputType.convolutional(out.height(), out.width(), out.channels()), from);
    }

    private String layer(String name, org.deeplearning4j.nn.conf.layers.Layer layer, InputType out, String from) {
        graph.addLayer(name, layer, from);
        return remember(name, out);
    }

    private String remember(String name, InputType out) {
        if (shapes.containsKey(name)) {
            throw new IllegalArgumentException(network + ": there is already a layer named '" + name + "': give each layer its own name");
        }
        shapes.put(name, out);
        return name;
    }

    private InputType type(String vertex) {
        InputType t = shapes.get(vertex);
        if (t == null) {
            List<String> known = new ArrayList<>(shapes.keySet());
            throw new IllegalArgumentException(network + ": there is no layer '" + vertex + "' to connect from (" + known.size()
                    + " layers so far; start from input())");
        }
        return t;
    }

    private static SubsamplingLayer.PoolingType poolingType(PoolingType type) {
        return switch (type) {
            case MAX -> SubsamplingLayer.PoolingType.MAX;
            case AVG -> SubsamplingLayer.PoolingType.AVG;
            default -> throw new IllegalArgumentException("pooling must be MAX or AVG, not " + type);
        };
    }

    private static int ceil(int side, int stride) {
        return (side + stride - 1) / stride;
    }

    /** A map shrank below its layer's window: thrown before any weight exists, so {@link Architectures} can say which input size works. */
    static final class MapVanished extends IllegalArgumentException {
        MapVanished(String message) {
            super(message);
        }
    }
}
