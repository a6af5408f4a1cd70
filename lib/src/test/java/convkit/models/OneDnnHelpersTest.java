package convkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.env.Speed;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's oneDNN layer helpers, which {@link Speed} turns on, are really used and compute what DL4J's
 * built-in layers compute: outputs, gradients and one Adam step agree within 1e-4 (relative, per array).
 */
class OneDnnHelpersTest {

    private static final double TOLERANCE = 1e-4;

    @BeforeAll
    static void needsOneDnn() {
        Assumptions.assumeTrue(Loader.getPlatform().equals("linux-x86_64"), "oneDNN natives are on the classpath for linux-x86_64 only");
    }

    @Test
    void seedCnnRunsItsConvAndPoolingLayersThroughOneDnn() {
        MultiLayerNetwork cnn = Models.seedCnn(28, 28, 1, 10);
        for (int i : new int[] {0, 1, 4, 5}) {
            assertTrue(cnn.getLayer(i).getHelper() instanceof MKLDNNConvHelper, "layer " + i + ": " + cnn.getLayer(i).getHelper());
        }
        for (int i : new int[] {2, 6}) {
            assertTrue(cnn.getLayer(i).getHelper() instanceof MKLDNNSubsamplingHelper, "layer " + i);
        }
        assertNull(withoutHelpers(() -> Models.seedCnn(28, 28, 1, 10)).getLayer(0).getHelper());
    }

    @Test
    void seedCnnWithHelpersMatchesTheBuiltInLayers() {
        assertSameResults(() -> Models.seedCnn(28, 28, 1, 10), batch(16, 1, 28, 28, 10));
    }

    @Test
    void batchNormPoolingAndDropoutWithHelpersMatchTheBuiltInLayers() {
        Supplier<MultiLayerNetwork> build = OneDnnHelpersTest::poolingZoo;
        MultiLayerNetwork net = build.get();
        assertTrue(net.getLayer(1).getHelper() instanceof MKLDNNBatchNormHelper);
        assertTrue(net.getLayer(3).getHelper() instanceof MKLDNNSubsamplingHelper);
        assertSameResults(build, batch(8, 3, 20, 20, 5));
    }

    /** Conv, batch norm, average pooling, conv, max pooling, dropout, global average pooling, softmax. */
    private static MultiLayerNetwork poolingZoo() {
        Speed.configure();
        var conf = new NeuralNetConfiguration.Builder()
                .seed(7).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same)
                .list()
                // no bias in front of batch norm: its gradient is exactly zero in theory and rounding noise in practice
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2).build())
                .layer(new DropoutLayer.Builder(0.8).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(20, 20, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Builds the network twice, with and without helpers, and compares inference, gradients and one training step. */
    private static void assertSameResults(Supplier<MultiLayerNetwork> build, DataSet data) {
        MultiLayerNetwork fast = build.get();
        MultiLayerNetwork plain = withoutHelpers(build);
        plain.setParams(fast.params().dup());
        assertNotNull(fast.getLayer(0).getHelper());

        assertClose("inference output", plain.output(data.getFeatures(), false), fast.output(data.getFeatures(), false));

        Map<String, INDArray> expected = gradients(plain, data);
        Map<String, INDArray> actual = gradients(fast, data);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, g) -> assertClose("gradient " + name, g, actual.get(name)));

        Nd4j.getRandom().setSeed(11);
        plain.fit(data);
        Nd4j.getRandom().setSeed(11);
        fast.fit(data);
        assertClose("parameters after one Adam step", plain.params(), fast.params());
        assertClose("inference output after one step", plain.output(data.getFeatures(), false), fast.output(data.getFeatures(), false));
        for (Layer layer : fast.getLayers()) {
            assertEquals(0, failedHelperCalls(layer), "layer " + layer.getIndex() + " fell back from its helper");
        }
    }

    private static Map<String, INDArray> gradients(MultiLayerNetwork net, DataSet data) {
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        Nd4j.getRandom().setSeed(5);   // same dropout masks on both paths
        net.computeGradientAndScore();
        Map<String, INDArray> copy = new java.util.TreeMap<>();
        net.gradient().gradientForVariable().forEach((name, g) -> copy.put(name, g.dup()));
        return copy;
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double scale = Math.max(expected.norm2Number().doubleValue(), 1e-12);
        double relative = expected.sub(actual).norm2Number().doubleValue() / scale;
        assertTrue(relative <= TOLERANCE, what + ": relative difference " + relative + " > " + TOLERANCE);
    }

    private static MultiLayerNetwork withoutHelpers(Supplier<MultiLayerNetwork> build) {
        String before = System.getProperty(Speed.HELPERS_PROPERTY);
        System.setProperty(Speed.HELPERS_PROPERTY, "true");
        try {
            return build.get();
        } finally {
            System.setProperty(Speed.HELPERS_PROPERTY, before == null ? "false" : before);
        }
    }

    /** DL4J counts a helper's failures and silently falls back to its own code; a count above 0 means no speed-up. */
    private static int failedHelperCalls(Layer layer) {
        for (Class<?> c = layer.getClass(); c != null; c = c.getSuperclass()) {
            try {
                var field = c.getDeclaredField("helperCountFail");
                field.setAccessible(true);
                return field.getInt(layer);
            } catch (NoSuchFieldException e) {
                // declared further up, or this layer has no helper
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return 0;
    }

    private static DataSet batch(int n, int channels, int height, int width, int classes) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(new int[] {n, channels, height, width});
        INDArray y = Nd4j.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return new DataSet(x, y);
    }
}
