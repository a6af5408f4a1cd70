package convkit.galaxy;

import convkit.data.ImageSet;
import convkit.display.Plot;
import convkit.display.Table;
import convkit.env.Require;
import convkit.evaluation.Evaluation;
import convkit.report.Report;
import convkit.training.Checkpoint;
import convkit.training.History;
import convkit.training.SideBySide;
import convkit.training.Training;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;

/**
 * Seed 000's accuracy table with the kit's column: each model trained by the seed's protocol (a checkpoint keeps the
 * best epoch, which is reloaded for the test), its test accuracy recorded next to the seed's figure, and at the end
 * every row side by side, as a table and as bars.
 *
 * <pre>{@code
 * var table = ResultsTable.of("06", train, validation, test, Checkpoint.folder("06-galaxy-classification"));
 * table.train("Practice model 1", "85.62%", Training.of(practice1).epochs(15).batchSize(16).earlyStopping("val_loss", 10));
 * table.show("Galaxy classification: test accuracy");
 * }</pre>
 */
public final class ResultsTable {

    /** One row: the seed's figure (or null), the kit's test accuracy, the training run, its best checkpoint (or null). */
    public record Row(String seed, double accuracy, History history, Path checkpoint) {
    }

    private final String lesson;
    private final ImageSet train;
    private final ImageSet validation;
    private final ImageSet test;
    private final Path checkpoints;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private double trainingSeconds;

    private ResultsTable(String lesson, ImageSet train, ImageSet validation, ImageSet test, Path checkpoints) {
        this.lesson = lesson;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.checkpoints = checkpoints;
    }

    /**
     * A table for {@code lesson} (the prefix of its report figures): models train on {@code train}, keep their best
     * epoch by validation loss on {@code validation} in {@code checkpoints}, and are tested on {@code test}.
     */
    public static ResultsTable of(String lesson, ImageSet train, ImageSet validation, ImageSet test, Path checkpoints) {
        String fix = "give the lesson's training, validation and test sets and Checkpoint.folder(lesson)";
        return new ResultsTable(Require.notNull(lesson, "the lesson", fix), Require.notNull(train, "the training set", fix),
                Require.notNull(validation, "the validation set", fix), Require.notNull(test, "the test set", fix),
                Require.notNull(checkpoints, "the checkpoint folder", fix));
    }

    /**
     * Trains with {@code training} (named {@code name}) and a checkpoint of the best epoch, reloads that epoch, tests it,
     * records its accuracy next to the seed's figure ({@code seed}, or null) and returns the accuracy.
     */
    public double train(String name, String seed, Training training) {
        return sideBySide().model(name, seed, training).train().get(0);
    }

    /**
     * Models to train at once ({@link SideBySide}: each on its share of the processor's threads), each kept, tested and
     * recorded as {@link #train} does; their rows come in the order given.
     * <pre>{@code
     * table.sideBySide()
     *         .model("Practice model 1", "85.62%", Training.of(practice1).epochs(15).batchSize(16))
     *         .model("Practice model 2", "86.88%", Training.of(practice2).epochs(15).batchSize(16))
     *         .train();
     * }</pre>
     */
    public Together sideBySide() {
        return new Together();
    }

    /** Models that train together into this table; {@link #train()} runs them. */
    public final class Together {

        private record Entry(String name, String seed, Training training, Path file) {
        }

        private final List<Entry> entries = new ArrayList<>();

        private Together() {
        }

        /** Adds a model to train under {@code name}, with the seed's figure for it ({@code seed}, or null). */
        public Together model(String name, String seed, Training training) {
            Require.notNull(name, "the model's name", "give each model a name, e.g. \"Practice model 1\"");
            Require.notNull(training, "training", "describe the run, e.g. Training.of(model).epochs(15).batchSize(16)");
            requireNewName(name, entries.stream().anyMatch(e -> e.name().equals(name)));
            Path file = checkpoints.resolve(name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".zip");
            entries.add(new Entry(name, seed, training.name(name).checkpoint(file), file));
            return this;
        }

        /** Trains the models at once, tests each one's best epoch and records it; their test accuracies in order. */
        public List<Double> train() {
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("no models to train: add them with .model(name, seed, Training.of(model)...)");
            }
            long start = System.nanoTime();
            List<History> histories = SideBySide.of(entries.stream().map(Entry::training).toList()).fit(train, validation);
            trainingSeconds += (System.nanoTime() - start) / 1e9;
            List<Double> accuracies = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                accuracies.add(put(e.name(), new Row(e.seed(), testBest(e.file()), histories.get(i), e.file())));
            }
            return accuracies;
        }
    }

    /**
     * The test accuracy of the epoch saved in {@code file}. Its weights are read without the optimizer's state and
     * freed right after, so the model in training and its best epoch are not both held in full (in Binder's 2 GB,
     * lesson 06's VGG16 fix stopped on that second copy).
     */
    private double testBest(Path file) {
        NeuralNetwork best = Checkpoint.loadModel(file);
        try {
            return Evaluation.of(best, test).accuracy();
        } finally {
            ((Model) best).close();
        }
    }

    /** Adds a model tested as it came out of training (no checkpoint), records its accuracy and returns it. */
    public double add(String name, String seed, History history, double accuracy) {
        put(name, new Row(seed, accuracy, Require.notNull(history, "history", "give what Training's fit returned"), null));
        trainingSeconds += history.seconds();
        return accuracy;
    }

    private double put(String name, Row row) {
        requireNewName(name, false);
        rows.put(name, row);
        Report.accuracy(lesson + " " + name + ", test accuracy", row.accuracy(), row.seed());
        return row.accuracy();
    }

    /** Refuses a name the table has, or that {@code taken} says is waiting to train, before any training time is spent. */
    private void requireNewName(String name, boolean taken) {
        if (taken || rows.containsKey(name)) {
            throw new IllegalArgumentException("the table has a row \"" + name + "\" already: give each model its own name");
        }
    }

    /** The row of {@code name}, or an error listing the rows there are. */
    public Row row(String name) {
        Row row = rows.get(name);
        if (row == null) {
            throw new IllegalArgumentException("no row \"" + name + "\": the table has " + rows.keySet());
        }
        return row;
    }

    /** The names of the rows, in the order they were added. */
    public List<String> names() {
        return List.copyOf(rows.keySet());
    }

    /** The seconds the rows' training took on the clock: models trained side by side count once. */
    public double trainingSeconds() {
        return trainingSeconds;
    }

    /** Shows the rows: the seed's accuracy next to the kit's, as bars and as a table. */
    public void show(String title) {
        String[] names = rows.keySet().toArray(new String[0]);
        double[] seedValues = new double[names.length];
        double[] kitValues = new double[names.length];
        var table = Table.of(title, "model", "seed", "ConvKit");
        for (int i = 0; i < names.length; i++) {
            Row row = rows.get(names[i]);
            seedValues[i] = row.seed() == null ? 0 : Double.parseDouble(row.seed().replace("%", ""));
            kitValues[i] = 100 * row.accuracy();
            table.row(names[i], row.seed() == null ? "-" : row.seed(), Report.percent(row.accuracy()));
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("seed", seedValues);
        series.put("ConvKit", kitValues);
        Plot.bars(title, "model", "accuracy (%)", names, series).show();
        table.show();
    }
}
