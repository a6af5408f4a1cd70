package convkit.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Fixed (hand-written, not learned) convolution filters, and a DL4J convolution layer that applies them:
 * each kernel gives one activation map.
 *
 * <pre>{@code
 * INDArray cat  = Photos.gray("chelsea");
 * INDArray maps = Filters.apply(cat, Filters.blur(), Filters.outline());   // [2, h-2, w-2]
 * INDArray positive = Filters.relu(maps);
 * }</pre>
 */
public final class Filters {

    private Filters() {
    }

    /** Leaves the image as it is: 1 in the middle. */
    public static double[][] identity() {
        return new double[][] {{0, 0, 0}, {0, 1, 0}, {0, 0, 0}};
    }

    /** A Gaussian-like blur: a weighted average of the 3x3 neighbourhood (weights sum to 1). */
    public static double[][] blur() {
        return new double[][] {{1 / 16.0, 2 / 16.0, 1 / 16.0}, {2 / 16.0, 4 / 16.0, 2 / 16.0}, {1 / 16.0, 2 / 16.0, 1 / 16.0}};
    }

    /** Sharpen: the pixel counted five times minus its four neighbours (weights sum to 1). */
    public static double[][] sharpen() {
        return new double[][] {{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}};
    }

    /** Emboss: bottom-right minus top-left, so edges look raised in relief. */
    public static double[][] emboss() {
        return new double[][] {{-2, -1, 0}, {-1, 1, 1}, {0, 1, 2}};
    }

    /** Outline: the pixel minus the mean of its 8 neighbours (weights sum to 0: flat areas become 0). */
    public static double[][] outline() {
        return new double[][] {{-1, -1, -1}, {-1, 8, -1}, {-1, -1, -1}};
    }

    /** Vertical edges (Sobel): right minus left; positive where the image gets brighter to the right. */
    public static double[][] verticalEdges() {
        return new double[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}};
    }

    /** Horizontal edges (Sobel): bottom minus top; positive where the image gets brighter downwards. */
    public static double[][] horizontalEdges() {
        return new double[][] {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}};
    }

    /** The kernels applied with stride 1 and no padding. */
    public static INDArray apply(INDArray image, double[][]... kernels) {
        return apply(image, 1, 0, kernels);
    }

    /**
     * The kernels applied by a DL4J {@link ConvolutionLayer} with this stride and zero padding: one output map
     * per kernel, {@code [K, h2, w2]}. A multi-channel image gets the same kernel on every channel, summed,
     * as an F x F x D filter does. Sizes that do not fit are an error from {@link ConvMath}.
     */
    public static INDArray apply(INDArray image, int stride, int padding, double[][]... kernels) {
        INDArray x = Maps.batchOfOne(image, "Filters.apply");
        MultiLayerNetwork net = network((int) x.size(2), (int) x.size(3), (int) x.size(1), stride, padding, kernels);
        return Maps.single(net.output(x));
    }

    /**
     * A one-layer DL4J network whose {@link ConvolutionLayer} holds the given kernels as its filters
     * (no bias, identity activation), for images of {@code height x width x channels}.
     */
    public static MultiLayerNetwork network(int height, int width, int channels, int stride, int padding, double[][]... kernels) {
        if (kernels.length == 0) {
            throw new IllegalArgumentException("give at least one kernel, e.g. Filters.blur()");
        }
        int kh = kernels[0].length;
        int kw = kh == 0 ? 0 : kernels[0][0].length;
        for (int k = 0; k < kernels.length; k++) {
            for (double[] row : kernels[k]) {
                if (kernels[k].length != kh || row.length != kw) {
                    throw new IllegalArgumentException("kernel " + k + " is not " + kh + "x" + kw
                            + " like kernel 0: all kernels of one layer must have the same size");
                }
            }
        }
        ConvMath.size("height: ", height, kh, stride, padding, 1, Padding.STRICT);
        ConvMath.size("width: ", width, kw, stride, padding, 1, Padding.STRICT);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Strict)
                .list()
                .layer(new ConvolutionLayer.Builder(kh, kw).stride(stride, stride).padding(padding, padding)
                        .nOut(kernels.length).hasBias(false).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(height, width, channels))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // DL4J's weights are [filters, channels, kh, kw]
        INDArray weights = Nd4j.create(DataType.FLOAT, kernels.length, channels, kh, kw);
        for (int k = 0; k < kernels.length; k++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        weights.putScalar(new long[] {k, c, i, j}, kernels[k][i][j]);
                    }
                }
            }
        }
        net.getLayer(0).setParam("W", weights);
        return net;
    }

    /** ReLU, {@code max(0, x)}, on a copy: negative responses become 0, positive ones stay. */
    public static INDArray relu(INDArray maps) {
        return Transforms.relu(maps, true);
    }
}
