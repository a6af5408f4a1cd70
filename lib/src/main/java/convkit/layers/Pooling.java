package convkit.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max and average pooling of images or activation maps, done by a DL4J {@link SubsamplingLayer}; each channel
 * is pooled on its own.
 *
 * <pre>{@code
 * INDArray small = Pooling.max(maps, 2);                      // 2x2 windows, stride 2, 'valid'
 * INDArray padded = Pooling.average(maps, 2, 2, Padding.SAME);
 * }</pre>
 */
public final class Pooling {

    private Pooling() {
    }

    /** Max pooling with {@code size x size} windows and stride {@code size}, 'valid' like Keras' MaxPooling2D. */
    public static INDArray max(INDArray maps, int size) {
        return max(maps, size, size, Padding.VALID);
    }

    /** Max pooling: the largest value in each window. */
    public static INDArray max(INDArray maps, int size, int stride, Padding padding) {
        return pool(PoolingType.MAX, maps, size, stride, padding);
    }

    /** Average pooling with {@code size x size} windows and stride {@code size}, 'valid'. */
    public static INDArray average(INDArray maps, int size) {
        return average(maps, size, size, Padding.VALID);
    }

    /**
     * Average pooling: the mean of each window. With {@link Padding#SAME} an edge window averages only the
     * real values it covers (the padding does not count), as in Keras.
     */
    public static INDArray average(INDArray maps, int size, int stride, Padding padding) {
        return pool(PoolingType.AVG, maps, size, stride, padding);
    }

    /** A one-layer DL4J network with this pooling layer, for {@code height x width x channels} input. */
    public static MultiLayerNetwork network(PoolingType type, int height, int width, int channels, int size, int stride, Padding padding) {
        ConvMath.size("height: ", height, size, stride, 0, 1, padding);
        ConvMath.size("width: ", width, size, stride, 0, 1, padding);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(new SubsamplingLayer.Builder(type).kernelSize(size, size).stride(stride, stride)
                        .convolutionMode(padding.dl4j()).build())
                .setInputType(InputType.convolutional(height, width, channels))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray pool(PoolingType type, INDArray maps, int size, int stride, Padding padding) {
        INDArray x = Maps.batchOfOne(maps, "Pooling");
        MultiLayerNetwork net = network(type, (int) x.size(2), (int) x.size(3), (int) x.size(1), size, stride, padding);
        INDArray out = Maps.single(net.output(x));
        return maps.rank() == 2 ? out.reshape('c', out.size(1), out.size(2)) : out;
    }
}
