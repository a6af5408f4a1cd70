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
    }

    @Test
    void pickChoosesByMode() {
        assertEquals(2, Mode.QUICK.pick(2, 12));
        assertEquals(12, Mode.FULL.pick(2, 12));
    }

    @Test
    void unknownModeListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parse("fast"));
        assertTrue(e.getMessage().startsWith("CONVKIT_MODE=fast is not a mode: use quick"), e.getMessage());
    }
}
