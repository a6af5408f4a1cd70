package convkit.models;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The course's models by name, each a {@link Sequential} list written layer for layer like the seeds' Keras code.
 *
 * <pre>{@code
 * MultiLayerNetwork cnn = Models.seedCnn(28, 28, 1, 10);   // seed 002's MNIST CNN, Adam
 * MultiLayerNetwork mlp = Models.mlp(28, 28, 1, 10);        // 784-256-256-10 on flattened pixels
 * MultiLayerNetwork sgd = Models.seedCnn(28, 28, 1, 10, new Sgd(0.01));   // the same CNN with plain SGD
 * }</pre>
 */
public final class Models {

    /** The seed used for weight initialisation unless a lesson says otherwise. */
    public static final long SEED = 42;

    private Models() {
    }

    /** Seed 002's CNN with Adam (learning rate 0.001, Keras' default). */
    public static MultiLayerNetwork seedCnn(int height, int width, int channels, int classes) {
        return seedCnn(height, width, channels, classes, new Adam(1e-3));
    }

    /**
     * Seed 002's CNN, its Keras list line for line; categorical cross-entropy.
     * (DL4J's dropout argument is the probability of keeping a unit; {@link Sequential#dropout} takes Keras' rate.)
     */
    public static MultiLayerNetwork seedCnn(int height, int width, int channels, int classes, IUpdater updater) {
        return Sequential.input(height, width, channels).optimizer(updater)
                .conv2d(32, 3, "same", "relu")
                .conv2d(32, 3, "same", "relu")
                .maxPool(2, "same")
                .dropout(0.25)
                .conv2d(64, 3, "same", "relu")
                .conv2d(64, 3, "same", "relu")
                .maxPool(2, "same")
                .flatten()
                .dense(256, "relu")
                .dense(256, "relu")
                .dropout(0.5)
                .dense(classes, "softmax")
                .build();
    }

    /**
     * A multi-layer perceptron on flattened pixels: (height*width*channels)-256-256-classes, ReLU, softmax, Adam.
     * It takes the same image batches as the CNN; Flatten in front of the first dense layer is exactly where the
     * image's shape is lost.
     */
    public static MultiLayerNetwork mlp(int height, int width, int channels, int classes) {
        return mlp(height, width, channels, classes, new Adam(1e-3));
    }

    /** The same multi-layer perceptron with another optimizer, e.g. {@code new Sgd(0.01)}. */
    public static MultiLayerNetwork mlp(int height, int width, int channels, int classes, IUpdater updater) {
        return Sequential.input(height, width, channels).optimizer(updater)
                .flatten()
                .dense(256, "relu")
                .dense(256, "relu")
                .dense(classes, "softmax")
                .build();
    }

    /**
     * {@code graph} itself when it has one input and one output, as training and evaluation need (they feed one batch
     * of images and read one batch of class probabilities); otherwise an error saying what the graph has.
     */
    public static ComputationGraph singleInputOutput(ComputationGraph graph) {
        if (graph == null) {
            throw new IllegalArgumentException("model is null: build one first, e.g. Transfer.from(Pretrained.vgg16(), 224, 224, 3)"
                    + ".keepUpTo(\"block5_pool\").freeze().head(classes).build()");
        }
        var conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("this ComputationGraph has " + conf.getNetworkInputs().size() + " inputs "
                    + conf.getNetworkInputs() + " and " + conf.getNetworkOutputs().size() + " outputs " + conf.getNetworkOutputs()
                    + ": the course trains and evaluates graphs with one input (the images) and one output (the class"
                    + " probabilities); train a graph with several with DL4J's own fit(MultiDataSet)");
        }
        return graph;
    }
}
