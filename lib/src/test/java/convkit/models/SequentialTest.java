package convkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

public class SequentialTest {

    @Test
    void theSeedCnnAsALayerListIsTheNetworkDl4jsBuildersMake() {
        var net = Models.seedCnn(28, 28, 1, 10);
        assertEquals(936_426, net.numParams());
        assertSameNetwork(RawDl4j.seedCnn(10, new Adam(1e-3)), net);
        assertSameNetwork(RawDl4j.seedCnn(5, new Sgd(0.01)), Models.seedCnn(28, 28, 1, 5, new Sgd(0.01)));
    }

    @Test
    void theMlpIsFlattenThenThreeDenseLayers() {
        var net = Sequential.input(28, 28, 1).flatten().dense(256, "relu").dense(256, "relu").dense(10, "softmax").build();
        assertEquals((784 + 1) * 256 + (256 + 1) * 256 + (256 + 1) * 10, net.numParams());
        assertSameNetwork(RawDl4j.mlp(new Adam(1e-3)), net);
        assertSameNetwork(RawDl4j.mlp(new Sgd(0.01)), Models.mlp(28, 28, 1, 10, new Sgd(0.01)));
    }

    @Test
    void dropoutTakesKerasRateTheFractionDropped() {
        var net = Sequential.input(100, 100, 1).dropout(0.25).flatten().dense(2, "softmax").build();
        var ones = Nd4j.ones(1, 1, 100, 100);
        var trained = net.feedForward(ones, true).get(1);
        double dropped = trained.eq(0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
        assertEquals(0.25, dropped, 0.02, "a quarter of 10,000 units dropped while training");
        assertEquals(1 / 0.75, trained.maxNumber().doubleValue(), 1e-5, "the kept units are scaled up by 1/0.75");
        assertEquals(0.0, net.feedForward(ones, false).get(1).eq(0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .sumNumber().doubleValue(), "nothing is dropped at test time");
    }

    @Test
    void aDenseLayerOnAFeatureMapAsksForFlatten() {
        var e = assertThrows(IllegalStateException.class,
                () -> Sequential.input(28, 28, 1).conv2d(8, 3, "relu").dense(10, "softmax").build());
        assertTrue(e.getMessage().contains("26x26x8") && e.getMessage().contains(".flatten()"), e.getMessage());
        var twice = assertThrows(IllegalStateException.class, () -> Sequential.input(28, 28, 1).conv2d(8, 3, "relu")
                .globalAveragePooling().flatten().dense(10, "softmax").build());
        assertTrue(twice.getMessage().contains("remove that flatten()"), twice.getMessage());
    }

    @Test
    void mistakesAreNamedWithTheFix() {
        var activation = assertThrows(IllegalArgumentException.class, () -> Sequential.input(28, 28, 1).conv2d(8, 3, "Relu6"));
        assertTrue(activation.getMessage().contains("relu") && activation.getMessage().contains("softmax"), activation.getMessage());
        var padding = assertThrows(IllegalArgumentException.class, () -> Sequential.input(28, 28, 1).maxPool(2, "full"));
        assertTrue(padding.getMessage().contains("\"same\""), padding.getMessage());
        var rate = assertThrows(IllegalArgumentException.class, () -> Sequential.input(28, 28, 1).dropout(1.0));
        assertTrue(rate.getMessage().contains("0 <= rate < 1"), rate.getMessage());
        var last = assertThrows(IllegalStateException.class, () -> Sequential.input(28, 28, 1).flatten().dense(10, "relu").build());
        assertTrue(last.getMessage().contains("dense(classes, \"softmax\")"), last.getMessage());
        var bias = assertThrows(IllegalStateException.class, () -> Sequential.input(28, 28, 1).dropout(0.1).withoutBias());
        assertTrue(bias.getMessage().contains("DropoutLayer"), bias.getMessage());
    }

    @Test
    void configurationCanBeReadTwiceAndBuildsTheSameNetworkEachTime() {
        var lines = Sequential.input(28, 28, 1).conv2d(8, 3, "same", "relu").dropout(0.5).maxPool(2).flatten().dense(10, "softmax");
        assertEquals(lines.configuration().toJson(), lines.configuration().toJson());
        assertArrayEquals(lines.build().params().toFloatVector(), lines.build().params().toFloatVector());
    }

    /** Same layers, same settings, same initial weights (the same seed draws the same numbers). */
    public static void assertSameNetwork(MultiLayerConfiguration expected, MultiLayerNetwork actual) {
        var reference = new MultiLayerNetwork(expected);
        reference.init();
        assertEquals(reference.getLayerWiseConfigurations().toJson(), actual.getLayerWiseConfigurations().toJson());
        assertArrayEquals(reference.params().toFloatVector(), actual.params().toFloatVector());
    }
}
