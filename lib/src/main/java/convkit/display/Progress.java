package convkit.display;

import java.util.Locale;

/**
 * A progress display that updates in place (a bar and a line of text), throttled so a fast loop
 * does not flood the notebook; its last state stays in the saved notebook.
 *
 * <pre>{@code
 * Progress p = Progress.start("Downloading MNIST");
 * p.update(0.5, "23 of 46 MB");
 * p.log("file 1 of 2 done");           // a line that stays under the bar
 * p.finish("46 MB, checksum ok");
 * }</pre>
 */
public final class Progress {

    private static final long MIN_INTERVAL_NANOS = 250_000_000L;

    private final String title;
    private final String id;
    private final StringBuilder log = new StringBuilder();
    private String status = "starting";
    private double fraction;
    private long lastShown;

    private Progress(String title) {
        this.title = title;
        this.id = Display.html(render(0, status, false));
        this.lastShown = System.nanoTime();
    }

    /** Shows a new progress display. */
    public static Progress start(String title) {
        return new Progress(title);
    }

    /** Moves the bar to {@code fraction} (0 to 1) with a status line; skipped if the last update was under 0.25 s ago. */
    public void update(double fraction, String status) {
        this.fraction = fraction;
        this.status = status;
        long now = System.nanoTime();
        if (now - lastShown < MIN_INTERVAL_NANOS) {
            return;
        }
        lastShown = now;
        Display.updateHtml(id, render(fraction, status, false));
    }

    /** Adds a line under the bar that stays there (for example one line per finished epoch); shown at once. */
    public void log(String line) {
        log.append(Display.escape(line)).append('\n');
        if (Display.inNotebook()) {
            Display.updateHtml(id, render(fraction, status, false));
            lastShown = System.nanoTime();
        } else {
            Display.text(line);
        }
    }

    /** Shows the final state, always. */
    public void finish(String status) {
        Display.updateHtml(id, render(1, status, true));
        if (!Display.inNotebook()) {
            Display.text(title + ": " + status);
        }
    }

    private String render(double fraction, String status, boolean done) {
        double clamped = Math.max(0, Math.min(1, fraction));
        return String.format(Locale.ROOT,
                "<div class=\"convkit-progress\" style=\"font-family:monospace\"><b>%s</b> "
                        + "<progress value=\"%.4f\" max=\"1\" style=\"width:240px\"></progress> %s%s</div>",
                Display.escape(title), clamped, done ? "" : String.format(Locale.ROOT, "%.0f%% ", 100 * clamped),
                Display.escape(status))
                + (log.length() == 0 ? "" : "<pre class=\"convkit-progress-log\" style=\"margin:2px 0\">" + log + "</pre>");
    }
}
