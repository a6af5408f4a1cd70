package convkit.training;

import java.nio.file.Path;

/** Saves the network to one file whenever the monitored value improves, like Keras' {@code ModelCheckpoint(save_best_only=True)}. */
final class BestCheckpoint implements Callback {

    private final Path path;
    private final Monitor monitor;
    private double best;

    BestCheckpoint(Path path, Monitor monitor) {
        this.path = path;
        this.monitor = monitor;
    }

    Path path() {
        return path;
    }

    Monitor monitor() {
        return monitor;
    }

    /** The best value so far is the best of a resumed run's epochs, so its file is replaced only by a better one. */
    @Override
    public void onTrainBegin(Run run) {
        best = Double.NaN;
        for (double value : run.history().get(monitor.name())) {
            if (monitor.better(value, best)) {
                best = value;
            }
        }
    }

    @Override
    public void onEpochEnd(Run run, Logs logs) {
        double value = logs.get(monitor.name());
        if (monitor.better(value, best)) {
            best = value;
            Checkpoint.save(path, run.network(), run.history().copy());
            run.log("  " + monitor.name() + " improved: saved to " + path);
        }
    }
}
