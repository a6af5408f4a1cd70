package convkit.architectures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import convkit.data.ImageSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ResolutionTest {

    private static final ImageSet TWO_BY_TWO = new ImageSet("tiny", Nd4j.create(new float[] {1, 2, 3, 4}, 1, 1, 2, 2),
            Nd4j.create(new float[] {1, 0}, 1, 2), List.of("a", "b"));

    @Test
    void repeatsEachPixelAndCentresTheImageOnBlackWithTheOddPixelBottomRight() {
        ImageSet five = Resolution.of(TWO_BY_TWO, 5);
        assertArrayEquals(new int[] {5, 5, 1}, five.shape());   // height, width, channels
        float[][] expected = {
            {1, 1, 2, 2, 0},
            {1, 1, 2, 2, 0},
            {3, 3, 4, 4, 0},
            {3, 3, 4, 4, 0},
            {0, 0, 0, 0, 0}};
        for (int r = 0; r < 5; r++) {
            assertArrayEquals(expected[r], five.images().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(r)).toFloatVector(), 0f);
        }
        assertEquals(TWO_BY_TWO.labels(), five.labels());
    }

    @Test
    void neverShrinks() {
        var e = assertThrows(IllegalArgumentException.class, () -> Resolution.of(TWO_BY_TWO, 1));
        assertEquals("Resolution.of: tiny has 2x2 images, larger than 1x1: this only enlarges (give at least 2)", e.getMessage());
    }
}
