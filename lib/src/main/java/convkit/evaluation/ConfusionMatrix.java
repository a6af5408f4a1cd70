package convkit.evaluation;

import convkit.display.Plot;
import convkit.display.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, with per-class precision and recall,
 * drawn as a heatmap with the class names on both axes.
 *
 * <pre>{@code
 * ConfusionMatrix m = ConfusionMatrix.of(actual, predicted, List.of("cat", "dog"));
 * m.count(0, 1);        // cats taken for dogs
 * m.recall(0);          // share of the cats found
 * m.show();             // heatmap: rows = true class, columns = predicted class
 * }</pre>
 */
public final class ConfusionMatrix {

    private final List<String> classes;
    private final int[][] counts;

    private ConfusionMatrix(List<String> classes, int[][] counts) {
        this.classes = List.copyOf(classes);
        this.counts = counts;
    }

    /** Counts the pairs {@code (actual[i], predicted[i])}; both hold class indices into {@code classes}. */
    public static ConfusionMatrix of(int[] actual, int[] predicted, List<String> classes) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " true labels but " + predicted.length + " predictions");
        }
        int k = classes.size();
        int[][] counts = new int[k][k];
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("example " + i + ": class index " + actual[i] + " (true) or "
                        + predicted[i] + " (predicted) is outside 0.." + (k - 1) + " (" + k + " classes)");
            }
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(classes, counts);
    }

    /** The class names, in index order. */
    public List<String> classes() {
        return classes;
    }

    /** How many examples of class {@code actual} were predicted as {@code predicted}. */
    public int count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** Number of examples counted. */
    public int total() {
        int total = 0;
        for (int[] row : counts) {
            for (int c : row) {
                total += c;
            }
        }
        return total;
    }

    /** Share of all examples on the diagonal. */
    public double accuracy() {
        int correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return total() == 0 ? 0 : (double) correct / total();
    }

    /** Of the examples predicted as class {@code c}, the share that really are {@code c} (0 when none was predicted). */
    public double precision(int c) {
        int predictedAsC = 0;
        for (int[] row : counts) {
            predictedAsC += row[c];
        }
        return predictedAsC == 0 ? 0 : (double) counts[c][c] / predictedAsC;
    }

    /** Of the examples of class {@code c}, the share predicted as {@code c} (0 when the class has no examples). */
    public double recall(int c) {
        int ofC = support(c);
        return ofC == 0 ? 0 : (double) counts[c][c] / ofC;
    }

    /** Harmonic mean of precision and recall. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Number of examples whose true class is {@code c}. */
    public int support(int c) {
        int n = 0;
        for (int v : counts[c]) {
            n += v;
        }
        return n;
    }

    /** Shows the matrix as a heatmap: true class down the side, predicted class along the top. */
    public void show(String title) {
        String[] names = classes.toArray(new String[0]);
        double[][] values = new double[counts.length][];
        for (int r = 0; r < counts.length; r++) {
            values[r] = java.util.Arrays.stream(counts[r]).asDoubleStream().toArray();
        }
        Plot.heatmap(title, "predicted class", "true class", names, names, values).show();
    }

    /** Shows the matrix as a heatmap titled "Confusion matrix". */
    public void show() {
        show("Confusion matrix");
    }

    /** Shows precision, recall, F1 and support per class, and the overall accuracy. */
    public void showTable(String title) {
        List<List<Object>> rows = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            rows.add(List.of(classes.get(c), pct(precision(c)), pct(recall(c)), pct(f1(c)), support(c)));
        }
        rows.add(List.of("all (accuracy)", "", "", pct(accuracy()), total()));
        Tables.show(title, List.of("class", "precision", "recall", "F1", "examples"), rows);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
