package convkit.models;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The course's networks as the library built them before {@link Sequential}: DL4J's builders, one call per layer.
 * Tests build both and compare configurations and initial weights, so the layer lists are checked weight for weight.
 * Adam is the kit's {@link FastAdam}, as in every network the library builds.
 */
public final class RawDl4j {

    private RawDl4j() {
    }

    public static MultiLayerConfiguration seedCnn(int classes, IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(Models.SEED).updater(FastAdam.of(updater)).weightInit(WeightInit.XAVIER_UNIFORM)
                .convolutionMode(ConvolutionMode.Same).list()
                .layer(conv(32)).layer(conv(32)).layer(maxPool()).layer(new DropoutLayer.Builder(0.75).build())
                .layer(conv(64)).layer(conv(64)).layer(maxPool())
                .layer(dense(256)).layer(dense(256)).layer(new DropoutLayer.Builder(0.5).build()).layer(softmax(classes))
                .setInputType(InputType.convolutional(28, 28, 1)).build();
    }

    public static MultiLayerConfiguration mlp(IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(Models.SEED).updater(FastAdam.of(updater)).weightInit(WeightInit.XAVIER_UNIFORM).list()
                .layer(dense(256)).layer(dense(256)).layer(softmax(10))
                .setInputType(InputType.convolutional(28, 28, 1)).build();
    }

    public static MultiLayerConfiguration galaxyTutorial() {
        return galaxy(WeightInit.XAVIER_UNIFORM, ConvolutionMode.Truncate)
                .layer(conv(32)).layer(conv(64)).layer(validPool()).layer(dense(128)).layer(softmax(3))
                .setInputType(InputType.convolutional(50, 50, 3)).build();
    }

    /** Practice models 1-3 of lesson 06. */
    public static MultiLayerConfiguration practice(int model) {
        var layers = galaxy(WeightInit.RELU, ConvolutionMode.Truncate)
                .layer(conv(32)).layer(bn()).layer(validPool())
                .layer(conv(32)).layer(conv(64)).layer(bn()).layer(validPool())
                .layer(conv(64)).layer(conv(128)).layer(bn()).layer(validPool());
        if (model == 3) {
            layers.layer(conv(128)).layer(bn());
        } else {
            layers.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        }
        if (model > 1) {
            layers.layer(dense(128)).layer(new DropoutLayer.Builder(0.7).build()).layer(dense(128)).layer(new DropoutLayer.Builder(0.7).build());
        }
        return layers.layer(softmax(3)).setInputType(InputType.convolutional(50, 50, 3)).build();
    }

    /** Practice model 4 ({@code bnEverywhere} false) or 5. */
    public static MultiLayerConfiguration vggLike(int size, int divisor, boolean bnEverywhere) {
        var layers = galaxy(WeightInit.RELU, ConvolutionMode.Same);
        int[][] blocks = {{64, 128}, {128, 256}, {256, 256, 512}, {512, 512, 512}, {512, 512, 512}};
        for (int[] block : blocks) {
            for (int filters : block) {
                if (bnEverywhere) {
                    layers.layer(new ConvolutionLayer.Builder(3, 3).nOut(filters / divisor).hasBias(false).activation(Activation.IDENTITY).build());
                    layers.layer(new BatchNormalization.Builder().decay(0.9).eps(1e-3).activation(Activation.RELU).build());
                } else {
                    layers.layer(conv(filters / divisor));
                }
            }
            if (!bnEverywhere) {
                layers.layer(bn());
            }
            layers.layer(validPool());
        }
        layers.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build()).layer(dense(512 / divisor))
                .layer(new DropoutLayer.Builder(0.7).build()).layer(dense(512 / divisor)).layer(new DropoutLayer.Builder(0.7).build())
                .layer(softmax(3));
        return layers.setInputType(InputType.convolutional(size, size, 3)).build();
    }

    /** The seed's VGG16 recipe at 50x50: 13 convolutions, the last two poolings skipped, Dense 4096-2048-1024-3. */
    public static MultiLayerConfiguration vgg16At50(int divisor) {
        var layers = galaxy(WeightInit.RELU, ConvolutionMode.Same);
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        for (int b = 0; b < blocks.length; b++) {
            for (int filters : blocks[b]) {
                layers.layer(conv(filters / divisor));
            }
            if (b < 3) {
                layers.layer(validPool());
            }
        }
        layers.layer(dense(4096 / divisor)).layer(dense(2048 / divisor)).layer(dense(1024 / divisor)).layer(softmax(3));
        return layers.setInputType(InputType.convolutional(50, 50, 3)).build();
    }

    private static NeuralNetConfiguration.ListBuilder galaxy(WeightInit init, ConvolutionMode padding) {
        return new NeuralNetConfiguration.Builder().seed(Models.SEED).updater(new FastAdam(1e-3)).weightInit(init)
                .convolutionMode(padding).list();
    }

    private static ConvolutionLayer conv(int filters) {
        return new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    private static SubsamplingLayer validPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }

    private static BatchNormalization bn() {
        return new BatchNormalization.Builder().decay(0.9).eps(1e-3).build();
    }

    private static DenseLayer dense(int units) {
        return new DenseLayer.Builder().nOut(units).activation(Activation.RELU).build();
    }

    private static OutputLayer softmax(int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build();
    }
}
