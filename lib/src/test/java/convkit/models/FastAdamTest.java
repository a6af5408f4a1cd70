package convkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.architectures.Architectures;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class FastAdamTest {

    @Test
    void stepsLikeNd4jsAdamOnSlicesOfALargerState() {
        long n = 20_000;   // more than one of FastAdam's chunks
        INDArray gradients = Nd4j.rand(DataType.FLOAT, 30, n).subi(0.5).muli(0.01);
        // each updater's state as a slice of a wider array, as DL4J's network updater hands them out
        INDArray nd4jState = Nd4j.zeros(DataType.FLOAT, 1, 2 * n + 100).get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(100, 100 + 2 * n));
        INDArray fastState = Nd4j.zeros(DataType.FLOAT, 1, 2 * n + 100).get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(100, 100 + 2 * n));
        Adam settings = new Adam(3e-3, 0.8, 0.99, 1e-6);
        GradientUpdater<?> nd4j = settings.instantiate(nd4jState, true);
        GradientUpdater<?> fast = FastAdam.of(settings).instantiate(fastState, true);
        assertInstanceOf(FastAdam.Updater.class, fast);
        for (int step = 0; step < 30; step++) {
            INDArray a = gradients.getRow(step, true).dup();
            INDArray b = gradients.getRow(step, true).dup();
            nd4j.applyUpdater(a, step, 0);
            fast.applyUpdater(b, step, 0);
            assertClose(a, b, 1e-5, "update of step " + step);
        }
        assertClose(nd4jState, fastState, 1e-5, "m and v after 30 steps");
        assertTrue(fastState.sumNumber().doubleValue() != 0, "the state was written");
    }

    @Test
    void theKitsNetworksAskForItAndOtherOptimizersStay() {
        assertInstanceOf(FastAdam.class, updaterOf(Models.mlp(4, 4, 1, 3)));
        assertInstanceOf(FastAdam.class, updaterOf(Models.mlp(4, 4, 1, 3, new Adam(0.01))));
        assertEquals(0.01, ((Adam) updaterOf(Models.mlp(4, 4, 1, 3, new Adam(0.01)))).getLearningRate());
        assertInstanceOf(Sgd.class, updaterOf(Models.mlp(4, 4, 1, 3, new Sgd(0.01))));
        var lenet = Architectures.lenet5(28, 1, 10, 1.0).configuration();
        var layer = lenet.getVertices().values().stream().filter(v -> v instanceof LayerVertex)
                .map(v -> ((LayerVertex) v).getLayerConf().getLayer())
                .filter(l -> l instanceof BaseLayer).findFirst().orElseThrow();
        assertInstanceOf(FastAdam.class, ((BaseLayer) layer).getIUpdater(), "a LeNet-5 layer with weights");
        Sgd sgd = new Sgd(0.1);
        assertSame(sgd, FastAdam.of(sgd));
        FastAdam copy = ((FastAdam) FastAdam.of(new Adam(2e-3, 0.85, 0.95, 1e-7))).clone();
        assertEquals(2e-3, copy.getLearningRate());
        assertEquals(0.85, copy.getBeta1());
        assertEquals(0.95, copy.getBeta2());
        assertEquals(1e-7, copy.getEpsilon());
    }

    @Test
    void aNetworkTrainsAsWithNd4jsAdamWhereItMixesOptimizers() {
        // the first layer on SGD puts Adam's block at an offset inside the network's gradient and state arrays
        MultiLayerNetwork nd4j = new MultiLayerNetwork(mixed(new Adam(0.01)));
        MultiLayerNetwork fast = new MultiLayerNetwork(mixed(new FastAdam(0.01)));
        nd4j.init();
        fast.init();
        fast.setParams(nd4j.params().dup());
        for (int step = 0; step < 25; step++) {
            DataSet batch = batch(step);
            nd4j.fit(batch);
            fast.fit(batch);
        }
        assertClose(nd4j.params(), fast.params(), 1e-4, "weights after 25 steps");
        assertClose(nd4j.getUpdater().getStateViewArray(), fast.getUpdater().getStateViewArray(), 1e-4, "optimizer state");
    }

    @Test
    void aSavedNetworkComesBackWithItAndGoesOnTheSame(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = Models.mlp(4, 4, 1, 3, new Adam(0.01));
        for (int step = 0; step < 5; step++) {
            net.fit(batch(step));
        }
        File file = dir.resolve("mlp.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertInstanceOf(FastAdam.class, updaterOf(loaded));
        assertNotSame(net, loaded);
        net.fit(batch(5));
        loaded.fit(batch(5));
        assertClose(net.params(), loaded.params(), 1e-6, "weights after one more step");
        assertTrue(Files.size(file.toPath()) > 0);
    }

    private static MultiLayerConfiguration mixed(IUpdater adam) {
        return new NeuralNetConfiguration.Builder().seed(7).updater(adam).list()
                .layer(new DenseLayer.Builder().nIn(16).nOut(12).activation(Activation.RELU).updater(new Sgd(0.05)).build())
                .layer(new DenseLayer.Builder().nIn(12).nOut(12).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
    }

    private static DataSet batch(int step) {
        Nd4j.getRandom().setSeed(1000 + step);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 16);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, (i + step) % 3, 1);
        }
        return new DataSet(x, y);
    }

    private static IUpdater updaterOf(MultiLayerNetwork net) {
        return ((BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater();
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= tolerance * scale, what + ": largest difference " + difference + " against " + scale);
    }
}
