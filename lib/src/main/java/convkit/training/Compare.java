package convkit.training;

import convkit.data.ImageSet;
import convkit.display.Plot;
import convkit.display.Tables;
import convkit.env.Require;
import convkit.evaluation.Evaluation;
import convkit.models.Network;
import convkit.report.Report;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.NeuralNetwork;

/**
 * Trained models side by side on the same test images: parameters, test accuracy and loss, training time and speed in
 * one table, and any per-epoch value of their histories on one plot.
 *
 * <pre>{@code
 * var compared = Compare.on(test).model("MLP", mlp, mlpHistory).model("CNN", cnn, cnnHistory);
 * compared.show();                      // the table
 * compared.plot("val_accuracy");        // both curves
 * compared.result("CNN").accuracy();    // each model's Evaluation, for confusion matrices and mistakes
 * }</pre>
 */
public final class Compare {

    private record Entry(long parameters, History history, Evaluation result) {
    }

    private final ImageSet test;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private Compare(ImageSet test) {
        this.test = test;
    }

    /** Compares models on {@code test} (every model is evaluated on all of it). */
    public static Compare on(ImageSet test) {
        if (test == null || test.size() == 0) {
            throw new IllegalArgumentException("the test set is empty: compare on the images the models have not trained on, e.g. mnist.test()");
        }
        return new Compare(test);
    }

    /**
     * Adds a trained network (a MultiLayerNetwork, or a ComputationGraph with one input and one output) under
     * {@code name}, with the history its training returned, and evaluates it.
     */
    public Compare model(String name, NeuralNetwork network, History history) {
        Require.notNull(name, "the model's name", "give each model a name, e.g. model(\"CNN\", cnn, cnnHistory)");
        long parameters = Network.of(network).numParams();
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("a model named '" + name + "' is already in the comparison: give each model its own name");
        }
        if (history == null || history.epochs() == 0) {
            throw new IllegalArgumentException("'" + name + "' has no training history: pass what Training...fit(...) returned");
        }
        entries.put(name, new Entry(parameters, history, Evaluation.of(network, test)));
        return this;
    }

    /** The evaluation of the model added as {@code name} on the test images. */
    public Evaluation result(String name) {
        return entry(name).result();
    }

    /** Shows the table: parameters, epochs trained, test accuracy, test loss, training time and images per second. */
    public Compare show() {
        List<String> header = new ArrayList<>(List.of(""));
        header.addAll(entries.keySet());
        List<List<Object>> rows = List.of(
                row("parameters", e -> String.format(Locale.ROOT, "%,d", e.parameters())),
                row("epochs trained", e -> String.valueOf(e.history().epochs())),
                row("test accuracy", e -> Report.percent(e.result().accuracy())),
                row("test loss", e -> String.format(Locale.ROOT, "%.4f", e.result().loss())),
                row("training time (s)", e -> String.format(Locale.ROOT, "%.0f", e.history().seconds())),
                row("training images / second", e -> String.format(Locale.ROOT, "%.0f", e.history().imagesPerSecond())));
        Tables.show(String.join(" vs ", entries.keySet()) + " on " + String.format(Locale.ROOT, "%,d", test.size())
                + " test images", header, rows);
        return this;
    }

    /** Plots one per-epoch value of every model's history (e.g. "val_accuracy", "loss") on one chart. */
    public Compare plot(String metric) {
        Plot plot = Plot.lines(String.join(" vs ", entries.keySet()) + ": " + metric + " per epoch", "epoch", metric);
        entries.forEach((name, e) -> plot.line(name, e.history().get(metric)));
        plot.show();
        return this;
    }

    private List<Object> row(String label, java.util.function.Function<Entry, String> cell) {
        List<Object> row = new ArrayList<>(List.of(label));
        entries.values().forEach(e -> row.add(cell.apply(e)));
        return row;
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no model named '" + name + "' in the comparison; it has " + entries.keySet());
        }
        return e;
    }
}
