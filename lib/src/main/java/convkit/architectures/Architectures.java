package convkit.architectures;

import convkit.architectures.Blocks.Shortcut;
import convkit.env.Require;
import convkit.layers.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The classic CNN families of seeds 001 and 004, layer for layer as their reference implementations (torchvision where it
 * has the network, the paper for LeNet-5), each with two knobs so that small versions train on a CPU: {@code size}, the
 * side of the square input (the resolution), and {@code width}, which multiplies every layer's channel count.
 *
 * <pre>{@code
 * Architectures.vgg(16, 224, 3, 1000, 1.0).learnedParameters();        // 138,357,544 as torchvision's vgg16
 * Architectures.resnet(50, 224, 3, 1000, 1.0).multiplyAdds();           // about 4.1 billion per image
 * var small = Architectures.resnet(18, 64, 1, 10, 0.25).build();        // a quarter of the channels, 64x64 grey images
 * Architectures.alexnet(32, 3, 10, 1.0);    // error: layer 'pool5' ... gets a 1x1x256 map ...; the smallest input is 63x63
 * }</pre>
 * Every network ends in a softmax output layer with cross-entropy loss and trains with Adam (0.001) and seed 42, so
 * {@code Training.of(net.build())} and {@code Evaluation.of(net, test)} take any of them. Dropout follows the reference;
 * torchvision's adaptive average pooling in front of AlexNet's and VGG's dense layers is left out (at 224x224 it changes
 * nothing; at other sizes the dense layers read the map as it is).
 */
public final class Architectures {

    private static final int MAX_SIZE = 1024;

    private Architectures() {
    }

    /** LeNet-5 (LeCun et al. 1998) with seed 001's sigmoid activations and average pooling. */
    public static Architecture lenet5(int size, int channels, int classes, double width) {
        return lenet5(size, channels, classes, width, Activation.SIGMOID);
    }

    /**
     * LeNet-5: C1 conv 6 5x5 (padded by 2, so a 28x28 digit gives the paper's 28x28 maps of a 32x32 input), S2 2x2
     * average pooling, C3 conv 16 5x5, S4 pooling, C5 conv 120 5x5, F6 dense 84, the classifier; {@code activation}
     * everywhere (sigmoid, tanh or ReLU, to compare them).
     */
    public static Architecture lenet5(int size, int channels, int classes, double width, Activation activation) {
        WeightInit init = activation == Activation.RELU ? WeightInit.RELU : WeightInit.XAVIER;
        return network("LeNet-5", size, channels, width, init, b -> {
            String x = b.conv("c1", b.input(), scale(6, width), 5, 1, 2, activation);
            x = b.pool("s2", x, PoolingType.AVG, 2, 2, 0);
            x = b.conv("c3", x, scale(16, width), 5, 1, 0, activation);
            x = b.pool("s4", x, PoolingType.AVG, 2, 2, 0);
            x = b.conv("c5", x, scale(120, width), 5, 1, 0, activation);
            x = b.dense("f6", x, scale(84, width), activation);
            return b.classify(x, classes);
        });
    }

    /**
     * AlexNet as torchvision builds it (one tower, no local response normalisation): conv 64 11x11 stride 4 padding 2,
     * max pool 3/2, conv 192 5x5, pool, conv 384, 256, 256 3x3, pool, then dropout 0.5, dense 4096, dropout, dense 4096
     * and the classifier; ReLU throughout.
     */
    public static Architecture alexnet(int size, int channels, int classes, double width) {
        return network("AlexNet", size, channels, width, WeightInit.RELU, b -> {
            String x = b.conv("conv1", b.input(), scale(64, width), 11, 4, 2, Activation.RELU);
            x = b.pool("pool1", x, PoolingType.MAX, 3, 2, 0);
            x = b.conv("conv2", x, scale(192, width), 5, 1, 2, Activation.RELU);
            x = b.pool("pool2", x, PoolingType.MAX, 3, 2, 0);
            x = b.conv("conv3", x, scale(384, width), 3, 1, 1, Activation.RELU);
            x = b.conv("conv4", x, scale(256, width), 3, 1, 1, Activation.RELU);
            x = b.conv("conv5", x, scale(256, width), 3, 1, 1, Activation.RELU);
            x = b.pool("pool5", x, PoolingType.MAX, 3, 2, 0);
            return b.classify(head(b, x, scale(4096, width), 0.5), classes);
        });
    }

    /** VGG's configurations A, B, D, E by their depth: the convolutions' widths, 0 for a 2x2 max pooling. */
    private static final Map<Integer, int[]> VGG = Map.of(
            11, new int[] {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
            13, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
            16, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0},
            19, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0});

    /**
     * VGG-11/13/16/19 (Simonyan and Zisserman 2014, torchvision's vgg11 ... vgg19): only 3x3 convolutions with stride 1
     * and padding 1, ReLU, 2x2 max pooling with stride 2, then dense 4096, dropout 0.5, dense 4096, dropout, classifier.
     */
    public static Architecture vgg(int depth, int size, int channels, int classes, double width) {
        return member("VGG", VGG, depth, size, channels, width, (b, plan) -> {
            String x = b.input();
            int block = 1;
            int layer = 1;
            for (int filters : plan) {
                if (filters == 0) {
                    x = b.pool("pool" + block++, x, PoolingType.MAX, 2, 2, 0);
                    layer = 1;
                } else {
                    x = b.conv("conv" + block + "_" + layer++, x, scale(filters, width), 3, 1, 1, Activation.RELU);
                }
            }
            String fc6 = b.dense("fc6", x, scale(4096, width), Activation.RELU);
            String fc7 = b.dense("fc7", b.dropout("drop6", fc6, 0.5), scale(4096, width), Activation.RELU);
            return b.classify(b.dropout("drop7", fc7, 0.5), classes);
        });
    }

    /** The Inception modules of GoogLeNet (Szegedy et al. 2014, table 1): 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj. */
    private static final String[] INCEPTION_NAMES = {"3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"};
    private static final int[][] INCEPTION = {
        {64, 96, 128, 16, 32, 32}, {128, 128, 192, 32, 96, 64},
        {192, 96, 208, 16, 48, 64}, {160, 112, 224, 24, 64, 64}, {128, 128, 256, 24, 64, 64}, {112, 144, 288, 32, 64, 64},
        {256, 160, 320, 32, 128, 128}, {256, 160, 320, 32, 128, 128}, {384, 192, 384, 48, 128, 128}};

    /**
     * GoogLeNet (Inception v1) with the paper's 5x5 branch, batch norm after every convolution as in torchvision, and
     * no auxiliary classifiers: conv 7x7/2, pool, conv 1x1, conv 3x3, pool, Inception 3a 3b, pool, 4a-4e, pool, 5a 5b,
     * global average pooling, dropout 0.2, classifier. No large dense head: the classifier reads 1024 averages.
     */
    public static Architecture googlenet(int size, int channels, int classes, double width) {
        return googlenet(size, channels, classes, width, 5);
    }

    /**
     * GoogLeNet with {@code thirdKernel} in each module's third branch: 5 as in the paper; torchvision's googlenet has 3
     * there (a slip it keeps so that its published weights still load), hence its 6,624,904 parameters.
     */
    public static Architecture googlenet(int size, int channels, int classes, double width, int thirdKernel) {
        return network("GoogLeNet", size, channels, width, WeightInit.RELU, b -> {
            String x = b.convBn("conv1", b.input(), scale(64, width), 7, 2, Activation.RELU);
            x = b.poolCeil("pool1", x, PoolingType.MAX, 3, 2);
            x = b.convBn("conv2", x, scale(64, width), 1, 1, Activation.RELU);
            x = b.convBn("conv3", x, scale(192, width), 3, 1, Activation.RELU);
            x = b.poolCeil("pool2", x, PoolingType.MAX, 3, 2);
            for (int i = 0; i < INCEPTION.length; i++) {
                int[] c = Arrays.stream(INCEPTION[i]).map(v -> scale(v, width)).toArray();
                x = b.inception(INCEPTION_NAMES[i], x, c[0], c[1], c[2], c[3], c[4], c[5], thirdKernel);
                if (i == 1) {
                    x = b.poolCeil("pool3", x, PoolingType.MAX, 3, 2);
                } else if (i == 6) {
                    x = b.poolCeil("pool4", x, PoolingType.MAX, 2, 2);
                }
            }
            x = b.globalAveragePool("avgpool", x);
            return b.classify(b.dropout("dropout", x, 0.2), classes);
        });
    }

    /** ResNet's stages by depth: basic blocks (18, 34) or bottlenecks (50, 101, 152) per stage. */
    private static final Map<Integer, int[]> RESNET = Map.of(
            18, new int[] {2, 2, 2, 2}, 34, new int[] {3, 4, 6, 3}, 50, new int[] {3, 4, 6, 3},
            101, new int[] {3, 4, 23, 3}, 152, new int[] {3, 8, 36, 3});

    /**
     * ResNet-18/34/50/101/152 (He et al. 2015, torchvision): conv 7x7/2 64, max pool 3/2, four stages of 64, 128, 256,
     * 512 filters (the last three start with stride 2), global average pooling, classifier. Shortcuts are identities
     * where the block keeps the shape and 1x1 projections with stride 2 where the map shrinks and the depth grows.
     */
    public static Architecture resnet(int depth, int size, int channels, int classes, double width) {
        boolean bottleneck = depth >= 50;
        return member("ResNet", RESNET, depth, size, channels, width, (b, stages) -> {
            String x = b.convBn("conv1", b.input(), scale(64, width), 7, 2, Activation.RELU);
            x = b.pool("pool1", x, PoolingType.MAX, 3, 2, 1);
            for (int stage = 0; stage < stages.length; stage++) {
                int filters = scale(64 << stage, width);
                for (int block = 0; block < stages[stage]; block++) {
                    int stride = stage > 0 && block == 0 ? 2 : 1;
                    String blockName = "layer" + (stage + 1) + "." + block;
                    int out = bottleneck ? 4 * filters : filters;
                    Shortcut shortcut = stride != 1 || b.shape(x).channels() != out ? Shortcut.PROJECTION : Shortcut.IDENTITY;
                    x = bottleneck ? b.bottleneck(blockName, x, filters, stride, shortcut) : b.residual(blockName, x, filters, stride, shortcut);
                }
            }
            return b.classify(b.globalAveragePool("avgpool", x), classes);
        });
    }

    /**
     * The deep stacks of He et al.'s CIFAR experiments (section 4.2): {@code depth = 6n + 2} layers, a 3x3 conv with 16
     * filters, three stages of n basic blocks with 16, 32, 64 filters (stride 2 at the start of the last two), global
     * average pooling, classifier. With {@code residual} false the same layers without any shortcut: the plain network
     * whose training degrades as it gets deeper.
     */
    public static Architecture deepStack(int depth, boolean residual, int size, int channels, int classes, double width) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("deepStack: depth must be 6n + 2 with n >= 1 (8, 14, 20, 32, 44, 56, ...), not " + depth
                    + ": each of the three stages has n blocks of two 3x3 convolutions, plus the first convolution and the classifier");
        }
        int n = (depth - 2) / 6;
        return network((residual ? "residual " : "plain ") + depth + "-layer stack", size, channels, width, WeightInit.RELU, b -> {
            String x = b.convBn("conv1", b.input(), scale(16, width), 3, 1, Activation.RELU);
            for (int stage = 0; stage < 3; stage++) {
                int filters = scale(16 << stage, width);
                for (int block = 0; block < n; block++) {
                    int stride = stage > 0 && block == 0 ? 2 : 1;
                    Shortcut shortcut = !residual ? Shortcut.NONE
                            : stride != 1 || b.shape(x).channels() != filters ? Shortcut.PROJECTION : Shortcut.IDENTITY;
                    x = b.residual("stage" + (stage + 1) + "." + block, x, filters, stride, shortcut);
                }
            }
            return b.classify(b.globalAveragePool("avgpool", x), classes);
        });
    }

    /** DenseNet's dense layers per block by depth (growth rate 32, 64 channels after the stem). */
    private static final Map<Integer, int[]> DENSENET = Map.of(
            121, new int[] {6, 12, 24, 16}, 169, new int[] {6, 12, 32, 32}, 201, new int[] {6, 12, 48, 32});

    /**
     * DenseNet-121/169/201 (Huang et al. 2016, torchvision): conv 7x7/2 64, max pool 3/2, four dense blocks with growth
     * rate 32 (each layer adds 32 channels by concatenation) and a transition (1x1 conv to half the channels, 2x2 average
     * pooling) between them, batch norm and ReLU, global average pooling, classifier.
     */
    public static Architecture densenet(int depth, int size, int channels, int classes, double width) {
        return member("DenseNet", DENSENET, depth, size, channels, width, (b, blocks) -> {
            String x = b.convBn("conv0", b.input(), scale(64, width), 7, 2, Activation.RELU);
            x = b.pool("pool0", x, PoolingType.MAX, 3, 2, 1);
            for (int i = 0; i < blocks.length; i++) {
                x = b.denseBlock("block" + (i + 1), x, blocks[i], scale(32, width));
                if (i < blocks.length - 1) {
                    x = b.transition("transition" + (i + 1), x);
                }
            }
            x = b.batchNorm("norm5", x, Activation.RELU);
            return b.classify(b.globalAveragePool("avgpool", x), classes);
        });
    }

    /** EfficientNet-B0's stages: expansion, kernel, stride, output channels, repeats (Tan and Le 2019, table 1). */
    private static final int[][] MBCONV_STAGES = {
        {1, 3, 1, 16, 1}, {6, 3, 2, 24, 2}, {6, 5, 2, 40, 2}, {6, 3, 2, 80, 3}, {6, 5, 1, 112, 3}, {6, 5, 2, 192, 4}, {6, 3, 1, 320, 1}};

    /** EfficientNet-B0 with its channels multiplied by {@code width} (rounded to multiples of 8, as EfficientNet does). */
    public static Architecture efficientnetB0(int size, int channels, int classes, double width) {
        return efficientnet(size, channels, classes, width, 1.0);
    }

    /**
     * EfficientNet with compound-scaling coefficients (torchvision's efficientnet_b0 is width 1.0, depth 1.0 at 224;
     * b1 is 1.0, 1.1 at 240; b2 1.1, 1.2 at 260; b3 1.2, 1.4 at 300): stem conv 3x3/2 32, seven stages of MBConv blocks
     * (each stage's repeats times {@code depth}, rounded up), conv 1x1 to 1280, global average pooling, dropout 0.2,
     * classifier. SiLU (swish) activations; stochastic depth is left out (it only acts while training).
     */
    public static Architecture efficientnet(int size, int channels, int classes, double width, double depth) {
        if (!(depth > 0)) {
            throw new IllegalArgumentException("EfficientNet: the depth coefficient must be positive, not " + depth);
        }
        // the width knob keeps B0's name (as for the other families); another depth is another member of the family
        String name = depth == 1 ? "EfficientNet-B0" : String.format(Locale.ROOT, "EfficientNet (width %.2f, depth %.2f)", width, depth);
        return network(name, size, channels, width, WeightInit.RELU, b -> {
            String x = b.convBn("stem", b.input(), divisible(32 * width), 3, 2, Activation.SWISH);
            for (int stage = 0; stage < MBCONV_STAGES.length; stage++) {
                int[] st = MBCONV_STAGES[stage];
                int repeats = (int) Math.ceil(st[4] * depth);
                for (int i = 0; i < repeats; i++) {
                    int in = b.shape(x).channels();
                    int expanded = st[0] == 1 ? in : divisible(in * st[0]);
                    x = b.mbconv("stage" + (stage + 1) + "." + i, x, expanded, st[1], i == 0 ? st[2] : 1, divisible(st[3] * width));
                }
            }
            x = b.convBn("head", x, 4 * divisible(320 * width), 1, 1, Activation.SWISH);
            x = b.globalAveragePool("avgpool", x);
            return b.classify(b.dropout("dropout", x, 0.2), classes);
        });
    }

    /** AlexNet's dense head: dropout, dense, dropout, dense (ReLU); the classifier follows. */
    private static String head(Blocks b, String from, int units, double dropout) {
        String fc6 = b.dense("fc6", b.dropout("drop6", from, dropout), units, Activation.RELU);
        return b.dense("fc7", b.dropout("drop7", fc6, dropout), units, Activation.RELU);
    }

    /** A member of a family chosen by its depth (VGG-16, ResNet-50, ...): the family's plan for that depth, or an error listing the depths. */
    private static Architecture member(String family, Map<Integer, int[]> plans, int depth, int size, int channels, double width,
                                       BiFunction<Blocks, int[], Architecture> layers) {
        int[] plan = depth(plans, depth, family);
        return network(family + "-" + depth, size, channels, width, WeightInit.RELU, b -> layers.apply(b, plan));
    }

    /** Checks the width, then builds the layers for {@code size x size x channels} images (see {@link #sized}). */
    private static Architecture network(String name, int size, int channels, double width, WeightInit init,
                                        Function<Blocks, Architecture> layers) {
        checkWidth(width);
        return sized(name, size, s -> layers.apply(Blocks.start(name, Shape.of(s, s, channels), init)));
    }

    /**
     * Builds at {@code size}; when a map vanishes on the way, the error also gives the smallest input side the network
     * takes (found by building the configuration at larger sides, which allocates nothing).
     */
    private static Architecture sized(String network, int size, IntFunction<Architecture> build) {
        Require.positive(size, network + ": input size");
        try {
            return build.apply(size);
        } catch (Blocks.MapVanished e) {
            for (int larger = size + 1; larger <= MAX_SIZE; larger++) {
                try {
                    build.apply(larger);
                    throw new IllegalArgumentException(e.getMessage() + ". The smallest input " + network + " takes is "
                            + larger + "x" + larger + " (it was given " + size + "x" + size + ")", e);
                } catch (Blocks.MapVanished stillTooSmall) {
                    // keep looking
                }
            }
            throw e;
        }
    }

    private static int[] depth(Map<Integer, int[]> family, int depth, String name) {
        int[] plan = family.get(depth);
        if (plan == null) {
            throw new IllegalArgumentException(name + " has no depth " + depth + ": the family has "
                    + family.keySet().stream().sorted().map(String::valueOf).toList() + " layers");
        }
        return plan;
    }

    private static void checkWidth(double width) {
        if (!(width > 0 && width <= 16)) {
            throw new IllegalArgumentException("width multiplies every layer's channels and must be in (0, 16], not " + width
                    + ": 1.0 is the published network, 0.25 a quarter of its channels");
        }
    }

    /** {@code channels * width}, rounded, at least 1. */
    static int scale(int channels, double width) {
        return Math.max(1, (int) Math.round(channels * width));
    }

    /** EfficientNet's channel rounding: the nearest multiple of 8 (at least 8), never more than 10% below the exact value. */
    static int divisible(double channels) {
        int rounded = Math.max(8, (int) (channels + 4) / 8 * 8);
        return rounded < 0.9 * channels ? rounded + 8 : rounded;
    }
}
