package convkit.models;

import convkit.env.Speed;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The course's models, each written layer for layer like the seeds' Keras code.
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
     * Seed 002's CNN: Conv 32 3x3 same ReLU, Conv 32 3x3 same ReLU, MaxPool 2x2 same, Dropout 0.25,
     * Conv 64 3x3 same ReLU, Conv 64 3x3 same ReLU, MaxPool 2x2 same, Flatten, Dense 256 ReLU,
     * Dense 256 ReLU, Dropout 0.5, Dense softmax; categorical cross-entropy.
     * (DL4J's dropout argument is the probability of keeping a unit, so Keras' Dropout(0.25) is 0.75 here.)
     */
    public static MultiLayerNetwork seedCnn(int height, int width, int channels, int classes, IUpdater updater) {
        return initialised(settings(updater)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(conv(32))
                .layer(conv(32))
                .layer(maxPool())
                .layer(new DropoutLayer.Builder(0.75).build())
                .layer(conv(64))
                .layer(conv(64))
                .layer(maxPool())
                .layer(dense(256))
                .layer(dense(256))
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(softmax(classes))
                .setInputType(InputType.convolutional(height, width, channels))
                .build());
    }

    /**
     * A multi-layer perceptron on flattened pixels: (height*width*channels)-256-256-classes, ReLU, softmax, Adam.
     * It takes the same image batches as the CNN; DL4J flattens them in front of the first dense layer,
     * which is exactly where the image's shape is lost.
     */
    public static MultiLayerNetwork mlp(int height, int width, int channels, int classes) {
        return mlp(height, width, channels, classes, new Adam(1e-3));
    }

    /** The same multi-layer perceptron with another optimizer, e.g. {@code new Sgd(0.01)}. */
    public static MultiLayerNetwork mlp(int height, int width, int channels, int classes, IUpdater updater) {
        return initialised(settings(updater)
                .list()
                .layer(dense(256))
                .layer(dense(256))
                .layer(softmax(classes))
                .setInputType(InputType.convolutional(height, width, channels))
                .build());
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

    /** What every course model shares: fast DL4J settings, the fixed seed, the optimizer, Xavier weights. */
    private static NeuralNetConfiguration.Builder settings(IUpdater updater) {
        Speed.configure();
        return new NeuralNetConfiguration.Builder().seed(SEED).updater(updater).weightInit(WeightInit.XAVIER_UNIFORM);
    }

    private static MultiLayerNetwork initialised(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DenseLayer dense(int units) {
        return new DenseLayer.Builder().nOut(units).activation(Activation.RELU).build();
    }

    /** The classifier: softmax over the classes, trained with categorical cross-entropy. */
    private static OutputLayer softmax(int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build();
    }

    private static ConvolutionLayer conv(int filters) {
        return new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }
}
