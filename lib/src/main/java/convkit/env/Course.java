package convkit.env;

import convkit.display.Display;

/**
 * The one line every lesson starts with: checks the mode, starts ND4J and says what it runs on.
 *
 * <pre>{@code
 * Course.start();   // ConvKit: quick mode · CPU (nd4j-native) on ..., 2 threads, ...
 * }</pre>
 */
public final class Course {

    private Course() {
    }

    /** Starts the lesson: validates {@code CONVKIT_MODE}, loads the backend, prints one line about both. */
    public static void start() {
        Mode mode = Mode.current();
        Backend backend = Backend.current();
        String line = "ConvKit: " + mode.label() + " mode (CONVKIT_MODE) | " + backend.summary();
        if (Display.inNotebook()) {
            Display.html("<div style=\"font-family:monospace\">" + Display.escape(line) + "</div>");
        } else {
            Display.text(line);
        }
    }
}
