package convkit.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModeTest {

    @Test
    void blankIsQuick() {
        assertEquals(Mode.QUICK, Mode.parse(null));
        assertEquals(Mode.QUICK, Mode.parse("  "));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertEquals(Mode.FULL, Mode.parse("Full"));
        assertEquals(Mode.QUICK, Mode.parse("quick"));
        assertEquals(Mode.TEST, Mode.parse("TEST"));
    }

    @Test
    void pickChoosesByMode() {
        assertEquals(2, Mode.QUICK.pick(2, 12));
        assertEquals(12, Mode.FULL.pick(2, 12));
        assertEquals(2, Mode.TEST.pick(2, 12));
    }

    @Test
    void testModeHasItsOwnSizeWhereGiven() {
        assertEquals(1, Mode.TEST.pick(1, 2, 12));
        assertEquals(2, Mode.QUICK.pick(1, 2, 12));
        assertEquals(12, Mode.FULL.pick(1, 2, 12));
        assertTrue(Mode.TEST.isQuick());
    }

    @Test
    void unknownModeListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parse("fast"));
        assertTrue(e.getMessage().startsWith("CONVKIT_MODE=fast is not a mode: use quick"), e.getMessage());
    }
}
