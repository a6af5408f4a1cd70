package convkit.galaxy;

import convkit.models.Sequential;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The galaxy project's models (seed 000) by name, each a {@link Sequential} list layer for layer as its Keras code: the tutorial model, the five practice
 * models and the VGG16-style transfer that collapsed. Input {@code size x size x 3}, 3 classes, Adam at Keras'
 * default rate 0.001, categorical cross-entropy.
 *
 * <pre>{@code
 * var m1 = GalaxyModels.practice1(50);                 // 140,707 parameters, as in the seed
 * var m4 = GalaxyModels.practice4(50, 1);              // the VGG-like model at its full width: 17,572,099
 * var m4q = GalaxyModels.practice4(50, 4);             // a quarter of the filters and units (quick mode)
 * }</pre>
 */
public final class GalaxyModels {

    private static final int CLASSES = 3;
    /** The VGG16 stand-in keeps at least this grid before Flatten (the seed's was 7x7). */
    private static final int SMALLEST_HEAD_GRID = 6;

    private GalaxyModels() {
    }

    /**
     * The tutorial's model: Conv 32 3x3 valid ReLU, Conv 64 3x3 valid ReLU, MaxPool 2x2, Flatten, Dense 128 ReLU,
     * Dense 3 softmax; Keras' default Glorot-uniform initialisation.
     */
    public static MultiLayerNetwork tutorial(int size) {
        return Sequential.input(size, size, 3)
                .conv2d(32, 3, "relu")
                .conv2d(64, 3, "relu")
                .maxPool(2)
                .flatten()
                .dense(128, "relu")
                .dense(CLASSES, "softmax")
                .build();
    }

    /** Practice model 1: [Conv32 BN MP] [Conv32 Conv64 BN MP] [Conv64 Conv128 BN MP] GlobalAveragePooling Dense3. */
    public static MultiLayerNetwork practice1(int size) {
        return practiceBase(size)
                .globalAveragePooling()
                .dense(CLASSES, "softmax")
                .build();
    }

    /** Practice model 2: the base of model 1, then GAP, Dense128 Dropout0.3 Dense128 Dropout0.3 Dense3. */
    public static MultiLayerNetwork practice2(int size) {
        return practiceHead(practiceBase(size).globalAveragePooling()).build();
    }

    /** Practice model 3: model 2 with one more Conv128 (valid, down to 1x1) and BN, then Flatten instead of GAP. */
    public static MultiLayerNetwork practice3(int size) {
        return practiceHead(practiceBase(size).conv2d(128, 3, "relu").batchNorm().flatten()).build();
    }

    /**
     * Practice model 4, VGG-like, all 'same' padding: [64,128,BN,MP] [128,256,BN,MP] [256,256,512,BN,MP]
     * [512x3,BN,MP] [512x3,BN,MP] GAP Dense512 Drop0.3 Dense512 Drop0.3 Dense3. {@code divisor} divides every
     * width (1 = the seed's 17,572,099 parameters).
     */
    public static MultiLayerNetwork practice4(int size, int divisor) {
        return vggLike(size, divisor, false);
    }

    /** Practice model 5: model 4 with BatchNormalization after every convolution and no convolution bias. */
    public static MultiLayerNetwork practice5(int size, int divisor) {
        return vggLike(size, divisor, true);
    }

    /**
     * The seed's "VGG16 model": the 13 convolutions of VGG16 (64,64,MP,128,128,MP,256x3,MP,512x3,MP,512x3,MP),
     * then Flatten, Dense 4096, 2048, 1024 ReLU (he_normal, no dropout), Dense 3, Adam at 0.001, everything
     * trainable. Here the base is initialised at random (no ImageNet weights offline). {@code divisor} divides
     * every width.
     *
     * <p>The seed upscaled its images to 224x224, so VGG16's five poolings left a 7x7 grid and the first dense layer
     * read 7x7x512 = 25,088 numbers. At 50x50 five poolings would leave 1x1, so a pooling that would shrink the grid
     * below 6x6 is skipped: 50 -> 25 -> 12 -> 6 (blocks 4 and 5 run at 6x6), and the head reads a grid as the seed's
     * did, 6x6x512 = 18,432 numbers at full width. At 224x224 nothing is skipped and the network is the seed's,
     * 127,971,139 parameters.
     */
    public static MultiLayerNetwork vgg16Transfer(int size, int divisor) {
        return vgg16Layers(size, divisor).build();
    }

    static Sequential vgg16Layers(int size, int divisor) {
        Sequential layers = Sequential.input(size, size, 3).weightInit("he_normal");
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        int grid = size;
        for (int[] block : blocks) {
            for (int filters : block) {
                layers.conv2d(filters / divisor, 3, "same", "relu");
            }
            if (grid / 2 >= SMALLEST_HEAD_GRID) {
                layers.maxPool(2);
                grid /= 2;
            }
        }
        return layers.flatten()
                .dense(4096 / divisor, "relu")
                .dense(2048 / divisor, "relu")
                .dense(1024 / divisor, "relu")
                .dense(CLASSES, "softmax");
    }

    /**
     * Multiply-adds one image costs in the forward pass (convolutions and dense layers; the rest is negligible):
     * what grows 20-fold when a 50x50 image is upscaled to 224x224.
     */
    public static long multiplyAdds(MultiLayerNetwork net, int size) {
        var conf = net.getLayerWiseConfigurations();
        var types = conf.getLayerActivationTypes(InputType.convolutional(size, size, 3));
        long total = 0;
        for (int i = 0; i < types.size(); i++) {
            var layer = conf.getConf(i).getLayer();
            if (layer instanceof ConvolutionLayer conv) {
                var out = (InputType.InputTypeConvolutional) types.get(i);
                long[] k = {conv.getKernelSize()[0], conv.getKernelSize()[1]};
                total += out.getHeight() * out.getWidth() * k[0] * k[1] * conv.getNIn() * conv.getNOut();
            } else if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
                var ff = (FeedForwardLayer) layer;
                total += ff.getNIn() * ff.getNOut();
            }
        }
        return total;
    }

    private static MultiLayerNetwork vggLike(int size, int divisor, boolean bnEverywhere) {
        Sequential layers = Sequential.input(size, size, 3).weightInit("he_normal");
        int[][] blocks = {{64, 128}, {128, 256}, {256, 256, 512}, {512, 512, 512}, {512, 512, 512}};
        for (int[] block : blocks) {
            for (int filters : block) {
                if (bnEverywhere) {
                    layers.conv2d(filters / divisor, 3, "same", "linear").withoutBias().batchNorm("relu");
                } else {
                    layers.conv2d(filters / divisor, 3, "same", "relu");
                }
            }
            if (!bnEverywhere) {
                layers.batchNorm();
            }
            layers.maxPool(2);   // Keras pools with 'valid' padding even where the convolutions use 'same'
        }
        return practiceHead(layers.globalAveragePooling(), 512 / divisor).build();
    }

    // Practice models 1-3 share this base; Keras' default padding is 'valid': 50 -> 48 -> 24 -> 20 -> 10 -> 6 -> 3.
    private static Sequential practiceBase(int size) {
        return Sequential.input(size, size, 3).weightInit("he_normal")
                .conv2d(32, 3, "relu").batchNorm().maxPool(2)
                .conv2d(32, 3, "relu").conv2d(64, 3, "relu").batchNorm().maxPool(2)
                .conv2d(64, 3, "relu").conv2d(128, 3, "relu").batchNorm().maxPool(2);
    }

    private static Sequential practiceHead(Sequential base) {
        return practiceHead(base, 128);
    }

    /** Dense, Dropout 0.3, Dense, Dropout 0.3, Dense 3 softmax: the head of practice models 2-5. */
    private static Sequential practiceHead(Sequential base, int units) {
        return base.dense(units, "relu").dropout(0.3).dense(units, "relu").dropout(0.3).dense(CLASSES, "softmax");
    }
}
