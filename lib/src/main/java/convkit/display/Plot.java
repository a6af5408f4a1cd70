package convkit.display;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.HeatmapTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Small plots for lessons, drawn inline with plotly (see {@link Plots}): lines, bars and heatmaps.
 *
 * <pre>{@code
 * Plot.lines("Loss per epoch", "epoch", "loss")
 *     .line("train", epochs, trainLoss)
 *     .line("validation", epochs, valLoss)
 *     .show();
 * Plot.bars("Accuracy", "model", "accuracy", new String[] {"MLP", "CNN"}, new double[] {0.978, 0.993}).show();
 * }</pre>
 */
public final class Plot {

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Trace> traces = new ArrayList<>();
    private boolean categoryX;
    private boolean categoryY;
    private boolean reversedY;
    private int width = 700;
    private int height = 420;

    private Plot(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** An empty line plot; add series with {@link #line}. */
    public static Plot lines(String title, String xTitle, String yTitle) {
        return new Plot(title, xTitle, yTitle);
    }

    /** A bar chart of one value per category (class names stay names: a category axis). */
    public static Plot bars(String title, String xTitle, String yTitle, String[] categories, double[] values) {
        Plot plot = new Plot(title, xTitle, yTitle);
        plot.categoryX = true;
        plot.traces.add(BarTrace.builder(categories, values).build());
        return plot;
    }

    /** Bars of several named series side by side per category (for example the seed's figure next to the kit's). */
    public static Plot bars(String title, String xTitle, String yTitle, String[] categories, java.util.Map<String, double[]> series) {
        Plot plot = new Plot(title, xTitle, yTitle);
        plot.categoryX = true;
        series.forEach((name, values) -> {
            if (values.length != categories.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + values.length + " values for "
                        + categories.length + " categories");
            }
            plot.traces.add(BarTrace.builder(categories, values).name(name).showLegend(true).build());
        });
        return plot;
    }

    /** A heatmap (for example a confusion matrix) with category axes; row 0 is drawn at the top. */
    public static Plot heatmap(String title, String xTitle, String yTitle, String[] columns, String[] rows, double[][] values) {
        Plot plot = new Plot(title, xTitle, yTitle);
        plot.categoryX = true;
        plot.categoryY = true;
        plot.reversedY = true;
        plot.traces.add(HeatmapTrace.builder(columns, rows, values).build());
        plot.height = Math.max(360, 40 * rows.length + 140);
        plot.width = Math.max(420, 45 * columns.length + 200);
        return plot;
    }

    /** Adds a line with markers. */
    public Plot line(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("line '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
        traces.add(ScatterTrace.builder(x, y).mode(ScatterTrace.Mode.LINE_AND_MARKERS).name(name)
                .marker(Marker.builder().size(5).build()).showLegend(true).build());
        return this;
    }

    /** Adds a line over 1, 2, 3, ... (for example one value per epoch). */
    public Plot line(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = i + 1;
        }
        return line(name, x, y);
    }

    /** Sets the size in pixels. */
    public Plot size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /** The tablesaw figure, for further styling. */
    public Figure figure() {
        Axis.AxisBuilder x = Axis.builder().title(xTitle);
        Axis.AxisBuilder y = Axis.builder().title(yTitle);
        if (categoryX) {
            x.type(Axis.Type.CATEGORY);
        }
        if (categoryY) {
            y.type(Axis.Type.CATEGORY);
        }
        if (reversedY) {
            y.autoRange(Axis.AutoRange.REVERSED);
        }
        Layout layout = Layout.builder().title(title).width(width).height(height).xAxis(x.build()).yAxis(y.build())
                .showLegend(traces.size() > 1).build();
        return new Figure(layout, traces.toArray(new Trace[0]));
    }

    /** Draws the plot inline; returns its display id (for {@link #update}). */
    public String show() {
        return Plots.show(figure());
    }

    /** Redraws a plot shown earlier, in place. */
    public void update(String displayId) {
        Plots.update(displayId, figure());
    }
}
