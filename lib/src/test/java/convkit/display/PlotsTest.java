package convkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @Test
    void figureHtmlEmbedsPlotlyOfflineAndHidesRequireJs(@TempDir Path dir) throws Exception {
        Path plotly = dir.resolve("plotly.min.js");
        Files.writeString(plotly, "window.Plotly = {};");
        System.setProperty("convkit.plotly", plotly.toString());
        try {
            String html = Plots.html(Plot.lines("Loss", "epoch", "loss").line("train", new double[] {3, 2, 1}).figure());
            assertTrue(html.contains("window.define = undefined"), html);
            assertTrue(html.contains("window.Plotly = {};"), html);
            assertTrue(html.contains("class=\"convkit-plot\""), html);
            assertTrue(html.contains("Plotly.newPlot"), html);
            assertEquals(-1, html.indexOf("cdn"), "no CDN reference");
        } finally {
            System.clearProperty("convkit.plotly");
        }
    }

    @Test
    void inANotebookPlotlyIsItsOwnOutputSoUpdatingAFigureKeepsIt(@TempDir Path dir) throws Exception {
        Path plotly = dir.resolve("plotly.min.js");
        Files.writeString(plotly, "window.Plotly = {};");
        System.setProperty("convkit.plotly", plotly.toString());
        var outputs = new java.util.LinkedHashMap<String, String>();
        Display.connect(new Display.Sink() {
            @Override
            public String display(String mime, String content) {
                String id = "out" + outputs.size();
                outputs.put(id, content);
                return id;
            }

            @Override
            public void update(String id, String mime, String content) {
                outputs.put(id, content);
            }
        });
        try {
            String id = Plot.lines("Loss", "epoch", "loss").line("train", new double[] {3}).show();
            Plot.lines("Loss", "epoch", "loss").line("train", new double[] {3, 2}).update(id);
            Plot.lines("Accuracy", "epoch", "accuracy").line("train", new double[] {0.5}).show();
            long withLibrary = outputs.values().stream().filter(html -> html.contains("window.Plotly = {};")).count();
            assertEquals(1, withLibrary, "plotly embedded exactly once");
            assertTrue(outputs.get(id).contains("Plotly.newPlot") && !outputs.get(id).contains("window.Plotly = {};"));
        } finally {
            Display.connect(null);
            System.clearProperty("convkit.plotly");
        }
    }

    @Test
    void missingPlotlyTellsHowToInstallIt() {
        System.setProperty("convkit.plotly", "");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Plots.html(Plot.lines("t", "x", "y").line("a", new double[] {1}).figure()));
            assertTrue(e.getMessage().contains("make setup"), e.getMessage());
        } finally {
            System.clearProperty("convkit.plotly");
        }
    }

    @Test
    void lineWithMismatchedLengthsNamesBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plot.lines("t", "x", "y").line("train", new double[] {1, 2}, new double[] {1}));
        assertEquals("line 'train': 2 x values but 1 y values", e.getMessage());
    }

    @Test
    void groupedBarsHaveOneNamedSeriesEachAndCheckLengths() {
        var series = new java.util.LinkedHashMap<String, double[]>();
        series.put("seed", new double[] {76.5, 85.6});
        series.put("kit", new double[] {70.1, 80.2});
        var figure = Plot.bars("Accuracy", "model", "%", new String[] {"Tutorial", "Practice 1"}, series).figure();
        assertTrue(figure.asJavascript("d").contains("seed") && figure.asJavascript("d").contains("kit"));
        series.put("short", new double[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plot.bars("Accuracy", "model", "%", new String[] {"Tutorial", "Practice 1"}, series));
        assertEquals("series 'short' has 1 values for 2 categories", e.getMessage());
    }
}
