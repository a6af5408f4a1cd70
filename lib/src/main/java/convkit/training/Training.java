package convkit.training;

import convkit.data.DataFiles;
import convkit.data.ImageSet;
import convkit.display.Progress;
import convkit.env.Memory;
import convkit.env.Require;
import convkit.evaluation.Evaluation;
import convkit.models.Models;
import convkit.models.Network;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.util.CrashReportingUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a network the way Keras' {@code fit} does: epochs of mini-batches, validation after each epoch, and
 * {@link Callback}s told at each step: the live progress line and curves, early stopping, a checkpoint that keeps the
 * best model, and your own. With a checkpoint, an interrupted training goes on from its last finished epoch.
 *
 * <pre>{@code
 * History h = Training.of(cnn).epochs(10).batchSize(64)
 *         .earlyStopping("val_loss", 3)                // restores the best epoch's weights at the end
 *         .checkpoint(Path.of("cnn-best.zip"))        // keeps only the best model (by val_loss), and resumes
 *         .callbacks(Callback.atEpochEnd((run, logs) -> { if (logs.get("val_accuracy") > 0.99) run.stop(); }))
 *         .seed(42)
 *         .fit(train, test);
 * Training.of(vgg16Head).epochs(3).fit(train, test);  // a ComputationGraph (one input, one output) trains the same way
 * }</pre>
 * Loss is the categorical cross-entropy; training loss and accuracy are averaged over the epoch's batches as
 * they were trained (dropout on), validation values are computed after the epoch (dropout off), as in Keras.
 * <p>
 * With {@code .checkpoint(path)}, every epoch also writes a resumable state next to it ({@code cnn-best.resume.zip}).
 * A later fit of the same network (architecture and starting weights) with the same settings continues after the
 * last saved epoch, or, when that training had finished, only reloads it; {@link #fresh()} trains from the start.
 */
public final class Training {

    private static boolean crashReportsMoved;

    private final Network network;
    private String name = "";
    private int epochs = 10;
    private int batchSize = 32;
    private long seed = Models.SEED;
    private boolean shuffle = true;
    private EarlyStopping earlyStopping;
    private BestCheckpoint checkpoint;
    private Path resumePath;
    private boolean fresh;
    private boolean livePlot = true;
    private final List<Callback> callbacks = new ArrayList<>();
    private BooleanSupplier abort = () -> false;

    private Training(Network network) {
        this.network = network;
    }

    /**
     * Starts describing how to train {@code network}, a MultiLayerNetwork or a ComputationGraph with one input (the
     * images) and one output (the class probabilities): 10 epochs, batch 32, seed 42, shuffled, no early stopping.
     */
    public static Training of(NeuralNetwork network) {
        return new Training(Network.of(Require.notNull(network, "Training.of(network)",
                "build the network first, e.g. var cnn = Models.seedCnn(28, 28, 1, 10), then Training.of(cnn)")));
    }

    /** A name for the progress display ("Training CNN"). */
    public Training name(String name) {
        this.name = name == null ? "" : name;
        return this;
    }

    /** The total number of epochs (when resuming, counted from the first epoch of the saved run). */
    public Training epochs(int epochs) {
        this.epochs = Require.positive(epochs, "epochs");
        return this;
    }

    /** Images per update; applies when training data is an {@link ImageSet} (an iterator has its own). */
    public Training batchSize(int batchSize) {
        this.batchSize = Require.positive(batchSize, "batch size");
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

    /** Stops when {@code monitor} has not improved for {@code patience} epochs, then restores the best weights. */
    public Training earlyStopping(String monitor, int patience) {
        return earlyStopping(EarlyStopping.on(monitor, patience));
    }

    /** Stops as {@code stopper} says, e.g. {@code EarlyStopping.on("val_accuracy", 5).restoreBestWeights(false)}. */
    public Training earlyStopping(EarlyStopping stopper) {
        this.earlyStopping = Require.notNull(stopper, "earlyStopping(stopper)", "pass EarlyStopping.on(\"val_loss\", 3)");
        return this;
    }

    /** Saves the model to {@code path} whenever {@code val_loss} improves (Keras' ModelCheckpoint default). */
    public Training checkpoint(Path path) {
        return checkpoint(path, "val_loss");
    }

    /** Saves the model to {@code path} whenever {@code monitor} improves, so the file always holds the best epoch. */
    public Training checkpoint(Path path, String monitor) {
        Require.notNull(path, "checkpoint(path)", "give the .zip file to keep the best model in, e.g."
                + " Checkpoint.folder(\"03-mlp-vs-cnn\").resolve(\"cnn-best.zip\"), or leave .checkpoint out");
        this.checkpoint = new BestCheckpoint(path, Monitor.of(monitor));
        return this;
    }

    /** Starts from a checkpoint: its weights, optimizer state and history; training goes on at its epoch + 1. */
    public Training resume(Path checkpoint) {
        this.resumePath = Require.notNull(checkpoint, "resume(checkpoint)", "give the .zip file a training with .checkpoint(path) wrote");
        return this;
    }

    /** Trains from the start even when {@code .checkpoint(path)} finds a saved state of this training. */
    public Training fresh() {
        this.fresh = true;
        return this;
    }

    /** Whether to draw the loss and accuracy curves in the notebook, updated after every epoch (default true). */
    public Training livePlot(boolean livePlot) {
        this.livePlot = livePlot;
        return this;
    }

    /** Adds callbacks of your own; they run after the kit's, in the order given. */
    public Training callbacks(Callback... more) {
        for (Callback c : more) {
            callbacks.add(Require.notNull(c, "callbacks(...)", "pass callbacks, e.g. Callback.atEpochEnd((run, logs) -> ...)"));
        }
        return this;
    }

    /** The network this training updates ({@link SideBySide} checks that no model is given twice). */
    Network network() {
        return network;
    }

    /** The name given with {@link #name(String)}, or "" when none was given. */
    String name() {
        return name;
    }

    /** The name the progress display shows, or "a training" when none was given. */
    String displayName() {
        return name.isBlank() ? "a training" : name;
    }

    /** Ends the fit after its current batch once {@code abort} says so (null: never), for {@link SideBySide}. */
    Training abortWhen(BooleanSupplier abort) {
        this.abort = abort == null ? () -> false : abort;
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
        Require.notNull(train, "the training batches", "pass an iterator, e.g. Augmentation...batches(train, 32)");
        if (validation != null) {
            requireImages(validation, "validation data");
        }
        return run(train, -1, validator(validation));
    }

    /** Trains on batches from an iterator, validating on another iterator's batches (may be null). */
    public History fit(DataSetIterator train, DataSetIterator validation) {
        Require.notNull(train, "the training batches", "pass an iterator, e.g. Augmentation...batches(train, 32)");
        return run(train, -1, validation == null ? null : net -> Evaluation.of(net.network(), validation));
    }

    private static Function<Network, Evaluation> validator(ImageSet validation) {
        return validation == null ? null : net -> Evaluation.of(net.network(), validation);
    }

    /** The loop: every step of the work is a callback's; this only trains the batches and says when. */
    private History run(DataSetIterator train, int trainSize, Function<Network, Evaluation> validate) {
        checkSettings(validate != null);
        crashReportsToCache();
        Progress progress = Progress.start(name.isBlank() ? "Training" : "Training " + name);
        List<Callback> all = new ArrayList<>();   // filled below; the resumable state reads early stopping's part from it
        ResumeState resume = checkpoint == null ? null : new ResumeState(checkpoint.path(), network, settings(trainSize), all);
        Nd4j.getRandom().setSeed(seed);
        Start start = start(resume, progress);
        Run run = new Run(network, start.history(), progress, epochs, trainSize > 0 ? (trainSize + batchSize - 1) / batchSize : -1);
        all.addAll(callbacks(start, resume));
        if (run.firstEpoch() <= epochs && !run.stopping()) {
            skipEpochs(train, run.firstEpoch() - 1);
        }
        all.forEach(c -> c.onTrainBegin(run));
        try (BatchAccuracy accuracy = BatchAccuracy.on(network)) {
            for (int epoch = run.firstEpoch(); epoch <= epochs && !run.stopping(); epoch++) {
                run.startEpoch(epoch);
                all.forEach(c -> c.onEpochBegin(run));
                Logs logs = trainEpoch(run, train, accuracy, validate, all);
                all.forEach(c -> c.onEpochEnd(run, logs));
                Memory.release();   // an epoch's freed batches and temporaries back to the system (Binder's 2 GB)
            }
        }
        all.forEach(c -> c.onTrainEnd(run));
        Memory.release();
        return start.history();
    }

    /** One epoch's batches, each followed by the callbacks' onBatchEnd; returns the epoch's values, validation included. */
    private Logs trainEpoch(Run run, DataSetIterator train, BatchAccuracy accuracy, Function<Network, Evaluation> validate,
            List<Callback> all) {
        long start = System.nanoTime();
        train.reset();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        while (train.hasNext()) {
            DataSet batch = train.next();
            if (run.batchesDone() == 0) {
                checkModelTakes(batch);
            }
            int n = (int) batch.getFeatures().size(0);
            accuracy.expect(batch.getLabels());
            fitOne(batch);
            lossSum += network.score() * n;
            correct += accuracy.correctIn(batch);
            seen += n;
            run.batchDone();
            if (abort.getAsBoolean()) {
                throw new CancellationException("stopped after batch " + run.batch() + " of epoch " + run.epoch()
                        + " because a training beside it failed or was interrupted");
            }
            if (run.batchesDone() % 16 == 0) {
                Memory.collectIfGrowing();   // ND4J frees an array only after the collector finds it unreachable
            }
            Logs logs = new Logs(Map.of("loss", lossSum / seen, "accuracy", (double) correct / seen,
                    "batch_loss", network.score(), "images", (double) seen));
            all.forEach(c -> c.onBatchEnd(run, logs));
        }
        if (seen == 0) {
            throw new IllegalArgumentException("the training data gave no batches in epoch " + run.epoch()
                    + ": there is nothing to train on (an empty set, or an iterator that needs reset support)");
        }
        network.incrementEpochCount();
        run.epochDone();
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Evaluation val = validate == null ? null : validate.apply(network);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", lossSum / seen);
        values.put("accuracy", (double) correct / seen);
        values.put("val_loss", val == null ? Double.NaN : val.loss());
        values.put("val_accuracy", val == null ? Double.NaN : val.accuracy());
        values.put("seconds", (System.nanoTime() - start) / 1e9);
        values.put("images_per_second", seen / trainSeconds);
        return new Logs(values);
    }

    /** The kit's callbacks in the order their output must come, then the learner's, then the resumable state's. */
    private List<Callback> callbacks(Start start, ResumeState resume) {
        List<Callback> list = new ArrayList<>(List.of(start.history()));
        if (earlyStopping != null) {
            list.add(earlyStopping);
        }
        list.add(new ProgressLine(start.from(), start.from() != null && start.from().equals(resume == null ? null : resume.file())));
        if (livePlot) {
            list.add(new LivePlot());
        }
        if (checkpoint != null) {
            list.add(checkpoint);
        }
        list.addAll(callbacks);
        if (resume != null) {
            list.add(resume);
        }
        return list;
    }

    /** The history a fit starts from, and the file it was read from (null for a new one). */
    private record Start(History history, Path from) {
    }

    /** A new history, or the one of the checkpoint given to {@link #resume}, or of this training's resumable state. */
    private Start start(ResumeState resume, Progress progress) {
        if (resumePath != null) {
            return new Start(Checkpoint.load(resumePath).loadInto(network, resumePath), resumePath);
        }
        if (resume != null && fresh && Files.exists(resume.file())) {
            progress.log("training from the start, as asked: the saved state " + resume.file() + " will be replaced");
        }
        if (resume != null && !fresh) {
            StringBuilder note = new StringBuilder();
            History saved = resume.load(network, note);
            if (!note.isEmpty()) {
                progress.log(note.toString());
            }
            if (saved != null) {
                return new Start(saved, resume.file());
            }
        }
        return new Start(new History(), null);
    }

    /** Fails before any training time is spent: monitors that need validation data, a checkpoint that cannot be written. */
    private void checkSettings(boolean validated) {
        for (Monitor m : new Monitor[] {earlyStopping == null ? null : earlyStopping.monitor(), checkpoint == null ? null : checkpoint.monitor()}) {
            if (m != null && m.needsValidation() && !validated) {
                throw new IllegalArgumentException("monitoring " + m.name() + " needs validation data: pass it to fit(train, validation)"
                        + " or monitor '" + m.name().substring(4) + "' instead");
            }
        }
        if (checkpoint != null) {
            Checkpoint.checkWritable(checkpoint.path());
        }
    }

    /** The settings that change what the epochs compute (not their number: asking for more goes on from the saved ones). */
    private String settings(int trainSize) {
        return String.join(" ", "batch=" + batchSize, "seed=" + seed, "shuffle=" + shuffle, "train=" + trainSize,
                earlyStopping == null ? "" : "stop=" + earlyStopping.monitor().name() + "/" + earlyStopping.patience(),
                "checkpoint=" + checkpoint.monitor().name());
    }

    /** Moves {@code train} past the epochs a resumed run already trained, so shuffling and augmentation go on as they would have. */
    private static void skipEpochs(DataSetIterator train, int epochs) {
        for (int e = 0; e < epochs; e++) {
            train.reset();
            while (train.hasNext()) {
                train.next();
            }
        }
    }

    /** One update; a batch too large for the memory bounds is explained with the way out. */
    private void fitOne(DataSet batch) {
        try {
            network.fit(batch);
        } catch (OutOfMemoryError | RuntimeException e) {
            if (!outOfMemory(e)) {
                throw e;
            }
            long n = batch.getFeatures().size(0);
            throw new IllegalStateException(String.format(Locale.ROOT, "a batch of %d images does not fit in memory (bounds: %s"
                    + " of Java heap, %s for the whole kernel, DL4J's arrays included): lower the batch size, e.g. .batchSize(%d),"
                    + " or give the kernel more memory; DL4J said: %s", n, mib(Runtime.getRuntime().maxMemory()),
                    mib(Pointer.maxPhysicalBytes()), Math.max(1, n / 2), firstLine(e)), e);
        }
    }

    /** True when {@code e} or a cause is an out-of-memory error, or DL4J's wrapper of one (its forward pass failing to allocate). */
    static boolean outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof OutOfMemoryError || message.contains("Cannot allocate") || message.contains("memory usage is too high")
                    || message.contains("Out of memory") || message.contains("Error during neural network forward pass")) {
                return true;
            }
        }
        return false;
    }

    private void checkModelTakes(DataSet batch) {
        INDArray one = batch.getFeatures().get(NDArrayIndex.interval(0, 1));
        INDArray out;
        try {
            out = network.output(one, false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the model cannot take images of shape "
                    + Arrays.toString(Arrays.copyOfRange(one.shape(), 1, one.rank())) + " ([channels, height, width]): "
                    + firstLine(e) + ". Build the model for the data's shape, e.g. Models.seedCnn(height, width, channels, classes)", e);
        }
        long classes = batch.getLabels().size(1);
        if (out.size(1) != classes) {
            throw new IllegalArgumentException("the model predicts " + out.size(1) + " classes but the labels have " + classes
                    + ": build the model with " + classes + " classes");
        }
    }

    private static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    /**
     * DL4J writes a memory report (dl4j-memory-crash-dump-*.txt) into the working folder, the learner's notebooks,
     * when a fit runs out of memory; it goes to the data cache's crash-dumps/ instead. Left as DL4J has it when the
     * cache cannot be made.
     */
    private static synchronized void crashReportsToCache() {
        if (!crashReportsMoved) {
            try {
                CrashReportingUtil.crashDumpOutputDirectory(DataFiles.cacheFolder().resolve("crash-dumps").toFile());
            } catch (UncheckedIOException e) {
                // DL4J's default folder; the training itself reports the cache's problem where it needs the cache
            }
            crashReportsMoved = true;
        }
    }

    private static String mib(long bytes) {
        return bytes <= 0 ? "no bound" : String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    private static void requireImages(ImageSet set, String what) {
        Require.notNull(set, what, "pass an ImageSet, e.g. mnist.train()");
        if (set.size() == 0) {
            throw new IllegalArgumentException(what + " '" + set.name() + "' has no images: there is nothing to train on");
        }
    }

    private static String shape(ImageSet set) {
        return Arrays.toString(set.shape());
    }
}
