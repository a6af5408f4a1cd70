package convkit.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConvMathTest {

    @Test
    void theSeedsWorkedExamples() {
        assertEquals(28, ConvMath.outputSize(32, 5, 1, 0));                       // 32x32x3, 5x5x3 filter
        assertEquals(Shape.of(28, 28, 1), ConvMath.conv(Shape.of(32, 32, 3), 1, 5, 1, 0));
        assertEquals(5, ConvMath.outputSize(7, 3, 1, 0));
        assertEquals(3, ConvMath.outputSize(7, 3, 2, 0));
        assertEquals(3, ConvMath.outputSize(5, 3, 1, 0));
        assertEquals(5, ConvMath.outputSize(5, 3, 1, 1));
        assertEquals(Shape.of(10, 10, 2), ConvMath.conv(Shape.of(10, 10, 3), 2, 4, Padding.SAME));
        assertEquals(Shape.of(28, 28, 32), ConvMath.conv(Shape.of(28, 28, 1), 32, 3, Padding.SAME));
        assertEquals(320, ConvMath.convParams(3, 3, 1, 32));
    }

    @Test
    void aStrideThatDoesNotFitIsAnErrorNamingTheFormulaAndTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvMath.outputSize(7, 3, 3, 0));
        assertTrue(e.getMessage().contains("(W - F + 2P)/S + 1 = (7 - 3 + 2*0)/3 + 1 = 2.33 is not an integer"), e.getMessage());
        assertTrue(e.getMessage().contains("choose a stride that divides 4 (1, 2, 4)"), e.getMessage());
    }

    @Test
    void aShapeErrorSaysWhichSide() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvMath.conv(Shape.of(7, 8, 1), 4, 3, 2, 0));
        assertTrue(e.getMessage().startsWith("width: "), e.getMessage());
    }

    @Test
    void badNumbersAreNamed() {
        assertEquals("input size must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> ConvMath.outputSize(0, 3, 1, 0)).getMessage());
        assertEquals("kernel size must be positive, got -3",
                assertThrows(IllegalArgumentException.class, () -> ConvMath.outputSize(7, -3, 1, 0)).getMessage());
        assertEquals("stride must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> ConvMath.outputSize(7, 3, 0, 0)).getMessage());
        assertEquals("padding must be 0 or more, got -1",
                assertThrows(IllegalArgumentException.class, () -> ConvMath.outputSize(7, 3, 1, -1)).getMessage());
        assertEquals("number of filters must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> ConvMath.conv(Shape.of(5, 5, 1), 0, 3, 1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(28, -1, 1));
    }

    @Test
    void aKernelLargerThanThePaddedInputIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvMath.outputSize(3, 5, 1, 0));
        assertTrue(e.getMessage().contains("kernel 5 is larger than the padded input 3 + 2*0 = 3"), e.getMessage());
        assertEquals(3, ConvMath.outputSize(3, 5, 1, 2));
        IllegalArgumentException dilated = assertThrows(IllegalArgumentException.class, () -> ConvMath.outputSize(4, 3, 1, 0, 2));
        assertTrue(dilated.getMessage().contains("5 (kernel 3 dilated by 2"), dilated.getMessage());
    }

    @Test
    void validDropsTheEdgeAndSamePadsIt() {
        assertThrows(IllegalArgumentException.class, () -> ConvMath.outputSize(7, 2, 2, Padding.STRICT));
        assertEquals(3, ConvMath.outputSize(7, 2, 2, Padding.VALID));
        assertEquals(1, ConvMath.dropped(7, 2, 2, 1));
        assertEquals(4, ConvMath.outputSize(7, 2, 2, Padding.SAME));
        assertEquals(1, ConvMath.samePadding(7, 2, 2, 1));
        assertEquals(2, ConvMath.samePadding(28, 3, 1, 1));     // one on each side keeps 28
        assertEquals(4, ConvMath.poolSize(8, 2, 2));
    }

    @Test
    void dilationWidensTheKernel() {
        assertEquals(5, ConvMath.effectiveKernel(3, 2));
        assertEquals(6, ConvMath.outputSize(10, 3, 1, 0, 2));
    }

    @Test
    void parameterCounts() {
        assertEquals(9248, ConvMath.convParams(3, 3, 32, 32));
        assertEquals(288, ConvMath.convParams(3, 3, 32, 1, false));
        assertEquals(200_960, ConvMath.denseParams(784, 256));
        assertEquals(128, ConvMath.batchNormParams(32));
        assertEquals((9 + 1) * 32, ConvMath.depthwiseParams(3, 3, 32, 1));
        assertEquals(9 * 32 + 32 * 64 + 64, ConvMath.separableParams(3, 3, 32, 1, 64));
    }

    @Test
    void threeThreeByThreeConvsSeeAsMuchAsOneSevenBySeven() {
        assertEquals(7, ReceptiveField.ofStack(3, 3, 3).size());
        assertEquals(7, ReceptiveField.ofStack(7).size());
        ReceptiveField field = ReceptiveField.PIXEL.then(3, 1).then(2, 2).then(3, 1);
        assertEquals(8, field.size());
        assertEquals(2, field.jump());
        assertEquals(5, ReceptiveField.PIXEL.then(3, 1, 2).size());
    }
}
