package convkit.display;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import tech.tablesaw.plotly.components.Figure;

/**
 * Shows tablesaw-jsplot {@link Figure}s inline and offline: plotly.js comes from the kit's own copy
 * (installed from the npm registry), embedded once per kernel session, never from a CDN.
 *
 * <pre>{@code
 * Plots.show(new Figure(layout, trace));
 * }</pre>
 */
public final class Plots {

    /** Environment variable (or system property {@code convkit.plotly}) naming plotly.min.js. */
    public static final String PLOTLY_VARIABLE = "CONVKIT_PLOTLY_JS";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile boolean plotlyEmbedded;

    private Plots() {
    }

    /** Shows a figure inline; returns its display id. */
    public static String show(Figure figure) {
        embedLibraryOnce();
        return Display.html(html(figure));
    }

    /** Replaces a shown figure (for curves that grow while training). */
    public static void update(String displayId, Figure figure) {
        embedLibraryOnce();
        Display.updateHtml(displayId, html(figure));
    }

    /**
     * In a notebook, plotly goes into an output of its own, once per kernel session: inside a figure's output it
     * would vanish from the saved notebook when that figure is {@link #update updated} (live training curves).
     */
    private static synchronized void embedLibraryOnce() {
        if (Display.inNotebook() && !plotlyEmbedded) {
            Display.html(plotlyLibrary());
            plotlyEmbedded = true;
        }
    }

    /**
     * The HTML of a figure: a div and a script that draws when plotly is ready; outside a notebook (a standalone
     * page) the plotly library too.
     */
    public static synchronized String html(Figure figure) {
        // tablesaw turns the id into a JavaScript variable name: letters, digits and underscores only
        String div = "convkit_plot_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        StringBuilder html = new StringBuilder();
        html.append("<div id=\"").append(div).append("\" class=\"convkit-plot\"></div>\n");
        if (!Display.inNotebook()) {
            html.append(plotlyLibrary());
        }
        String drawing = figure.asJavascript(div).trim();
        drawing = drawing.substring("<script>".length(), drawing.length() - "</script>".length());
        // Tablesaw declares page-global variables; a function keeps figures from overwriting each other.
        html.append("<script>(function draw(tries) {\n")
                .append("  if (!window.Plotly) {\n")
                .append("    if (tries < 200) { setTimeout(function () { draw(tries + 1); }, 50); }\n")
                .append("    else { document.getElementById('").append(div)
                .append("').textContent = 'plotly.js did not load: restart the kernel and run the cell again.'; }\n")
                .append("    return;\n  }\n")
                .append(drawing).append("\n})(0);</script>\n");
        return html.toString();
    }

    /**
     * Plotly wrapped so that classic Notebook's require.js does not capture it: with {@code define}
     * visible, plotly registers as an AMD module and {@code window.Plotly} stays undefined.
     */
    static String plotlyLibrary() {
        return "<script>window.__convkitDefine = window.define; window.define = undefined;</script>\n"
                + "<script>" + plotlySource() + "</script>\n"
                + "<script>window.define = window.__convkitDefine;</script>\n";
    }

    private static String plotlySource() {
        String configured = System.getProperty("convkit.plotly", System.getenv(PLOTLY_VARIABLE));
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(PLOTLY_VARIABLE + " is not set, so plots cannot be drawn offline."
                    + " Run 'make setup' (it installs plotly.js and the kernel that sets this variable).");
        }
        Path path = Path.of(configured);
        try {
            return Files.readString(path, StandardCharsets.UTF_8).replace("</script>", "<\\/script>");
        } catch (IOException e) {
            throw new UncheckedIOException(PLOTLY_VARIABLE + "=" + configured
                    + " cannot be read; run 'make setup' to install plotly.js again", e);
        }
    }
}
