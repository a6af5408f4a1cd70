package convkit.display;

import java.util.List;
import java.util.Map;

/**
 * Small HTML tables for lessons: name/value pairs or rows under a header.
 *
 * <pre>{@code
 * Tables.show("Backend", Map.of("threads", "2"));
 * Tables.show("Models", List.of("model", "params"), List.of(List.of("MLP", "269,322"), List.of("CNN", "887,530")));
 * }</pre>
 */
public final class Tables {

    private Tables() {
    }

    /** Shows name/value pairs in their iteration order. */
    public static void show(String title, Map<String, ?> pairs) {
        Display.html(html(title, List.of("", ""), pairs.entrySet().stream()
                .map(e -> List.<Object>of(e.getKey(), String.valueOf(e.getValue()))).toList()));
        if (!Display.inNotebook()) {
            pairs.forEach((k, v) -> Display.text(k + ": " + v));
        }
    }

    /** Shows rows under a header. */
    public static void show(String title, List<String> header, List<? extends List<?>> rows) {
        Display.html(html(title, header, rows));
        if (!Display.inNotebook()) {
            Display.text(title + "\n" + String.join(" | ", header));
            rows.forEach(r -> Display.text(String.join(" | ", r.stream().map(String::valueOf).toList())));
        }
    }

    /** The HTML of {@link #show(String, List, List)}; a header of blank names is left out. */
    public static String html(String title, List<String> header, List<? extends List<?>> rows) {
        StringBuilder html = new StringBuilder("<table class=\"convkit-table\">");
        if (title != null && !title.isBlank()) {
            html.append("<caption style=\"font-weight:bold;text-align:left\">").append(Display.escape(title)).append("</caption>");
        }
        if (header.stream().anyMatch(h -> !h.isBlank())) {
            html.append("<tr>");
            header.forEach(h -> html.append("<th style=\"text-align:left\">").append(Display.escape(h)).append("</th>"));
            html.append("</tr>");
        }
        for (List<?> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells but the header has " + header.size());
            }
            html.append("<tr>");
            row.forEach(c -> html.append("<td style=\"text-align:left\">").append(Display.escape(String.valueOf(c))).append("</td>"));
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }
}
