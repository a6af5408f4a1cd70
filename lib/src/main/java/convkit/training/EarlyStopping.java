package convkit.training;

import convkit.env.Require;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stops training when a monitored value has not improved for {@code patience} epochs in a row and puts back the weights
 * of the best epoch, like Keras' {@code EarlyStopping(monitor, patience, restore_best_weights=True)}. It is a
 * {@link Callback}: pass it to {@link Training#earlyStopping(EarlyStopping)}; each fit starts it afresh.
 *
 * <pre>{@code
 * Training.of(cnn).earlyStopping(EarlyStopping.on("val_loss", 3)).fit(train, test);
 * Training.of(cnn).earlyStopping(EarlyStopping.on("val_accuracy", 5).restoreBestWeights(false)).fit(train, test);
 * EarlyStopping stop = EarlyStopping.on("val_loss", 3);
 * stop.observe(1, 0.30);   // false: first value is the best so far
 * stop.observe(2, 0.31);   // false: 1 epoch without improvement
 * }</pre>
 */
public final class EarlyStopping implements Callback {

    private final Monitor monitor;
    private final int patience;
    private boolean restoreBestWeights = true;
    private double best = Double.NaN;
    private int bestEpoch;
    private int waited;
    private int stoppedEpoch;
    private INDArray bestWeights;
    private int bestWeightsEpoch;

    private EarlyStopping(Monitor monitor, int patience) {
        this.monitor = monitor;
        this.patience = Require.positive(patience, "patience (epochs without improvement)");
    }

    /** Watches {@code monitor} (see {@link Monitor}) and allows {@code patience} epochs without improvement. */
    public static EarlyStopping on(String monitor, int patience) {
        return new EarlyStopping(Monitor.of(monitor), patience);
    }

    /** Whether the weights of the best epoch are put back at the end of training (default true). */
    public EarlyStopping restoreBestWeights(boolean restore) {
        this.restoreBestWeights = restore;
        return this;
    }

    /** Records the value after {@code epoch}; true when training should stop now. */
    public boolean observe(int epoch, double value) {
        if (monitor.better(value, best)) {
            best = value;
            bestEpoch = epoch;
            waited = 0;
            return false;
        }
        waited++;
        if (waited >= patience) {
            stoppedEpoch = epoch;
            return true;
        }
        return false;
    }

    /** Starts afresh; a resumed run's epochs are observed again, so the patience left is what it was. */
    @Override
    public void onTrainBegin(Run run) {
        best = Double.NaN;
        bestEpoch = 0;
        waited = 0;
        stoppedEpoch = 0;
        bestWeights = null;
        bestWeightsEpoch = 0;
        double[] values = run.history().get(monitor.name());
        for (int e = 1; e <= values.length; e++) {
            observe(e, values[e - 1]);
        }
        if (values.length > 0 && bestEpoch == values.length) {
            keepWeights(run, values.length);
        }
    }

    @Override
    public void onEpochEnd(Run run, Logs logs) {
        boolean stop = observe(run.epoch(), logs.get(monitor.name()));
        if (bestEpoch == run.epoch() && restoreBestWeights) {
            keepWeights(run, run.epoch());
        }
        if (stop) {
            run.stop();
        }
    }

    /** Puts back the best epoch's weights when the network holds another epoch's. */
    @Override
    public void onTrainEnd(Run run) {
        if (restoreBestWeights && bestWeights != null && bestWeightsEpoch != run.history().epochs()) {
            run.net().setParams(bestWeights);
            run.history().restored(bestWeightsEpoch);
        }
    }

    private void keepWeights(Run run, int epoch) {
        bestWeights = run.net().params().dup();
        bestWeightsEpoch = epoch;
    }

    /** The best epoch's weights kept for the restore, and their epoch, for a resumable state; null before any. */
    INDArray bestWeights() {
        return bestWeights;
    }

    int bestWeightsEpoch() {
        return bestWeightsEpoch;
    }

    /** Puts back what {@link #bestWeights()} gave, after {@link #onTrainBegin} replayed the saved epochs. */
    void resumeWith(INDArray weights, int epoch) {
        bestWeights = weights;
        bestWeightsEpoch = epoch;
    }

    /** What is watched. */
    public Monitor monitor() {
        return monitor;
    }

    /** Epochs without improvement allowed. */
    public int patience() {
        return patience;
    }

    /** The epoch (from 1) with the best value so far; 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best value so far (NaN before any). */
    public double best() {
        return best;
    }

    /** The epoch at which it asked to stop; 0 if it has not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
