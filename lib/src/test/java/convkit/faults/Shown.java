package convkit.faults;

import convkit.display.Display;
import java.util.ArrayList;
import java.util.List;

/** Catches what the library shows a learner (its {@link Display} text), so a test can assert the message. */
public final class Shown implements AutoCloseable {

    private final List<String> texts = new ArrayList<>();

    private Shown() {
    }

    /** Starts catching; {@link #close()} gives the output back to the console. */
    public static Shown catching() {
        Shown shown = new Shown();
        Display.connect(new Display.Sink() {
            @Override
            public String display(String mime, String content) {
                if (mime.equals("text/plain")) {
                    shown.texts.add(content);
                }
                return "out" + shown.texts.size();
            }

            @Override
            public void update(String id, String mime, String content) {
                display(mime, content);
            }
        });
        return shown;
    }

    /** Everything shown so far, one text per line. */
    public String text() {
        return String.join("\n", texts);
    }

    @Override
    public void close() {
        Display.connect(null);
    }
}
