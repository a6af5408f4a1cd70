package convkit.training;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntToDoubleFunction;

/**
 * Something that runs at fixed points of {@link Training#fit}, like a Keras callback: when training begins, before and
 * after each epoch (with the epoch's values), after each batch, and when training ends. Early stopping, the best-only
 * checkpoint, the progress line, the live curves and {@link History} are callbacks; add your own with
 * {@link Training#callbacks}. Every method does nothing unless overridden.
 *
 * <pre>{@code
 * var stopAt99 = Callback.atEpochEnd((run, logs) -> {
 *     if (logs.get("val_accuracy") >= 0.99) run.stop();           // Keras: self.model.stop_training = True
 * });
 * var halveEvery5 = Callback.atEpochBegin(run -> {
 *     if (run.epoch() > 1 && run.epoch() % 5 == 1) run.learningRate(run.learningRate() / 2);
 * });
 * var slowEnd = Callback.learningRateSchedule(epoch -> epoch <= 25 ? 1e-3 : 1e-4);   // Keras' LearningRateScheduler
 * Training.of(cnn).epochs(30).callbacks(stopAt99, halveEvery5).fit(train, test);
 * }</pre>
 */
public interface Callback {

    /** Before the first epoch of this fit (after a resumed run's state is loaded: {@code run.history()} holds its epochs). */
    default void onTrainBegin(Run run) {
    }

    /** Before epoch {@code run.epoch()} trains. */
    default void onEpochBegin(Run run) {
    }

    /** After each batch's update; {@code logs} holds the epoch's running {@code loss} and {@code accuracy} so far. */
    default void onBatchEnd(Run run, Logs logs) {
    }

    /** After epoch {@code run.epoch()} and its validation; {@code logs} holds the epoch's values (see {@link Logs}). */
    default void onEpochEnd(Run run, Logs logs) {
    }

    /** After the last epoch, also when a callback stopped training early. */
    default void onTrainEnd(Run run) {
    }

    /** A callback that only acts after each epoch, for a rule written in one line. */
    static Callback atEpochEnd(BiConsumer<Run, Logs> action) {
        return new Callback() {
            @Override
            public void onEpochEnd(Run run, Logs logs) {
                action.accept(run, logs);
            }
        };
    }

    /**
     * Keras' {@code LearningRateScheduler}: before each epoch, sets every layer's learning rate to
     * {@code rateForEpoch} of the epoch (counted from 1), keeping the optimizer's state.
     * {@code Callback.learningRateSchedule(epoch -> epoch <= 4 ? 1e-3 : 1e-4)} trains four epochs at Adam's default
     * rate and the rest at a tenth of it.
     */
    static Callback learningRateSchedule(IntToDoubleFunction rateForEpoch) {
        Objects.requireNonNull(rateForEpoch, "give the rate for each epoch, e.g. epoch -> epoch <= 4 ? 1e-3 : 1e-4");
        return atEpochBegin(run -> run.learningRate(rateForEpoch.applyAsDouble(run.epoch())));
    }

    /** A callback that only acts before each epoch, for example a learning-rate schedule. */
    static Callback atEpochBegin(Consumer<Run> action) {
        return new Callback() {
            @Override
            public void onEpochBegin(Run run) {
                action.accept(run);
            }
        };
    }
}
