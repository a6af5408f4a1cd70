package convkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FiltersTest {

    private static final double[][] GRID = {
        {1, 1, 1, 0, 0},
        {0, 1, 1, 1, 0},
        {0, 0, 1, 1, 1},
        {0, 0, 1, 1, 0},
        {0, 1, 1, 0, 0}};
    private static final double[][] X_KERNEL = {{1, 0, 1}, {0, 1, 0}, {1, 0, 1}};

    @Test
    void dl4jsConvolutionLayerIsMultiplyAndSum() {
        INDArray maps = Filters.apply(Nd4j.create(GRID), X_KERNEL);
        assertArrayEquals(new long[] {1, 3, 3}, maps.shape());
        double[][] byHand = {{4, 3, 4}, {2, 4, 3}, {2, 3, 4}};    // the classic 5x5 / 3x3 example
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(byHand[i][j], maps.getDouble(0, i, j), 1e-6);
            }
        }
    }

    @Test
    void strideAndPaddingChangeTheSize() {
        INDArray image = Nd4j.rand(1, 7, 7);
        assertArrayEquals(new long[] {2, 3, 3}, Filters.apply(image, 2, 0, Filters.blur(), Filters.outline()).shape());
        assertArrayEquals(new long[] {1, 7, 7}, Filters.apply(image, 1, 1, Filters.identity()).shape());
        assertEquals(image.getDouble(0, 3, 4), Filters.apply(image, 1, 1, Filters.identity()).getDouble(0, 3, 4), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filters.apply(image, 3, 0, Filters.blur()));
        assertTrue(e.getMessage().contains("(7 - 3 + 2*0)/3 + 1 = 2.33 is not an integer"), e.getMessage());
    }

    @Test
    void aFlatAreaVanishesUnderOutlineAndStaysUnderBlur() {
        INDArray flat = Nd4j.ones(1, 5, 5).muli(0.5);
        INDArray maps = Filters.apply(flat, Filters.outline(), Filters.blur(), Filters.sharpen());
        assertEquals(0, maps.getDouble(0, 1, 1), 1e-6);
        assertEquals(0.5, maps.getDouble(1, 1, 1), 1e-6);
        assertEquals(0.5, maps.getDouble(2, 1, 1), 1e-6);
    }

    @Test
    void reluRemovesNegativesOnly() {
        INDArray x = Nd4j.create(new double[] {-2, -0.5, 0, 0.5, 2});
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 2}, Filters.relu(x).toDoubleVector(), 1e-9);
        assertEquals(-2, x.getDouble(0), 1e-9);
    }

    @Test
    void kernelsOfDifferentSizesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Filters.apply(Nd4j.rand(1, 5, 5), Filters.blur(), new double[][] {{1, 0}, {0, 1}}));
        assertTrue(e.getMessage().contains("kernel 1 is not 3x3"), e.getMessage());
    }

    @Test
    void poolingTakesTheMaxOrTheMeanOfEachWindow() {
        double[][] grid = {{1, 3, 2, 1}, {4, 6, 5, 0}, {3, 1, 1, 2}, {0, 2, 7, 8}};
        INDArray max = Pooling.max(Nd4j.create(grid), 2);
        assertArrayEquals(new double[][] {{6, 5}, {3, 8}}, max.toDoubleMatrix());
        INDArray mean = Pooling.average(Nd4j.create(grid), 2);
        assertArrayEquals(new double[][] {{3.5, 2}, {1.5, 4.5}}, mean.toDoubleMatrix());
    }

    @Test
    void validDropsTheEdgeSamePadsItStrictRefuses() {
        INDArray seven = Nd4j.rand(3, 7, 7);
        assertArrayEquals(new long[] {3, 3, 3}, Pooling.max(seven, 2).shape());
        assertArrayEquals(new long[] {3, 4, 4}, Pooling.max(seven, 2, 2, Padding.SAME).shape());
        assertThrows(IllegalArgumentException.class, () -> Pooling.max(seven, 2, 2, Padding.STRICT));
        assertThrows(IllegalArgumentException.class, () -> Pooling.max(Nd4j.rand(2, 2), 3));
        INDArray edgeMeans = Pooling.average(Nd4j.ones(3, 3), 2, 2, Padding.SAME);
        assertArrayEquals(new double[][] {{1, 1}, {1, 1}}, edgeMeans.toDoubleMatrix(), "padding is not averaged in");
    }
}
