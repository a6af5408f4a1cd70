package convkit.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Small grids of numbers drawn as tables, and the steps of a convolution or a pooling over them: the window
 * highlighted on the input, the arithmetic written out, the output filling in.
 *
 * <pre>{@code
 * Grids.show("input", x);                      // a double[][] with its numbers
 * Grids.convolution(x, kernel, 1, 0);          // every step of a 3x3 kernel sliding over x
 * Grids.pooling(x, 2, 2, true);                // every 2x2 max-pooling window
 * }</pre>
 */
public final class Grids {

    private static final String WINDOW = "#ffe58f";
    private static final String CURRENT = "#95de64";
    private static final String PAD = "#f0f0f0";

    private Grids() {
    }

    /** Shows one grid of numbers with a title. */
    public static void show(String title, double[][] values) {
        Display.html(captioned(title, html(values, null, -1, -1, 0, 0, 0)));
        if (!Display.inNotebook()) {
            Display.text(title + "\n" + text(values));
        }
    }

    /** Shows a 2D array (or a [1, h, w] / [1, 1, h, w] one) as a grid of numbers. */
    public static void show(String title, INDArray values) {
        show(title, matrix(values));
    }

    /** Shows several grids side by side, each with its title. */
    public static void row(List<String> titles, List<double[][]> grids) {
        if (titles.size() != grids.size()) {
            throw new IllegalArgumentException(grids.size() + " grids but " + titles.size() + " titles");
        }
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < grids.size(); i++) {
            cells.add(captioned(titles.get(i), html(grids.get(i), null, -1, -1, 0, 0, 0)));
        }
        Display.html(table(cells, cells.size()));
        if (!Display.inNotebook()) {
            for (int i = 0; i < grids.size(); i++) {
                Display.text(titles.get(i) + "\n" + text(grids.get(i)));
            }
        }
    }

    /**
     * Shows every step of a convolution (cross-correlation, as in deep learning): the kernel's window on the
     * zero-padded input, each product written out, their sum, and where it lands in the output.
     */
    public static void convolution(double[][] input, double[][] kernel, int stride, int padding) {
        double[][] padded = pad(input, padding);
        int kh = kernel.length;
        int kw = kernel[0].length;
        double[][] out = new double[steps(padded.length, kh, stride)][steps(padded[0].length, kw, stride)];
        boolean[][] done = new boolean[out.length][out[0].length];
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[0].length; j++) {
                StringJoiner sum = new StringJoiner(" +<br/>");
                double total = 0;
                for (int a = 0; a < kh; a++) {
                    StringJoiner line = new StringJoiner(" + ");
                    for (int b = 0; b < kw; b++) {
                        double v = padded[i * stride + a][j * stride + b];
                        total += v * kernel[a][b];
                        line.add(num(v) + "&times;" + num(kernel[a][b]));
                    }
                    sum.add(line.toString());
                }
                out[i][j] = total;
                done[i][j] = true;
                cells.add(step(padded, kernel, padding, i * stride, j * stride, kh, kw,
                        sum + " = <b>" + num(total) + "</b>", out, done, i, j));
            }
        }
        Display.html(table(abridged(cells), columns(padded[0].length + out[0].length, out[0].length)));
        if (!Display.inNotebook()) {
            Display.text("convolution output\n" + text(out));
        }
    }

    /** Shows every window of a max (or average) pooling: the window, its max (or mean), the output filling in. */
    public static void pooling(double[][] input, int size, int stride, boolean max) {
        double[][] out = new double[steps(input.length, size, stride)][steps(input[0].length, size, stride)];
        boolean[][] done = new boolean[out.length][out[0].length];
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[0].length; j++) {
                StringJoiner values = new StringJoiner(", ");
                double best = Double.NEGATIVE_INFINITY;
                double sum = 0;
                for (int a = 0; a < size; a++) {
                    for (int b = 0; b < size; b++) {
                        double v = input[i * stride + a][j * stride + b];
                        values.add(num(v));
                        best = Math.max(best, v);
                        sum += v;
                    }
                }
                out[i][j] = max ? best : sum / (size * size);
                done[i][j] = true;
                String formula = (max ? "max(" : "mean(") + values + ") = <b>" + num(out[i][j]) + "</b>";
                cells.add(step(input, null, 0, i * stride, j * stride, size, size, formula, out, done, i, j));
            }
        }
        Display.html(table(abridged(cells), columns(input[0].length + out[0].length, out[0].length)));
        if (!Display.inNotebook()) {
            Display.text((max ? "max" : "average") + " pooling output\n" + text(out));
        }
    }

    /** The HTML of one grid; a window (top, left, height x width) is highlighted, with kernel weights if given. */
    public static String html(double[][] values, double[][] kernel, int top, int left, int height, int width, int padding) {
        StringBuilder html = new StringBuilder("<table class=\"convkit-numbers\" style=\"border-collapse:collapse;"
                + "font-family:monospace;font-size:12px;margin:2px\">");
        for (int r = 0; r < values.length; r++) {
            html.append("<tr>");
            for (int c = 0; c < values[r].length; c++) {
                boolean inWindow = r >= top && r < top + height && c >= left && c < left + width;
                boolean isPad = r < padding || c < padding || r >= values.length - padding || c >= values[r].length - padding;
                String background = inWindow ? WINDOW : isPad ? PAD : "#fff";
                html.append("<td style=\"border:1px solid #999;min-width:26px;height:22px;padding:1px 3px;"
                        + "text-align:center;background:").append(background).append(isPad ? ";color:#999" : "").append("\">")
                        .append(num(values[r][c]));
                if (inWindow && kernel != null) {
                    html.append("<sub style=\"color:#a0522d\">&times;").append(num(kernel[r - top][c - left])).append("</sub>");
                }
                html.append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }

    private static String step(double[][] input, double[][] kernel, int padding, int top, int left, int h, int w,
                               String formula, double[][] out, boolean[][] done, int i, int j) {
        StringBuilder outHtml = new StringBuilder("<table style=\"border-collapse:collapse;font-family:monospace;font-size:12px;margin:2px\">");
        for (int r = 0; r < out.length; r++) {
            outHtml.append("<tr>");
            for (int c = 0; c < out[0].length; c++) {
                String bg = r == i && c == j ? CURRENT : "#fff";
                outHtml.append("<td style=\"border:1px solid #999;min-width:26px;height:22px;text-align:center;background:")
                        .append(bg).append("\">").append(done[r][c] ? num(out[r][c]) : "").append("</td>");
            }
            outHtml.append("</tr>");
        }
        outHtml.append("</table>");
        return "<div style=\"font-family:monospace;font-size:11px\"><b>output[" + i + "][" + j + "]</b></div>"
                + "<div style=\"display:flex;gap:10px;align-items:center\">" + html(input, kernel, top, left, h, w, padding)
                + "<span>&rarr;</span>" + outHtml + "</div>"
                + "<div style=\"font-family:monospace;font-size:11px;max-width:320px\">" + formula + "</div>";
    }

    /** Up to 9 steps are all shown; more would bury the idea, so then the first three and the last. */
    private static List<String> abridged(List<String> cells) {
        if (cells.size() <= 9) {
            return cells;
        }
        List<String> shown = new ArrayList<>(cells.subList(0, 3));
        shown.add("<div style=\"font-family:monospace;font-size:12px;padding:40px 20px\">&hellip; "
                + (cells.size() - 4) + " more steps, the same way &hellip;</div>");
        shown.add(cells.get(cells.size() - 1));
        return shown;
    }

    /** As many steps per row as fit in about 1000 pixels (each grid cell is about 30 pixels wide). */
    private static int columns(int cellsAcross, int outputColumns) {
        return Math.max(1, Math.min(Math.min(outputColumns, 4), 1000 / (30 * cellsAcross + 60)));
    }

    private static String captioned(String title, String body) {
        return "<div style=\"display:inline-block;vertical-align:top;margin-right:16px\">"
                + "<div style=\"font-family:monospace;font-size:12px;font-weight:bold\">" + Display.escape(title) + "</div>"
                + body + "</div>";
    }

    private static String table(List<String> cells, int columns) {
        StringBuilder html = new StringBuilder("<table class=\"convkit-steps\" style=\"border-collapse:collapse\">");
        for (int i = 0; i < cells.size(); i++) {
            if (i % columns == 0) {
                html.append(i == 0 ? "<tr>" : "</tr><tr>");
            }
            html.append("<td style=\"vertical-align:top;padding:6px;border:1px dotted #ccc\">").append(cells.get(i)).append("</td>");
        }
        return html.append("</tr></table>").toString();
    }

    private static double[][] pad(double[][] input, int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be 0 or more, got " + padding);
        }
        double[][] out = new double[input.length + 2 * padding][input[0].length + 2 * padding];
        for (int r = 0; r < input.length; r++) {
            System.arraycopy(input[r], 0, out[r + padding], padding, input[r].length);
        }
        return out;
    }

    private static int steps(int input, int window, int stride) {
        if (stride <= 0 || window <= 0 || window > input || (input - window) % stride != 0) {
            throw new IllegalArgumentException("a " + window + "-wide window with stride " + stride + " does not step evenly over "
                    + input + " values: (" + input + " - " + window + ")/" + stride + " + 1 must be a whole number"
                    + " (see ConvMath.outputSize)");
        }
        return (input - window) / stride + 1;
    }

    private static double[][] matrix(INDArray values) {
        INDArray a = values;
        while (a.rank() > 2 && a.size(0) == 1) {
            a = a.reshape(java.util.Arrays.copyOfRange(a.shape(), 1, a.rank()));
        }
        if (a.rank() != 2) {
            throw new IllegalArgumentException("a grid needs a 2D array; got shape " + java.util.Arrays.toString(values.shape()));
        }
        return a.toDoubleMatrix();
    }

    /** A number as short as possible: 4, -1, 0.25, 0.33. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }

    private static String text(double[][] values) {
        StringBuilder text = new StringBuilder();
        for (double[] row : values) {
            StringJoiner line = new StringJoiner(" ");
            for (double v : row) {
                line.add(String.format(Locale.ROOT, "%6s", num(v)));
            }
            text.append(line).append('\n');
        }
        return text.toString().stripTrailing();
    }
}
