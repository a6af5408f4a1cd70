package convkit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageSetCountsTest {

    @Test
    void countsImagesPerClassInClassOrder() {
        ImageSet all = TinyData.rows("tiny", 10, 1);           // labels 0,1,2,0,1,2,0,1,2,0
        assertEquals(Map.of("top", 4, "middle", 3, "bottom", 3), all.classCounts());
        assertEquals(List.of("top", "middle", "bottom"), List.copyOf(all.classCounts().keySet()));
        assertEquals(Map.of("top", 2, "middle", 0, "bottom", 1), all.subset("some", new int[] {0, 3, 5}).classCounts(),
                "a class with no images is counted as 0");
        assertThrows(UnsupportedOperationException.class, () -> all.classCounts().put("top", 0));
    }

    @Test
    void aBalancedSampleHasTheSameCountForEveryClass() {
        ImageSet sample = TinyData.rows("tiny", 30, 1).balanced(4, 7);
        assertEquals(Map.of("top", 4, "middle", 4, "bottom", 4), sample.classCounts());
        var e = assertThrows(IllegalArgumentException.class, () -> TinyData.rows("tiny", 10, 1).balanced(4, 7));
        assertEquals("tiny: asked for 4 images per class but class middle has only 3", e.getMessage());
    }
}
