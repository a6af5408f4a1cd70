package convkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShuffleTest {

    @Test
    void anOrderIsEveryIndexOnceAndTheSeedFixesIt() {
        int[] order = Shuffle.order(100, new Random(42));
        assertArrayEquals(IntStream.range(0, 100).toArray(), Arrays.stream(order).sorted().toArray());
        assertArrayEquals(order, Shuffle.order(100, new Random(42)));
        assertNotEquals(Arrays.toString(order), Arrays.toString(Shuffle.order(100, new Random(7))));
    }

    @Test
    void pickFirstDrawsDistinctValuesToTheFront() {
        int[] values = {10, 11, 12, 13, 14, 15};
        Shuffle.pickFirst(values, 3, new Random(1));
        assertEquals(3, Arrays.stream(values, 0, 3).distinct().count());
        assertArrayEquals(new int[] {10, 11, 12, 13, 14, 15}, Arrays.stream(values).sorted().toArray(), "nothing lost");
        var e = assertThrows(IllegalArgumentException.class, () -> Shuffle.pickFirst(values, 7, new Random(1)));
        assertEquals("cannot pick 7 of 6 values", e.getMessage());
    }
}
