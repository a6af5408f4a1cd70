package convkit.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    //                                  a  a  b  b  c  c  c
    private final int[] actual = {0, 0, 1, 1, 2, 2, 2};
    private final int[] predicted = {0, 1, 1, 1, 2, 0, 2};
    private final ConfusionMatrix m = ConfusionMatrix.of(actual, predicted, List.of("a", "b", "c"));

    @Test
    void countsEachTruePredictedPair() {
        assertEquals(1, m.count(0, 0));
        assertEquals(1, m.count(0, 1));
        assertEquals(2, m.count(1, 1));
        assertEquals(1, m.count(2, 0));
        assertEquals(2, m.count(2, 2));
        assertEquals(0, m.count(1, 0));
        assertEquals(7, m.total());
        assertEquals(5.0 / 7, m.accuracy(), 1e-12);
    }

    @Test
    void precisionAndRecallPerClass() {
        assertEquals(0.5, m.precision(0), 1e-12);      // predicted a: one a, one c
        assertEquals(0.5, m.recall(0), 1e-12);         // a: one of two found
        assertEquals(2.0 / 3, m.precision(1), 1e-12);  // predicted b: two b, one a
        assertEquals(1.0, m.recall(1), 1e-12);
        assertEquals(1.0, m.precision(2), 1e-12);
        assertEquals(2.0 / 3, m.recall(2), 1e-12);
        assertEquals(0.8, m.f1(1), 1e-12);
        assertEquals(3, m.support(2));
    }

    @Test
    void aClassNeverPredictedHasPrecisionZero() {
        ConfusionMatrix none = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, List.of("x", "y"));
        assertEquals(0, none.precision(1));
        assertEquals(0, none.recall(1));
    }

    @Test
    void badIndicesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {3}, new int[] {0}, List.of("x", "y")));
        assertEquals("example 0: class index 3 (true) or 0 (predicted) is outside 0..1 (2 classes)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, List.of("x", "y")));
    }
}
