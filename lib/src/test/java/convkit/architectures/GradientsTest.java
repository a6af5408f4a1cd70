package convkit.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.layers.ReceptiveField;
import convkit.layers.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;

class GradientsTest {

    @Test
    void threeStackedThreeByThreeConvolutionsReachSevenBySevenPixels() {
        Blocks b = Blocks.start("3 x 3x3", Shape.of(15, 15, 1));
        String x = b.input();
        for (int i = 1; i <= 3; i++) {
            x = b.conv("conv" + i, x, 4, 3, 1, 1, Activation.IDENTITY);
        }
        double[][] reach = Gradients.reach(b.end(x).build(), 15);
        assertEquals(ReceptiveField.ofStack(3, 3, 3).size(), Gradients.reachedSide(reach));
        assertEquals(0.0, reach[7][3], 0.0, "4 pixels left of the centre: outside");
        assertTrue(reach[7][4] > 0, "3 pixels left of the centre: inside");
    }

    @Test
    void trackRecordsOneNormPerStep() {
        var net = Architectures.deepStack(8, true, 8, 1, 2, 0.25).build();
        var norms = Gradients.track(net, "conv1");
        var x = Nd4j.rand(4, 1, 8, 8);
        var y = Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
        net.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
        net.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
        assertEquals(2, norms.values().length);
        assertTrue(norms.values()[0] > 0);
    }
}
