package convkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    /** Feeds the values until the stopper asks to stop; returns that epoch (0 if it never does). */
    private static int stopEpoch(EarlyStopping stopper, double... values) {
        for (int e = 1; e <= values.length; e++) {
            if (stopper.observe(e, values[e - 1])) {
                return e;
            }
        }
        return 0;
    }

    @Test
    void lossStopsAfterPatienceEpochsWithoutImprovement() {
        EarlyStopping stopper = EarlyStopping.on("val_loss", 3);
        assertEquals(5, stopEpoch(stopper, 1.0, 0.8, 0.9, 0.85, 0.95, 0.7));
        assertEquals(2, stopper.bestEpoch());
        assertEquals(0.8, stopper.best());
        assertEquals(5, stopper.stoppedEpoch());
    }

    @Test
    void anImprovementResetsThePatience() {
        EarlyStopping stopper = EarlyStopping.on("val_loss", 2);
        assertEquals(0, stopEpoch(stopper, 1.0, 1.1, 0.9, 1.0, 0.8));
        assertEquals(5, stopper.bestEpoch());
    }

    @Test
    void accuracyMustRiseAndKerasNamesAreAccepted() {
        EarlyStopping stopper = EarlyStopping.on("val_acc", 2);
        assertTrue(stopper.monitor().higherIsBetter());
        assertEquals(4, stopEpoch(stopper, 0.90, 0.95, 0.95, 0.94, 0.99));
        assertEquals(2, stopper.bestEpoch());
    }

    @Test
    void badSettingsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> EarlyStopping.on("val_los", 3));
        assertTrue(e.getMessage().contains("val_los") && e.getMessage().contains("val_loss"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.on("loss", 0));
    }
}
