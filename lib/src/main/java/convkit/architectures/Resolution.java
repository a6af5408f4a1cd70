package convkit.architectures;

import convkit.data.ImageSet;
import convkit.data.TrainTest;
import convkit.env.Require;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The resolution knob on the data side: brings images to the side a network was built for, by repeating every pixel a
 * whole number of times (nearest neighbour, nothing invented) and padding the rest with black borders. Fashion-MNIST's
 * 28x28 becomes 56x56 with a 4-pixel border at 64x64, the smallest side where every family of the lesson, AlexNet
 * included, still has a map before its classifier.
 *
 * <pre>{@code
 * TrainTest fashion64 = Resolution.of(FashionMnist.load(), 64);
 * }</pre>
 */
public final class Resolution {

    private Resolution() {
    }

    /** Both halves at {@code size x size}. */
    public static TrainTest of(TrainTest data, int size) {
        Require.notNull(data, "Resolution.of(data, size)", "load a data set first, e.g. FashionMnist.load()");
        return new TrainTest(data.name() + " at " + size + "x" + size, of(data.train(), size), of(data.test(), size));
    }

    /**
     * The images at {@code size x size}: each pixel repeated {@code floor(size / side)} times, then centred on black
     * (an odd border pixel goes to the bottom and right).
     */
    public static ImageSet of(ImageSet set, int size) {
        Require.notNull(set, "Resolution.of(set, size)", "give an ImageSet, e.g. FashionMnist.load().train()");
        int[] shape = set.shape();   // height, width, channels
        int height = shape[0];
        int width = shape[1];
        if (size < Math.max(height, width)) {
            throw new IllegalArgumentException("Resolution.of: " + set.name() + " has " + height + "x" + width
                    + " images, larger than " + size + "x" + size + ": this only enlarges (give at least " + Math.max(height, width) + ")");
        }
        int factor = size / Math.max(height, width);
        INDArray images = set.images();
        if (factor > 1) {
            images = images.repeat(2, factor).repeat(3, factor);
        }
        int padHeight = size - height * factor;
        int padWidth = size - width * factor;
        if (padHeight > 0 || padWidth > 0) {
            images = Nd4j.pad(images, new int[][] {{0, 0}, {0, 0},
                {padHeight / 2, padHeight - padHeight / 2}, {padWidth / 2, padWidth - padWidth / 2}});
        }
        return new ImageSet(set.name() + " at " + size + "x" + size, images, set.labels(), set.classes());
    }
}
