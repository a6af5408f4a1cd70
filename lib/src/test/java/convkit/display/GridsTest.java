package convkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GridsTest {

    @Test
    void aWindowIsHighlightedWithItsKernelWeights() {
        String html = Grids.html(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[][] {{1, -1}}, 1, 1, 1, 2, 0);
        assertEquals(2, html.split("#ffe58f", -1).length - 1);
        assertTrue(html.contains("5<sub style=\"color:#a0522d\">&times;1</sub>"), html);
        assertTrue(html.contains("6<sub style=\"color:#a0522d\">&times;-1</sub>"), html);
    }

    @Test
    void numbersAreShort() {
        assertEquals("4", Grids.num(4.0));
        assertEquals("0.25", Grids.num(0.25));
        assertEquals("0.33", Grids.num(1 / 3.0));
        assertEquals("-1.5", Grids.num(-1.5));
    }

    @Test
    void stepsThatDoNotFitAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Grids.pooling(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, 2, 2, true));
        assertTrue(e.getMessage().contains("(3 - 2)/2 + 1 must be a whole number"), e.getMessage());
    }
}
