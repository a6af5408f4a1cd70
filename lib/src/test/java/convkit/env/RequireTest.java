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

    @Test
    void productsAreExactOrNamedAsTooLarge() {
        assertEquals(100_000_000_000L, Require.product("weights", 10, 100_000, 100_000));
        var e = assertThrows(IllegalArgumentException.class, () -> Require.product("weights", Long.MAX_VALUE, 2));
        assertEquals("weights = 9223372036854775807 * 2 is larger than 9,223,372,036,854,775,807 (Java's largest long): "
                + "the sizes are far too large; check them", e.getMessage());
    }

    @Test
    void fitsIntSaysHowFarOverItIs() {
        assertEquals(7, Require.fitsInt(7, "a side", "use smaller sizes"));
        var e = assertThrows(IllegalArgumentException.class, () -> Require.fitsInt(3_000_000_000L, "a side", "use smaller sizes"));
        assertEquals("a side is 3,000,000,000, larger than 2,147,483,647 (the most a Java array or int can hold): use smaller "
                + "sizes", e.getMessage());
    }
}
