package convkit.training;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The live progress line of a fit (epoch, batch, loss, accuracy, speed, time left), one line per epoch, and a summary;
 * a fit that went on from saved epochs, or found them all done, says so.
 */
final class ProgressLine implements Callback {

    private final Path resumedFrom;
    private final boolean fromState;
    private long epochStart;

    /** {@code resumedFrom}: the file the saved epochs came from (null for none); {@code fromState}: it is the resumable state. */
    ProgressLine(Path resumedFrom, boolean fromState) {
        this.resumedFrom = resumedFrom;
        this.fromState = fromState;
    }

    @Override
    public void onTrainBegin(Run run) {
        if (resumedFrom != null && run.firstEpoch() <= run.epochs() && !run.stopping()) {
            run.log("resuming at epoch " + run.firstEpoch() + ": epochs 1-" + (run.firstEpoch() - 1) + " were reloaded from " + resumedFrom);
        }
    }

    @Override
    public void onEpochBegin(Run run) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onBatchEnd(Run run, Logs logs) {
        double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
        int perEpoch = run.batchesPerEpoch();
        double within = perEpoch > 0 ? Math.min(1, (double) run.batch() / perEpoch) : 0;
        int epochsToRun = run.epochs() - run.firstEpoch() + 1;
        run.progress().update((run.epoch() - run.firstEpoch() + within) / epochsToRun,
                String.format(Locale.ROOT, "epoch %d/%d · batch %d%s · loss %.4f · accuracy %.2f%% · %.0f img/s%s",
                        run.epoch(), run.epochs(), run.batch(), perEpoch > 0 ? "/" + perEpoch : "", logs.get("loss"),
                        100 * logs.get("accuracy"), logs.get("images") / epochSeconds, timeLeft(run)));
    }

    @Override
    public void onEpochEnd(Run run, Logs logs) {
        run.log(run.history().epochLine(run.epoch()));
    }

    @Override
    public void onTrainEnd(Run run) {
        History h = run.history();
        if (run.batchesDone() == 0) {
            run.progress().finish(alreadyTrained(h));
            return;
        }
        String line = String.format(Locale.ROOT, "%d epochs in %s · %.0f img/s · loss %.4f · accuracy %.2f%%",
                h.epochs(), clock(run.seconds()), h.imagesPerSecond(), h.last("loss"), 100 * h.last("accuracy"));
        if (h.hasValidation()) {
            line += String.format(Locale.ROOT, " · val_loss %.4f · val_accuracy %.2f%%", h.last("val_loss"), 100 * h.last("val_accuracy"));
        }
        if (h.stoppedEarly()) {
            line += " · stopped early at epoch " + h.stoppedEpoch();
        }
        if (h.restoredEpoch() > 0) {
            line += ", weights of epoch " + h.restoredEpoch() + " restored";
        }
        run.progress().finish(line);
    }

    private String alreadyTrained(History h) {
        String line = "already trained for " + h.epochs() + " epochs" + (h.stoppedEarly() ? " (stopped early)" : "")
                + (resumedFrom == null ? "" : ", reloaded from " + resumedFrom);
        if (h.restoredEpoch() > 0) {
            line += ", weights of epoch " + h.restoredEpoch() + " restored";
        }
        if (h.hasValidation()) {
            line += String.format(Locale.ROOT, " · val_accuracy %.2f%%", 100 * h.get("val_accuracy")[(h.restoredEpoch() > 0 ? h.restoredEpoch() : h.epochs()) - 1]);
        }
        return line + (h.stoppedEarly() ? "" : "; ask for more with .epochs(n)") + (fromState ? "; .fresh() trains again from the start" : "");
    }

    /** " · 1:23 left" from the speed so far, or nothing while the batches per epoch are unknown. */
    private static String timeLeft(Run run) {
        int perEpoch = run.batchesPerEpoch();
        if (perEpoch <= 0) {
            return "";
        }
        long left = Math.max(0, perEpoch - run.batch()) + (long) (run.epochs() - run.epoch()) * perEpoch;
        return " · " + clock(run.seconds() / run.batchesDone() * left) + " left";
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
