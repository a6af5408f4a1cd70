package convkit.galaxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class GalaxyModelsTest {

    @Test
    void parameterCountsAreTheSeedsKerasCounts() {
        assertEquals(140_707, GalaxyModels.practice1(50).numParams());
        assertEquals(173_731, GalaxyModels.practice2(50).numParams());
        assertEquals(321_827, GalaxyModels.practice3(50).numParams());
        assertEquals(17_572_099, GalaxyModels.practice4(50, 1).numParams());
        assertEquals(17_578_435, GalaxyModels.practice5(50, 1).numParams());
    }

    @Test
    void theVgg16HeadAt224HasTheSeedsAllTrainableCount() {
        // 224 -> 7x7x512 = 25,088 inputs to Dense 4096: the seed's 127,971,139 parameters. Counted from the
        // configuration, so no 500 MB network is allocated.
        long base = 0;
        int in = 3;
        for (int filters : new int[] {64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512}) {
            base += 9L * in * filters + filters;
            in = filters;
        }
        long head = (25_088L * 4096 + 4096) + (4096L * 2048 + 2048) + (2048L * 1024 + 1024) + (1024L * 3 + 3);
        assertEquals(127_971_139, base + head);
        assertEquals(base + (512L * 4096 + 4096) + (4096L * 2048 + 2048) + (2048L * 1024 + 1024) + (1024L * 3 + 3),
                GalaxyModels.vgg16Transfer(50, 1).numParams(), "at 50x50 the base ends at 1x1x512");
    }

    @Test
    void tutorialModelAndReducedWidthsProduceThreeProbabilities() {
        var out = GalaxyModels.tutorial(50).output(Nd4j.rand(2, 3, 50, 50));
        assertArrayEquals(new long[] {2, 3}, out.shape());
        assertEquals(2.0, out.sumNumber().doubleValue(), 1e-4);
        assertArrayEquals(new long[] {1, 3}, GalaxyModels.practice5(50, 8).output(Nd4j.rand(1, 3, 50, 50)).shape());
    }
}
