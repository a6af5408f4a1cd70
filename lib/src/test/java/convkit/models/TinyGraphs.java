package convkit.models;

import convkit.env.Speed;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small {@link ComputationGraph}s for tests: what the zoo gives, at a size a test can train in a second. */
public final class TinyGraphs {

    private TinyGraphs() {
    }

    /** Conv 4 3x3, Dense 16, softmax 3 on the 4x4x1 images of {@code TinyData.rows}. */
    public static ComputationGraph rows(IUpdater updater) {
        return init(settings(updater).graphBuilder()
                .addInputs("input")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "input")
                .addLayer("dense", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "conv")
                .addLayer("output", softmax(3), "dense")
                .setOutputs("output")
                .setInputTypes(InputType.convolutional(4, 4, 1))
                .build());
    }

    /** Two image inputs merged into one classifier: a graph the course's training refuses. */
    public static ComputationGraph twoInputs() {
        return init(settings(new Adam(1e-3)).graphBuilder()
                .addInputs("left", "right")
                .addVertex("both", new MergeVertex(), "left", "right")
                .addLayer("output", softmax(3), "both")
                .setOutputs("output")
                .setInputTypes(InputType.convolutional(4, 4, 1), InputType.convolutional(4, 4, 1))
                .build());
    }

    /**
     * VGG16 as DL4J's ImageNet file has it (Keras' names input_1, block1_conv1 ... block5_pool, fc1, fc2,
     * predictions), every width divided by {@code divisor}, for {@code size x size x 3} images and 1000 classes;
     * randomly initialised. A stand-in for {@code Pretrained.vgg16()} where the weights are not available.
     */
    public static ComputationGraph vgg16Like(int size, int divisor) {
        var graph = settings(new Adam(1e-3)).graphBuilder().addInputs("input_1");
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        String previous = "input_1";
        for (int b = 0; b < blocks.length; b++) {
            for (int c = 0; c < blocks[b].length; c++) {
                String name = "block" + (b + 1) + "_conv" + (c + 1);
                graph.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(blocks[b][c] / divisor).activation(Activation.RELU)
                        .convolutionMode(ConvolutionMode.Same).build(), previous);
                previous = name;
            }
            String pool = "block" + (b + 1) + "_pool";
            graph.addLayer(pool, new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build(), previous);
            previous = pool;
        }
        return init(graph
                .addLayer("fc1", new DenseLayer.Builder().nOut(4096 / divisor).activation(Activation.RELU).build(), previous)
                .addLayer("fc2", new DenseLayer.Builder().nOut(4096 / divisor).activation(Activation.RELU).build(), "fc1")
                .addLayer("predictions", softmax(1000), "fc2")
                .setOutputs("predictions")
                .setInputTypes(InputType.convolutional(size, size, 3))
                .build());
    }

    private static NeuralNetConfiguration.Builder settings(IUpdater updater) {
        Speed.configure();
        return new NeuralNetConfiguration.Builder().seed(Models.SEED).updater(updater).weightInit(WeightInit.XAVIER_UNIFORM);
    }

    private static OutputLayer softmax(int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build();
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
