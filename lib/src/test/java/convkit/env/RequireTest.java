package convkit.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequireTest {

    @Test
    void nullIsNamedWithTheFix() {
        var e = assertThrows(IllegalArgumentException.class, () -> Require.notNull(null, "path", "give a file"));
        assertEquals("path was null: give a file", e.getMessage());
        assertEquals("x", Require.notNull("x", "path", "give a file"));
    }

    @Test
    void indexGivesTheValidRange() {
        assertEquals(2, Require.index(2, 3, "image(n)"));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Require.index(3, 3, "image(n)"));
        assertEquals("image(n): 3 is outside 0 to 2 (3 items; the first is 0, the last 2)", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Require.index(-1, 3, "image(n)"));
        var empty = assertThrows(IndexOutOfBoundsException.class, () -> Require.index(0, 0, "image(n)"));
        assertEquals("image(n): there is nothing to index (the set is empty)", empty.getMessage());
    }

    @Test
    void positiveNamesTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> Require.positive(0, "epochs"));
        assertEquals("epochs must be at least 1, not 0", e.getMessage());
        assertEquals(5, Require.positive(5, "epochs"));
    }
}
