package convkit.report;

import convkit.display.Display;
import convkit.env.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Records the figures a lesson computes for the reproduction report, next to the seed's figure
 * where the lesson quotes one. Each call also shows the comparison in the notebook. The sizes of a run depend on
 * its mode, so every figure's name ends with the mode it was computed in, added here.
 *
 * <pre>{@code
 * Report.accuracy("Seed CNN, test accuracy", 0.9931, "99.27%");   // "Seed CNN, test accuracy (quick mode): 99.31%"
 * Report.record("Parameters of Conv2D(32,(3,3)) on 28x28x1", 320, "320");
 * }</pre>
 * The course runner sets {@code CONVKIT_REPORT_FILE}; without it nothing is written.
 */
public final class Report {

    /** Environment variable (or system property {@code convkit.report}) naming the JSON-lines file to append to. */
    public static final String FILE_VARIABLE = "CONVKIT_REPORT_FILE";

    private Report() {
    }

    /** Records a figure with no seed counterpart. */
    public static void record(String name, Object value) {
        record(name, value, null);
    }

    /** Records a figure next to the seed's value (a string as the seed wrote it, or null). */
    public static void record(String name, Object value, String seed) {
        name = name + " (" + Mode.current().label() + " mode)";
        String kit = format(value);
        String line = name + ": " + kit + (seed == null ? "" : "   (seed: " + seed + ")");
        Display.html("<div class=\"convkit-figure\" style=\"font-family:monospace\">&#9632; <b>"
                + Display.escape(name) + "</b>: " + Display.escape(kit)
                + (seed == null ? "" : " <span style=\"color:#666\">(seed: " + Display.escape(seed) + ")</span>")
                + "</div>");
        if (!Display.inNotebook()) {
            Display.text(line);
        }
        append(name, kit, seed);
    }

    /** Records an accuracy given as a fraction (0.9931), shown as a percentage (99.31%). */
    public static void accuracy(String name, double fraction, String seed) {
        record(name, percent(fraction), seed);
    }

    /** A fraction as a percentage with two decimals: 0.99312 -> "99.31%". */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    static String format(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(value);
    }

    private static void append(String name, String kit, String seed) {
        String file = System.getProperty("convkit.report", System.getenv(FILE_VARIABLE));
        if (file == null || file.isBlank()) {
            return;
        }
        String json = "{\"name\":" + quote(name) + ",\"value\":" + quote(kit)
                + ",\"seed\":" + (seed == null ? "null" : quote(seed)) + "}\n";
        try {
            Path path = Path.of(file);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, json, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the report file " + file + " (" + FILE_VARIABLE + ")", e);
        }
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
