package convkit.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.data.TinyData;
import convkit.galaxy.GalaxyModels;
import convkit.models.Models;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DeadUnitsTest {

    // 300 images: two forward passes of 256 and 44 (Evaluation.imagesPerPass), so the per-batch maxima must be combined.
    private final ImageSet set = TinyData.rows("tiny", 300, 2);

    @Test
    void countsTheUnitsThatAnswerToSomeImage() {
        MultiLayerNetwork net = Models.mlp(4, 4, 1, 3);
        DeadUnits counted = DeadUnits.of(net, set);
        var activations = net.feedForward(set.images(), false);
        assertEquals(2, counted.layers().size(), "the MLP's two Dense 256 layers; the softmax layer is not counted");
        for (int k = 0; k < 2; k++) {
            int expected = activations.get(k + 1).max(0).gt(0).castTo(DataType.INT).sumNumber().intValue();
            assertEquals(k, counted.layers().get(k).index());
            assertEquals(256, counted.layers().get(k).units());
            assertEquals(expected, counted.alive(k));
        }
        assertTrue(counted.alive(0) > 200, "a fresh He-initialised layer is mostly alive: " + counted.alive(0));
    }

    @Test
    void aUnitPushedBelowZeroForEveryImageIsDead() {
        MultiLayerNetwork net = Models.mlp(4, 4, 1, 3);
        int before = DeadUnits.of(net, set).alive(0);
        net.getLayer(0).getParam("b").get(NDArrayIndex.all(), NDArrayIndex.interval(0, 100)).assign(-1000);
        DeadUnits after = DeadUnits.of(net, set);
        assertTrue(after.alive(0) <= 156 && after.alive(0) < before, before + " -> " + after.alive(0));
        assertEquals(1 - after.alive(0) / 256.0, after.layers().get(0).deadShare(), 1e-12);

        net.getLayer(0).getParam("b").assign(-1000);
        DeadUnits all = DeadUnits.of(net, set);
        assertEquals(0, all.alive(0));
        assertEquals(0, all.alive(1), "a layer fed only zeros by a dead layer answers nothing either (its biases start at 0)");
    }

    @Test
    void aNetworkWithoutDenseLayersOrAnEmptySetIsRefused() {
        var noDense = assertThrows(IllegalArgumentException.class, () -> DeadUnits.of(GalaxyModels.practice1(50), set));
        assertTrue(noDense.getMessage().contains("no dense layers"), noDense.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> DeadUnits.of(Models.mlp(4, 4, 1, 3),
                new ImageSet("empty", Nd4j.create(DataType.FLOAT, 0, 1, 4, 4), Nd4j.create(DataType.FLOAT, 0, 3), set.classes())));
        assertTrue(empty.getMessage().contains("no images"), empty.getMessage());
    }
}
