package convkit.evaluation;

import convkit.data.ImageSet;
import convkit.display.Images;
import convkit.env.Require;
import convkit.models.Network;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A model's predictions on a labelled set, like Keras' {@code model.evaluate} plus what a lesson looks at
 * afterwards: accuracy, loss, the confusion matrix, per-class precision and recall, and pictures of the mistakes.
 *
 * <pre>{@code
 * Evaluation result = Evaluation.of(cnn, mnist.test());
 * result.accuracy();                  // 0.9931
 * result.confusion().show();          // heatmap with the class names on both axes
 * result.confusion().showTable("Per class");
 * result.showMistakes(16);            // the most confident wrong answers, titled GT:x PR:y
 * result.showPredictions(4, 8);       // seed 003's 4x8 grid
 * Evaluation.of(vgg16Head, galaxies.test());   // a ComputationGraph with one input and one output works the same
 * }</pre>
 * Not DL4J's {@code org.nd4j.evaluation.classification.Evaluation} (what {@code network.evaluate(iterator)} returns):
 * this one keeps every prediction, so it can draw the mistakes. Write DL4J's with its full name where both are needed.
 */
public final class Evaluation {

    /** Probabilities below this count as this value in the loss, as in Keras' categorical cross-entropy. */
    private static final double EPSILON = 1e-7;
    private static final int BATCH = 256;
    /**
     * Pixel values per forward pass: 256 images of MNIST's size (up to 1,875 values), 64 of 50x50x3, fewer of larger
     * ones. DL4J keeps the memory of the largest pass for the rest of the session (its workspaces), so this bound is
     * what a learner's kernel pays for good: at 256 galaxy images the tutorial model of lesson 06 held 236 MB of a
     * 2 GB Binder kernel.
     */
    private static final long VALUES_PER_BATCH = 64 * 50 * 50 * 3;

    private final ImageSet images;
    private final List<String> classes;
    private final int[] actual;
    private final int[] predicted;
    private final float[][] probabilities;
    private final double loss;

    private Evaluation(ImageSet images, List<String> classes, int[] actual, float[][] probabilities) {
        this.images = images;
        this.classes = classes;
        this.actual = actual;
        this.probabilities = probabilities;
        this.predicted = new int[actual.length];
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            predicted[i] = argMax(probabilities[i]);
            sum -= Math.log(Math.max(EPSILON, probabilities[i][actual[i]]));
        }
        this.loss = sum / actual.length;
    }

    /**
     * Runs the network (a MultiLayerNetwork, or a ComputationGraph with one input and one output) over every image of
     * the set, in order, in batches of 256 or fewer, in inference mode (no dropout).
     */
    public static Evaluation of(NeuralNetwork network, ImageSet set) {
        Require.notNull(set, "the images to evaluate on", "pass an ImageSet, e.g. Evaluation.of(cnn, mnist.test())");
        return ofImages(forward(network), set);
    }

    /**
     * Runs the network over every batch the iterator gives (after a reset); the class names come from the
     * iterator's labels when it has them, else they are the indices "0", "1", ...
     */
    public static Evaluation of(NeuralNetwork network, DataSetIterator batches) {
        Require.notNull(batches, "the batches to evaluate on", "pass an iterator, or an ImageSet such as mnist.test()");
        return ofBatches(forward(network), batches);
    }

    private static UnaryOperator<INDArray> forward(NeuralNetwork network) {
        Network net = Network.of(Require.notNull(network, "Evaluation.of(network, ...)",
                "pass a trained network, e.g. Evaluation.of(cnn, mnist.test()) or Evaluation.of(Checkpoint.load(path).model(), test)"));
        return x -> net.output(x, false);
    }

    private static Evaluation ofImages(UnaryOperator<INDArray> model, ImageSet set) {
        if (set.size() == 0) {
            throw new IllegalArgumentException(set.name() + " has no images: nothing to evaluate");
        }
        return collect(model, set.batches(imagesPerPass(set), false, 0), set, set.classes());
    }

    /** Images per forward pass over {@code set}: 256, or fewer when they are large (see {@link #VALUES_PER_BATCH}). */
    static int imagesPerPass(ImageSet set) {
        long values = (long) set.shape()[0] * set.shape()[1] * set.shape()[2];
        return (int) Math.max(1, Math.min(BATCH, VALUES_PER_BATCH / values));
    }

    private static Evaluation ofBatches(UnaryOperator<INDArray> model, DataSetIterator batches) {
        List<String> names = batches.getLabels();
        if (names == null || names.isEmpty()) {
            names = IntStream.range(0, batches.totalOutcomes()).mapToObj(String::valueOf).toList();
        }
        return collect(model, batches, null, names);
    }

    private static Evaluation collect(UnaryOperator<INDArray> model, DataSetIterator batches, ImageSet set, List<String> classes) {
        if (batches.resetSupported()) {
            batches.reset();
        }
        List<float[]> probs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            INDArray out = model.apply(batch.getFeatures());
            if (out.size(1) != batch.getLabels().size(1)) {
                throw new IllegalArgumentException("the model predicts " + out.size(1) + " classes but the labels have "
                        + batch.getLabels().size(1) + " columns: build the model with " + batch.getLabels().size(1) + " classes");
            }
            float[][] rows = out.toFloatMatrix();
            INDArray truth = batch.getLabels().argMax(1);
            for (int r = 0; r < rows.length; r++) {
                probs.add(rows[r]);
                labels.add(truth.getInt(r));
            }
        }
        if (probs.isEmpty()) {
            throw new IllegalArgumentException("the evaluation data gave no batches: nothing to evaluate");
        }
        List<String> names = classes.size() == probs.get(0).length ? classes
                : IntStream.range(0, probs.get(0).length).mapToObj(String::valueOf).toList();
        return new Evaluation(set, names, labels.stream().mapToInt(Integer::intValue).toArray(), probs.toArray(new float[0][]));
    }

    /** Share of correct predictions. */
    public double accuracy() {
        int correct = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] == predicted[i]) {
                correct++;
            }
        }
        return (double) correct / actual.length;
    }

    /** Mean categorical cross-entropy: minus the log of the probability given to the true class. */
    public double loss() {
        return loss;
    }

    /** Number of examples evaluated. */
    public int size() {
        return actual.length;
    }

    /** The class names. */
    public List<String> classes() {
        return classes;
    }

    /** True class index of example {@code i}. */
    public int actual(int i) {
        return actual[i];
    }

    /** Predicted class index of example {@code i}. */
    public int predicted(int i) {
        return predicted[i];
    }

    /** The probability the model gave to class {@code c} for example {@code i}. */
    public double probability(int i, int c) {
        return probabilities[i][c];
    }

    /** Counts of (true, predicted) pairs. */
    public ConfusionMatrix confusion() {
        return ConfusionMatrix.of(actual, predicted, classes);
    }

    /** Indices of the {@code n} worst mistakes: wrong answers given with the least probability on the true class first. */
    public int[] mistakes(int n) {
        return IntStream.range(0, actual.length).filter(i -> actual[i] != predicted[i]).boxed()
                .sorted(Comparator.comparingDouble(i -> probabilities[i][actual[i]]))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    /** Shows the {@code n} worst mistakes, 8 to a row, titled {@code GT:<true> PR:<predicted>}. */
    public void showMistakes(int n) {
        int[] worst = mistakes(n);
        if (worst.length == 0) {
            convkit.display.Display.text("No mistakes on these " + size() + " examples.");
            return;
        }
        show(worst, 8);
    }

    /** Shows the first {@code rows * columns} examples with their true and predicted classes (seed 003's grid). */
    public void showPredictions(int rows, int columns) {
        show(IntStream.range(0, Math.min(size(), rows * columns)).toArray(), columns);
    }

    /** The title the seeds use under each picture. */
    public String title(int i) {
        return "GT:" + classes.get(actual[i]) + "\nPR:" + classes.get(predicted[i]);
    }

    private void show(int[] indices, int columns) {
        if (images == null) {
            throw new IllegalStateException("this evaluation was made from batches, not an ImageSet, so it has no pictures:"
                    + " evaluate with Evaluation.of(model, imageSet) to see them");
        }
        List<BufferedImage> pictures = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (int i : indices) {
            pictures.add(Images.of(images.image(i)));
            titles.add(title(i));
        }
        Images.grid(pictures, titles, columns, 72);
    }

    private static int argMax(float[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }
}
