package convkit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CheckTest {

    @Test
    void failsReturnsTheMessageOfTheRefusal() {
        assertEquals("stride must be positive, got 0", Check.fails("stride 0", () -> {
            throw new IllegalArgumentException("stride must be positive, got 0");
        }));
        Check.Failed e = assertThrows(Check.Failed.class, () -> Check.fails("a valid size", () -> { }));
        assertEquals("Check failed: a valid size: expected an error, but it ran without one", e.getMessage());
    }

    @Test
    void anUnansweredExerciseIsNotAFailureButAWrongAnswerIs() {
        Check.answer("Exercise 1", 320, null);
        Check.answer("Exercise 1", 320, 320);
        Check.Failed e = assertThrows(Check.Failed.class, () -> Check.answer("Exercise 1", 320, 288));
        assertEquals("Check failed: Exercise 1: expected 320 but got 288", e.getMessage());
    }
}
