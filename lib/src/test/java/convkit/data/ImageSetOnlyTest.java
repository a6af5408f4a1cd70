package convkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSetOnlyTest {

    @Test
    void keepsTheNamedClassesRelabelledInTheGivenOrder() {
        ImageSet all = TinyData.rows("tiny", 9, 1);          // labels 0,1,2,0,1,2,...
        ImageSet picked = all.only("bottom", "top");
        assertEquals(List.of("bottom", "top"), picked.classes());
        assertEquals(6, picked.size());
        assertArrayEquals(new int[] {1, 0, 1, 0, 1, 0}, picked.labelIndices());
        assertEquals(all.image(2), picked.image(1), "image 2 (bottom) is the second kept");
    }

    @Test
    void anUnknownClassIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TinyData.rows("tiny", 9, 1).only("left"));
        assertTrue(e.getMessage().contains("no class 'left'") && e.getMessage().contains("[top, middle, bottom]"),
                e.getMessage());
    }
}
