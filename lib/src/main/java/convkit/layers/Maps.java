package convkit.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Moves single images and stacks of maps to and from DL4J's {@code [batch, channels, height, width]}. */
final class Maps {

    private Maps() {
    }

    /** {@code [h, w]}, {@code [c, h, w]} or {@code [1, c, h, w]} as a float batch of one. */
    static INDArray batchOfOne(INDArray image, String what) {
        INDArray a = image.castTo(DataType.FLOAT);
        return switch (image.rank()) {
            case 2 -> a.reshape('c', 1, 1, a.size(0), a.size(1));
            case 3 -> a.reshape('c', 1, a.size(0), a.size(1), a.size(2));
            case 4 -> {
                if (a.size(0) != 1) {
                    throw new IllegalArgumentException(what + " takes one image; got a batch of " + a.size(0)
                            + " (shape " + Arrays.toString(image.shape()) + ")");
                }
                yield a;
            }
            default -> throw new IllegalArgumentException(what + " takes an image [h, w], [channels, h, w] or"
                    + " [1, channels, h, w]; got shape " + Arrays.toString(image.shape()));
        };
    }

    /** DL4J's output for a batch of one as {@code [channels, h, w]}. */
    static INDArray single(INDArray batch) {
        return batch.reshape('c', batch.size(1), batch.size(2), batch.size(3));
    }
}
