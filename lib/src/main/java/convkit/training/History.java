package convkit.training;

import convkit.display.Plot;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Training#fit} returns, like Keras' {@code History}: loss and accuracy per epoch for the
 * training data and the validation data, time per epoch and images per second, and where training stopped.
 * As in Keras it is a {@link Callback}: training hands it each epoch's {@link Logs} and it keeps them by name.
 *
 * <pre>{@code
 * History h = Training.of(cnn).epochs(10).fit(train, test);
 * h.get("val_accuracy");   // one value per epoch
 * h.plot();                // loss and accuracy curves, train and validation
 * }</pre>
 */
public final class History implements Serializable, Callback {

    private static final long serialVersionUID = 1L;

    /** Per-epoch values besides the metrics: seconds of training and validation, training images per second. */
    public static final List<String> TIMINGS = List.of("seconds", "images_per_second");

    private final Map<String, ArrayList<Double>> values = new LinkedHashMap<>();
    private final ArrayList<Double> batchLosses = new ArrayList<>();
    private int stoppedEpoch;
    private int restoredEpoch;

    History() {
        for (String name : Monitor.NAMES) {
            values.put(name, new ArrayList<>());
        }
        for (String name : TIMINGS) {
            values.put(name, new ArrayList<>());
        }
    }

    /** Keeps the epoch's values, each in the column of its name. */
    @Override
    public void onEpochEnd(Run run, Logs logs) {
        values.forEach((name, column) -> column.add(logs.get(name)));
    }

    /** Keeps the batch's loss. */
    @Override
    public void onBatchEnd(Run run, Logs logs) {
        batchLosses.add(logs.get("batch_loss"));
    }

    void stoppedAt(int epoch) {
        stoppedEpoch = epoch;
    }

    void restored(int epoch) {
        restoredEpoch = epoch;
    }

    /** A copy that later epochs do not change (what a checkpoint saves). */
    History copy() {
        History copy = new History();
        values.forEach((name, column) -> copy.values.get(name).addAll(column));
        copy.batchLosses.addAll(batchLosses);
        return copy;
    }

    /** The loss of every training batch in order, before its update: noisy, the noisier the smaller the batch. */
    public double[] batchLosses() {
        return batchLosses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Number of epochs trained. */
    public int epochs() {
        return values.get("loss").size();
    }

    /**
     * The values of one metric per epoch: {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy}
     * (NaN without validation data), {@code seconds} or {@code images_per_second}.
     */
    public double[] get(String name) {
        String key = TIMINGS.contains(name) ? name : Monitor.of(name).name();
        return values.get(key).stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The value of a metric after the last epoch. */
    public double last(String name) {
        double[] v = get(name);
        if (v.length == 0) {
            throw new IllegalStateException("no epoch has been trained yet");
        }
        return v[v.length - 1];
    }

    /** The epoch (from 1) where a metric was best: lowest loss, highest accuracy. */
    public int bestEpoch(String name) {
        Monitor monitor = Monitor.of(name);
        double[] v = get(name);
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (monitor.better(v[i], v[best])) {
                best = i;
            }
        }
        return best + 1;
    }

    /** True when validation data was given. */
    public boolean hasValidation() {
        return epochs() > 0 && !Double.isNaN(last("val_loss"));
    }

    /** The epoch at which early stopping ended training, or 0 if it ran all its epochs. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** True when early stopping ended training before the last planned epoch. */
    public boolean stoppedEarly() {
        return stoppedEpoch > 0;
    }

    /** The epoch whose weights the model holds after training when the best weights were restored, else 0. */
    public int restoredEpoch() {
        return restoredEpoch;
    }

    /** Total seconds of training and validation. */
    public double seconds() {
        return Arrays.stream(get("seconds")).sum();
    }

    /** Mean training speed over all epochs, images per second. */
    public double imagesPerSecond() {
        return Arrays.stream(get("images_per_second")).average().orElse(Double.NaN);
    }

    /** Loss per epoch, train and validation. */
    public Plot lossPlot() {
        return curves("Loss per epoch", "loss (cross-entropy)", "loss");
    }

    /** Accuracy per epoch, train and validation. */
    public Plot accuracyPlot() {
        return curves("Accuracy per epoch", "accuracy", "accuracy");
    }

    /** Shows the loss and accuracy curves. */
    public void plot() {
        lossPlot().show();
        accuracyPlot().show();
    }

    private Plot curves(String title, String yTitle, String metric) {
        Plot plot = Plot.lines(title, "epoch", yTitle).size(520, 340).line("train", get(metric));
        if (hasValidation()) {
            plot.line("validation", get("val_" + metric));
        }
        return plot;
    }

    /** One line per epoch, Keras' style. */
    public String epochLine(int epoch) {
        int i = epoch - 1;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d: loss %.4f, accuracy %.4f",
                epoch, get("loss")[i], get("accuracy")[i]));
        if (!Double.isNaN(get("val_loss")[i])) {
            line.append(String.format(Locale.ROOT, ", val_loss %.4f, val_accuracy %.4f", get("val_loss")[i], get("val_accuracy")[i]));
        }
        return line.append(String.format(Locale.ROOT, " (%.0f s, %.0f img/s)", get("seconds")[i], get("images_per_second")[i]))
                .toString();
    }

    @Override
    public String toString() {
        return epochs() == 0 ? "History (no epochs)" : "History of " + epochs() + " epochs, last " + epochLine(epochs());
    }
}
