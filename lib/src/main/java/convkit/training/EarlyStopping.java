package convkit.training;

/**
 * Stops training when a monitored value has not improved for {@code patience} epochs in a row,
 * like Keras' {@code EarlyStopping(monitor, patience)}; remembers the best epoch.
 *
 * <pre>{@code
 * EarlyStopping stop = EarlyStopping.on("val_loss", 3);
 * stop.observe(1, 0.30);   // false: first value is the best so far
 * stop.observe(2, 0.31);   // false: 1 epoch without improvement
 * }</pre>
 */
public final class EarlyStopping {

    private final Monitor monitor;
    private final int patience;
    private double best = Double.NaN;
    private int bestEpoch;
    private int waited;
    private int stoppedEpoch;

    private EarlyStopping(Monitor monitor, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1 epoch, got " + patience);
        }
        this.monitor = monitor;
        this.patience = patience;
    }

    /** Watches {@code monitor} (see {@link Monitor}) and allows {@code patience} epochs without improvement. */
    public static EarlyStopping on(String monitor, int patience) {
        return new EarlyStopping(Monitor.of(monitor), patience);
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
