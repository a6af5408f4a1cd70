package convkit.display;

import java.awt.image.BufferedImage;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pictures from arrays, and grids of pictures with titles (the seed's {@code GT:/PR:} grids).
 *
 * <pre>{@code
 * Images.show(Images.of(digit), 112);                          // one 28x28 array, drawn 112 px wide
 * Images.grid(pictures, titles, 8, 96);                        // 8 per row, 96 px each
 * }</pre>
 */
public final class Images {

    private Images() {
    }

    /**
     * A picture of an array: {@code [h, w]} is grayscale, {@code [c, h, w]} with c = 1 or 3 is gray or RGB
     * (a leading batch dimension of 1 is dropped). Values in [0, 1] are drawn as they are; any other range
     * is stretched from its minimum to its maximum, so activation maps with negative values are visible.
     */
    public static BufferedImage of(INDArray array) {
        INDArray a = array;
        while (a.rank() > 3 && a.size(0) == 1) {
            a = a.reshape(java.util.Arrays.copyOfRange(a.shape(), 1, a.rank()));
        }
        if (a.rank() == 2) {
            a = a.reshape(1, a.size(0), a.size(1));
        }
        if (a.rank() != 3 || (a.size(0) != 1 && a.size(0) != 3)) {
            throw new IllegalArgumentException("an image array must be [h, w], [1, h, w] or [3, h, w]; got "
                    + java.util.Arrays.toString(array.shape()));
        }
        int channels = (int) a.size(0);
        int h = (int) a.size(1);
        int w = (int) a.size(2);
        double min = a.minNumber().doubleValue();
        double max = a.maxNumber().doubleValue();
        boolean unit = min >= 0 && max <= 1;
        double lo = unit ? 0 : min;
        double span = unit ? 1 : Math.max(max - min, 1e-12);
        BufferedImage image = new BufferedImage(w, h, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        float[] values = a.dup('c').data().asFloat();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (channels == 1) {
                    int v = level(values[y * w + x], lo, span);
                    image.getRaster().setSample(x, y, 0, v);
                } else {
                    int r = level(values[y * w + x], lo, span);
                    int g = level(values[h * w + y * w + x], lo, span);
                    int b = level(values[2 * h * w + y * w + x], lo, span);
                    image.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
        }
        return image;
    }

    /** One picture per activation map of a stack {@code [K, h, w]} (or {@code [1, K, h, w]}), each stretched on its own. */
    public static List<BufferedImage> maps(INDArray maps) {
        INDArray a = maps.rank() == 4 && maps.size(0) == 1 ? maps.reshape(maps.size(1), maps.size(2), maps.size(3)) : maps;
        if (a.rank() != 3) {
            throw new IllegalArgumentException("activation maps must be [K, h, w] or [1, K, h, w]; got "
                    + java.util.Arrays.toString(maps.shape()));
        }
        List<BufferedImage> pictures = new java.util.ArrayList<>();
        for (int k = 0; k < a.size(0); k++) {
            pictures.add(of(a.slice(k)));
        }
        return pictures;
    }

    private static int level(double value, double lo, double span) {
        return (int) Math.round(Math.max(0, Math.min(1, (value - lo) / span)) * 255);
    }

    /** Shows one picture {@code width} pixels wide. */
    public static void show(BufferedImage image, int width) {
        Display.html(Display.imgTag(image, width));
    }

    /** Shows pictures side by side, each with its title under it. */
    public static void row(List<BufferedImage> images, List<String> titles, int width) {
        grid(images, titles, Math.max(1, images.size()), width);
    }

    /**
     * Shows pictures side by side, each drawn {@code scale} screen pixels per image pixel, so pictures of
     * different sizes keep their proportions (a map half as wide looks half as wide).
     */
    public static void rowAtScale(List<BufferedImage> images, List<String> titles, double scale) {
        if (titles.size() != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + titles.size() + " titles");
        }
        StringBuilder html = new StringBuilder("<div class=\"convkit-grid\" style=\"display:flex;gap:12px;align-items:flex-end;flex-wrap:wrap\">");
        for (int i = 0; i < images.size(); i++) {
            html.append("<div style=\"text-align:center;font-family:monospace;font-size:11px\">")
                    .append(Display.imgTag(images.get(i), (int) Math.round(images.get(i).getWidth() * scale)))
                    .append("<br/>").append(Display.escape(titles.get(i))).append("</div>");
        }
        Display.html(html.append("</div>").toString());
    }

    /** Shows pictures in rows of {@code columns}, each {@code width} pixels wide with its title above it. */
    public static void grid(List<BufferedImage> images, List<String> titles, int columns, int width) {
        Display.html(gridHtml(images, titles, columns, width));
    }

    /** The HTML of {@link #grid}. */
    public static String gridHtml(List<BufferedImage> images, List<String> titles, int columns, int width) {
        if (titles != null && titles.size() != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + titles.size() + " titles");
        }
        StringBuilder html = new StringBuilder("<table class=\"convkit-grid\" style=\"border-collapse:collapse\">");
        for (int i = 0; i < images.size(); i++) {
            if (i % columns == 0) {
                html.append(i == 0 ? "<tr>" : "</tr><tr>");
            }
            html.append("<td style=\"text-align:center;padding:4px;vertical-align:top;font-family:monospace;font-size:11px\">");
            if (titles != null) {
                html.append(Display.escape(titles.get(i)).replace("\n", "<br/>")).append("<br/>");
            }
            html.append(Display.imgTag(images.get(i), width)).append("</td>");
        }
        return html.append("</tr></table>").toString();
    }
}
