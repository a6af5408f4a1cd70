package convkit.report;

import convkit.display.Display;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks a lesson makes on its own computed values: a passing check shows a green tick, a failing one
 * stops the notebook with a message naming what was expected and what came out.
 *
 * <pre>{@code
 * Check.equal("output width of 7x7 with 3x3, stride 2", 3, width);
 * Check.equal("hand-computed convolution vs DL4J", expected, actual, 1e-5);
 * Check.that("accuracy above 95%", accuracy > 0.95);
 * Check.fails("7x7 input, 3x3 filter, stride 3", () -> ConvMath.outputSize(7, 3, 3, 0));
 * Check.answer("Exercise 1", 320, myAnswer);          // null: not answered yet, no failure
 * }</pre>
 */
public final class Check {

    private Check() {
    }

    /** Thrown when a lesson's own check fails. */
    public static final class Failed extends AssertionError {
        public Failed(String message) {
            super(message);
        }
    }

    /** Checks two values are equal ({@link Objects#equals}). */
    public static void equal(String what, Object expected, Object actual) {
        if (expected instanceof Number e && actual instanceof Number a && !(e instanceof Double || e instanceof Float)
                && !(a instanceof Double || a instanceof Float)) {
            pass(what, e.longValue() == a.longValue(), String.valueOf(e), String.valueOf(a));
            return;
        }
        pass(what, Objects.equals(expected, actual), String.valueOf(expected), String.valueOf(actual));
    }

    /** Checks two numbers agree within {@code tolerance}. */
    public static void equal(String what, double expected, double actual, double tolerance) {
        pass(what, Math.abs(expected - actual) <= tolerance,
                fmt(expected), fmt(actual) + " (tolerance " + fmt(tolerance) + ")");
    }

    /** Checks a condition. */
    public static void that(String what, boolean condition) {
        if (!condition) {
            throw new Failed("Check failed: " + what);
        }
        ok(what);
    }

    /**
     * Checks that {@code action} is refused with an {@link IllegalArgumentException} or {@link IllegalStateException}
     * (bad input a lesson shows on purpose) and returns the message, shown under the tick.
     */
    public static String fails(String what, Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            ok(what + ": refused: " + e.getMessage());
            return e.getMessage();
        }
        throw new Failed("Check failed: " + what + ": expected an error, but it ran without one");
    }

    /**
     * Checks a learner's answer to an exercise: a null answer (not attempted yet) only shows a reminder,
     * a wrong one fails like {@link #equal}, a right one gets a tick.
     */
    public static void answer(String exercise, Object expected, Object answer) {
        if (answer == null) {
            String text = exercise + ": not answered yet; put your answer in the variable above and run the cell again";
            if (Display.inNotebook()) {
                Display.html("<div style=\"font-family:monospace;color:#b36b00\">&#9998; " + Display.escape(text) + "</div>");
            } else {
                Display.text(text);
            }
            return;
        }
        equal(exercise, expected, answer);
    }

    private static void pass(String what, boolean ok, String expected, String actual) {
        if (!ok) {
            throw new Failed("Check failed: " + what + ": expected " + expected + " but got " + actual);
        }
        ok(what + " = " + expected);
    }

    private static void ok(String text) {
        if (Display.inNotebook()) {
            Display.html("<div style=\"font-family:monospace;color:#080\">&#10004; " + Display.escape(text) + "</div>");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.6g", d);
    }
}
