package convkit.training;

import convkit.display.Progress;
import convkit.models.Network;
import org.deeplearning4j.nn.api.NeuralNetwork;

/**
 * A training in progress as its {@link Callback}s see it (Keras gives a callback {@code self.model}, DJL a
 * {@code Trainer}): the network, where training is (epoch, batch), the {@link History} so far, and the two things a
 * callback may change: stop after this epoch, or set the learning rate.
 *
 * <pre>{@code
 * Callback.atEpochEnd((run, logs) -> run.log("epoch " + run.epoch() + " of " + run.epochs()));
 * }</pre>
 */
public final class Run {

    private final Network network;
    private final History history;
    private final Progress progress;
    private final int epochs;
    private final int firstEpoch;
    private final long started = System.nanoTime();
    private int epoch;
    private int batch;
    private int batchesPerEpoch;
    private long batchesDone;

    Run(Network network, History history, Progress progress, int epochs, int batchesPerEpoch) {
        this.network = network;
        this.history = history;
        this.progress = progress;
        this.epochs = epochs;
        this.firstEpoch = history.epochs() + 1;
        this.epoch = firstEpoch;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    /** The network being trained (a MultiLayerNetwork or a ComputationGraph). */
    public NeuralNetwork network() {
        return network.network();
    }

    /** The kit's view of the network. */
    Network net() {
        return network;
    }

    /** The epoch being trained, or just trained (from 1; counted from the saved run's first epoch when resumed). */
    public int epoch() {
        return epoch;
    }

    /** The last epoch asked for with {@code .epochs(n)}. */
    public int epochs() {
        return epochs;
    }

    /** The first epoch this fit trains: 1, or the saved epoch + 1 when it resumed. */
    public int firstEpoch() {
        return firstEpoch;
    }

    /** Batches done in this epoch. */
    public int batch() {
        return batch;
    }

    /** Batches in an epoch; -1 while unknown (an iterator's first epoch). */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Batches done since this fit began. */
    long batchesDone() {
        return batchesDone;
    }

    /** Seconds since this fit began. */
    public double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Every finished epoch's values so far. */
    public History history() {
        return history;
    }

    /** Ends training after this epoch (Keras' {@code model.stop_training = True}); the history records where. */
    public void stop() {
        history.stoppedAt(epoch);
    }

    /** True once a callback asked to stop. */
    public boolean stopping() {
        return history.stoppedEarly();
    }

    /** The learning rate of the first layer that learns. */
    public double learningRate() {
        return network.learningRate();
    }

    /** Sets the learning rate of every layer from the next batch on (a schedule), keeping the optimizer's state. */
    public void learningRate(double rate) {
        if (!(rate >= 0)) {
            throw new IllegalArgumentException("a learning rate is 0 or more (0 stops learning), not " + rate);
        }
        network.learningRate(rate);
    }

    /** Writes a line under the progress bar that stays there. */
    public void log(String line) {
        progress.log(line);
    }

    Progress progress() {
        return progress;
    }

    void startEpoch(int epoch) {
        this.epoch = epoch;
        this.batch = 0;
    }

    void batchDone() {
        batch++;
        batchesDone++;
    }

    /** After an epoch the number of batches is known, for the time left. */
    void epochDone() {
        batchesPerEpoch = batch;
    }
}
