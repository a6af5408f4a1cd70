package convkit.training;

import convkit.data.ImageSet;
import convkit.display.Display;
import convkit.display.Progress;
import convkit.evaluation.Evaluation;
import convkit.models.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a model the way Keras' {@code fit} does: epochs of mini-batches, validation after each epoch, a live
 * progress line and live curves in the notebook, early stopping, a checkpoint that keeps the best model,
 * resuming from that checkpoint, and a fixed seed.
 *
 * <pre>{@code
 * History h = Training.of(cnn).epochs(10).batchSize(64)
 *         .earlyStopping("val_loss", 3)                // restores the best epoch's weights at the end
 *         .checkpoint(Path.of("cnn-best.zip"))        // keeps only the best model (by val_loss)
 *         .seed(42)
 *         .fit(train, test);
 * Training.of(cnn).resume(Path.of("cnn-best.zip")).epochs(15).fit(train, test);   // continues at the saved epoch + 1
 * Training.of(vgg16Head).epochs(3).fit(train, test);  // a ComputationGraph (one input, one output) trains the same way
 * }</pre>
 * Loss is the categorical cross-entropy; training loss and accuracy are averaged over the epoch's batches as
 * they were trained (dropout on), validation values are computed after the epoch (dropout off), as in Keras.
 */
public final class Training {

    private final Net model;
    private String name = "";
    private int epochs = 10;
    private int batchSize = 32;
    private long seed = Models.SEED;
    private boolean shuffle = true;
    private EarlyStopping earlyStopping;
    private boolean restoreBestWeights = true;
    private Path checkpointPath;
    private Monitor checkpointMonitor;
    private Path resumePath;
    private boolean livePlot = true;

    private Training(Net model) {
        this.model = model;
    }

    /** Starts describing how to train {@code model} (10 epochs, batch 32, seed 42, shuffled, no early stopping). */
    public static Training of(MultiLayerNetwork model) {
        return new Training(Net.of(model));
    }

    /**
     * The same for a graph, such as a zoo network with a new head from {@code Transfer.from(...)}; it must have one
     * input (the images) and one output (the class probabilities).
     */
    public static Training of(ComputationGraph model) {
        return new Training(Net.of(model));
    }

    /** A name for the progress display ("Training CNN"). */
    public Training name(String name) {
        this.name = name;
        return this;
    }

    /** The total number of epochs (with {@link #resume}, counted from the first epoch of the saved run). */
    public Training epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** Images per update; applies when training data is an {@link ImageSet} (an iterator has its own). */
    public Training batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** The seed for shuffling and dropout; the same seed, model and data give the same weights. */
    public Training seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Whether an {@link ImageSet}'s training images are reshuffled every epoch (default true). */
    public Training shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** Stops when {@code monitor} has not improved for {@code patience} epochs (see {@link EarlyStopping}). */
    public Training earlyStopping(String monitor, int patience) {
        this.earlyStopping = EarlyStopping.on(monitor, patience);
        return this;
    }

    /** Whether early stopping puts back the weights of the best epoch at the end (default true, Keras' restore_best_weights). */
    public Training restoreBestWeights(boolean restore) {
        this.restoreBestWeights = restore;
        return this;
    }

    /** Saves the model to {@code path} whenever {@code val_loss} improves (Keras' ModelCheckpoint default). */
    public Training checkpoint(Path path) {
        return checkpoint(path, "val_loss");
    }

    /** Saves the model to {@code path} whenever {@code monitor} improves, so the file always holds the best epoch. */
    public Training checkpoint(Path path, String monitor) {
        this.checkpointPath = path;
        this.checkpointMonitor = Monitor.of(monitor);
        return this;
    }

    /** Starts from a checkpoint: its weights, optimizer state and history; training goes on at its epoch + 1. */
    public Training resume(Path checkpoint) {
        this.resumePath = checkpoint;
        return this;
    }

    /** Whether to draw the loss and accuracy curves in the notebook, updated after every epoch (default true). */
    public Training livePlot(boolean livePlot) {
        this.livePlot = livePlot;
        return this;
    }

    /** Trains without validation data. */
    public History fit(ImageSet train) {
        return fit(train, (ImageSet) null);
    }

    /** Trains on {@code train}, validating on {@code validation} (may be null) after every epoch. */
    public History fit(ImageSet train, ImageSet validation) {
        requireImages(train, "training data");
        if (validation != null) {
            requireImages(validation, "validation data");
            if (!Arrays.equals(train.shape(), validation.shape()) || train.numClasses() != validation.numClasses()) {
                throw new IllegalArgumentException("training images are " + shape(train) + " with " + train.numClasses()
                        + " classes but validation images are " + shape(validation) + " with " + validation.numClasses()
                        + " classes: both must come from the same kind of data");
            }
        }
        return run(train.batches(batchSize, shuffle, seed), train.size(), validator(validation));
    }

    /** Trains on batches from an iterator (for example augmented ones), validating on an {@link ImageSet} (may be null). */
    public History fit(DataSetIterator train, ImageSet validation) {
        if (validation != null) {
            requireImages(validation, "validation data");
        }
        return run(train, -1, validator(validation));
    }

    /** Trains on batches from an iterator, validating on another iterator's batches (may be null). */
    public History fit(DataSetIterator train, DataSetIterator validation) {
        return run(train, -1, validation == null ? null : m -> m.evaluate(validation));
    }

    private static Function<Net, Evaluation> validator(ImageSet validation) {
        return validation == null ? null : m -> m.evaluate(validation);
    }

    private History run(DataSetIterator train, int trainSize, Function<Net, Evaluation> validate) {
        for (Monitor m : new Monitor[] {earlyStopping == null ? null : earlyStopping.monitor(), checkpointMonitor}) {
            if (m != null && m.needsValidation() && validate == null) {
                throw new IllegalArgumentException("monitoring " + m.name() + " needs validation data: pass it to fit(train, validation)"
                        + " or monitor '" + m.name().substring(4) + "' instead");
            }
        }
        History history = resumePath == null ? new History() : resumeInto();
        int firstEpoch = history.epochs() + 1;
        EarlyStopping stopper = earlyStopping == null ? null : EarlyStopping.on(earlyStopping.monitor().name(), earlyStopping.patience());
        double checkpointBest = Double.NaN;
        for (int e = 1; e < firstEpoch; e++) {
            if (stopper != null) {
                stopper.observe(e, history.get(stopper.monitor().name())[e - 1]);
            }
            if (checkpointMonitor != null && checkpointMonitor.better(history.get(checkpointMonitor.name())[e - 1], checkpointBest)) {
                checkpointBest = history.get(checkpointMonitor.name())[e - 1];
            }
        }
        INDArray bestParams = stopper != null && stopper.bestEpoch() == history.epochs() && firstEpoch > 1 ? model.params().dup() : null;
        int bestParamsEpoch = bestParams == null ? 0 : history.epochs();

        Progress progress = Progress.start(name.isBlank() ? "Training" : "Training " + name);
        if (firstEpoch > epochs) {
            progress.finish("already trained for " + history.epochs() + " epochs; ask for more with .epochs(n)");
            return history;
        }
        Nd4j.getRandom().setSeed(seed);
        BatchAccuracy accuracy = new BatchAccuracy();
        Collection<TrainingListener> listeners = new ArrayList<>(model.listeners());
        List<TrainingListener> withAccuracy = new ArrayList<>(listeners);
        withAccuracy.add(accuracy);
        model.listeners(withAccuracy);
        String[] plotIds = null;
        long start = System.nanoTime();
        int batchesPerEpoch = trainSize > 0 ? (trainSize + batchSize - 1) / batchSize : -1;
        long batchesDone = 0;
        try {
            for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                train.reset();
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                int batch = 0;
                while (train.hasNext()) {
                    DataSet ds = train.next();
                    if (epoch == firstEpoch && batch == 0) {
                        checkModelTakes(ds);
                    }
                    int n = (int) ds.getFeatures().size(0);
                    accuracy.expect(ds.getLabels());
                    model.fit(ds);
                    int right = accuracy.correct() >= 0 ? accuracy.correct() : countCorrect(ds);
                    lossSum += model.score() * n;
                    history.addBatchLoss(model.score());
                    correct += right;
                    seen += n;
                    batch++;
                    batchesDone++;
                    double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
                    progress.update(fraction(epoch - firstEpoch, batch, batchesPerEpoch, epochs - firstEpoch + 1),
                            status(epoch, batch, batchesPerEpoch, lossSum / seen, (double) correct / seen, seen / epochSeconds,
                                    secondsLeft(start, batchesDone, batchesPerEpoch, epochs - epoch, batch)));
                }
                if (seen == 0) {
                    throw new IllegalArgumentException("the training data gave no batches in epoch " + epoch
                            + ": there is nothing to train on (an empty set, or an iterator that needs reset support)");
                }
                model.incrementEpochCount();
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                Evaluation val = validate == null ? null : validate.apply(model);
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                history.add(lossSum / seen, (double) correct / seen, val == null ? Double.NaN : val.loss(),
                        val == null ? Double.NaN : val.accuracy(), seconds, seen / trainSeconds);
                batchesPerEpoch = batch;
                progress.log(history.epochLine(epoch));
                if (livePlot && Display.inNotebook()) {
                    plotIds = showCurves(history, plotIds);
                }
                if (checkpointMonitor != null) {
                    double value = history.last(checkpointMonitor.name());
                    if (checkpointMonitor.better(value, checkpointBest)) {
                        checkpointBest = value;
                        Checkpoint.save(checkpointPath, model.model(), history.copy());
                        progress.log("  " + checkpointMonitor.name() + " improved: saved to " + checkpointPath);
                    }
                }
                if (stopper != null) {
                    boolean stop = stopper.observe(epoch, history.last(stopper.monitor().name()));
                    if (stopper.bestEpoch() == epoch && restoreBestWeights) {
                        bestParams = model.params().dup();
                        bestParamsEpoch = epoch;
                    }
                    if (stop) {
                        history.stoppedAt(epoch);
                        break;
                    }
                }
            }
        } finally {
            model.listeners(listeners);
        }
        String restored = "";
        if (stopper != null && restoreBestWeights && bestParams != null && bestParamsEpoch != history.epochs()) {
            model.setParams(bestParams);
            history.restored(bestParamsEpoch);
            restored = ", weights of epoch " + bestParamsEpoch + " restored";
        }
        progress.finish(summary(history, (System.nanoTime() - start) / 1e9) + restored);
        return history;
    }

    /** Loads the checkpoint into {@link #model} (so the learner's variable holds the trained weights) and returns its history. */
    private History resumeInto() {
        Checkpoint saved = Checkpoint.load(resumePath);
        Net from = Net.of(saved.network());
        if (!from.kind().equals(model.kind()) || from.numParams() != model.numParams() || from.layers() != model.layers()) {
            throw new IllegalArgumentException("the checkpoint " + resumePath + " holds a " + from.kind() + " with " + from.layers()
                    + " layers and " + from.numParams() + " parameters, but this model is a " + model.kind() + " with "
                    + model.layers() + " layers and " + model.numParams() + ": resume with the same architecture");
        }
        model.setParams(from.params());
        INDArray state = from.updaterState();
        if (state != null) {
            model.updaterState().assign(state);
        }
        model.epochCount(from.epochCount());
        model.iterationCount(from.iterationCount());
        return saved.history().copy();
    }

    private void checkModelTakes(DataSet batch) {
        INDArray one = batch.getFeatures().get(NDArrayIndex.interval(0, 1));
        INDArray out;
        try {
            out = model.output(one, false);
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalArgumentException("the model cannot take images of shape "
                    + Arrays.toString(Arrays.copyOfRange(one.shape(), 1, one.rank())) + " ([channels, height, width]): "
                    + why + ". Build the model for the data's shape, e.g. Models.seedCnn(height, width, channels, classes)", e);
        }
        long classes = batch.getLabels().size(1);
        if (out.size(1) != classes) {
            throw new IllegalArgumentException("the model predicts " + out.size(1) + " classes but the labels have " + classes
                    + ": build the model with " + classes + " classes");
        }
    }

    /** Counts correct answers with a separate forward pass, for output layers {@link BatchAccuracy} cannot read. */
    private int countCorrect(DataSet ds) {
        return BatchAccuracy.matches(model.output(ds.getFeatures(), false), ds.getLabels());
    }

    private static String[] showCurves(History history, String[] ids) {
        if (ids == null) {
            return new String[] {history.lossPlot().show(), history.accuracyPlot().show()};
        }
        history.lossPlot().update(ids[0]);
        history.accuracyPlot().update(ids[1]);
        return ids;
    }

    private static double fraction(int epochsDone, int batch, int batchesPerEpoch, int epochsToRun) {
        double within = batchesPerEpoch > 0 ? Math.min(1, (double) batch / batchesPerEpoch) : 0;
        return (epochsDone + within) / epochsToRun;
    }

    private static double secondsLeft(long start, long batchesDone, int batchesPerEpoch, int epochsAfterThis, int batch) {
        if (batchesPerEpoch <= 0) {
            return Double.NaN;
        }
        long left = Math.max(0, batchesPerEpoch - batch) + (long) epochsAfterThis * batchesPerEpoch;
        return (System.nanoTime() - start) / 1e9 / batchesDone * left;
    }

    private String status(int epoch, int batch, int batchesPerEpoch, double loss, double acc, double imagesPerSecond, double left) {
        return String.format(Locale.ROOT, "epoch %d/%d · batch %d%s · loss %.4f · accuracy %.2f%% · %.0f img/s%s",
                epoch, epochs, batch, batchesPerEpoch > 0 ? "/" + batchesPerEpoch : "", loss, 100 * acc, imagesPerSecond,
                Double.isNaN(left) ? "" : " · " + clock(left) + " left");
    }

    private static String summary(History h, double seconds) {
        String line = String.format(Locale.ROOT, "%d epochs in %s · %.0f img/s · loss %.4f · accuracy %.2f%%",
                h.epochs(), clock(seconds), h.imagesPerSecond(), h.last("loss"), 100 * h.last("accuracy"));
        if (h.hasValidation()) {
            line += String.format(Locale.ROOT, " · val_loss %.4f · val_accuracy %.2f%%", h.last("val_loss"), 100 * h.last("val_accuracy"));
        }
        return h.stoppedEarly() ? line + " · stopped early at epoch " + h.stoppedEpoch() : line;
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static void requireImages(ImageSet set, String what) {
        if (set == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (set.size() == 0) {
            throw new IllegalArgumentException(what + " '" + set.name() + "' has no images: there is nothing to train on");
        }
    }

    private static String shape(ImageSet set) {
        return Arrays.toString(set.shape());
    }
}
