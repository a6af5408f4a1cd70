package convkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.augment.Augmentation;
import convkit.data.Idx;
import convkit.data.ImageFolder;
import convkit.data.ImageSet;
import convkit.data.Mnist;
import convkit.layers.ConvMath;
import convkit.layers.Padding;
import convkit.layers.ReceptiveField;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a learner or a careless script passes by mistake, and the message each gets: sizes too large for Java's
 * numbers, indices outside a set, null where a value belongs. Never a wrapped-around number or a bare exception.
 */
class BadInputTest {

    private static <T extends Throwable> String message(Class<T> type, Executable call) {
        return assertThrows(type, call).getMessage();
    }

    @Test
    void sizesTooLargeForAnIntAreAnErrorNotANegativeOrWrongNumber() {
        String padded = message(IllegalArgumentException.class, () -> ConvMath.outputSize(28, 3, 1, 1_500_000_000));
        assertEquals("the output size (W - F + 2P)/S + 1 = (28 - 3 + 2*1500000000)/1 + 1 is 3,000,000,026, larger than "
                + "2,147,483,647 (the most a Java array or int can hold): no image is that large; check the padding", padded);
        assertEquals(1_073_741_824, ConvMath.outputSize(Integer.MAX_VALUE, 3, 2, Padding.SAME), "ceil(W/S), not negative");
        String dilated = message(IllegalArgumentException.class, () -> ConvMath.effectiveKernel(100_000, 100_000));
        assertTrue(dilated.contains("is 9,999,900,001, larger than 2,147,483,647"), dilated);
        String field = message(IllegalArgumentException.class,
                () -> ReceptiveField.PIXEL.then(3, 65_536).then(3, 65_536));
        assertTrue(field.startsWith("the jump (product of the strides) is 4,294,967,296"), field);
    }

    @Test
    void parameterCountsAreExactOrAnError() {
        assertEquals(100_000_000_000L, ConvMath.depthwiseParams(3, 3, 100_000, 100_000), "(3*3 + 1) * 100000 * 100000");
        assertEquals(90_000_000_000L + 1_000_000_000_000_000L + 100_000L,
                ConvMath.separableParams(3, 3, 100_000, 100_000, 100_000));
        String huge = message(IllegalArgumentException.class,
                () -> ConvMath.convParams(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(huge.contains("is larger than 9,223,372,036,854,775,807 (Java's largest long)"), huge);
        String dense = message(IllegalArgumentException.class, () -> ConvMath.denseParams(Long.MAX_VALUE / 2, 3));
        assertTrue(dense.startsWith("the parameter count (inputs + 1) * outputs = "), dense);
    }

    private static ImageSet three() {
        return new ImageSet("three", Nd4j.rand(3, 1, 2, 2), Nd4j.eye(3), List.of("a", "b", "c"));
    }

    @Test
    void anImageOrLabelOutsideTheSetNamesTheValidRange() {
        ImageSet set = three();
        assertEquals("three.image(n): 3 is outside 0 to 2 (3 items; the first is 0, the last 2)",
                message(IndexOutOfBoundsException.class, () -> set.image(3)));
        assertEquals("three.image(n): -1 is outside 0 to 2 (3 items; the first is 0, the last 2)",
                message(IndexOutOfBoundsException.class, () -> set.image(-1)));
        assertEquals("three.label(n): -1 is outside 0 to 2 (3 items; the first is 0, the last 2)",
                message(IndexOutOfBoundsException.class, () -> set.label(-1)));
        assertEquals(2, set.label(2));
        String of = message(IndexOutOfBoundsException.class, () -> ImageFolder.of("pictures",
                new BufferedImage[] {new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)}, new int[] {3}, List.of("a", "b")));
        assertTrue(of.startsWith("pictures: the class of picture 0 (an index into [a, b]): 3 is outside 0 to 1"), of);
    }

    @Test
    void nullArgumentsAreNamedWithWhatToGive() {
        Path file = Path.of("t10k-labels-idx1-ubyte.gz");
        assertTrue(message(IllegalArgumentException.class, () -> Idx.read("test", null, file, Mnist.CLASSES))
                .startsWith("Idx.read's images file was null: give the path of an IDX images file"));
        assertTrue(message(IllegalArgumentException.class, () -> Idx.read("test", file, file, null))
                .startsWith("Idx.read's class list was null: give one name per label, e.g. Mnist.CLASSES"));
        assertTrue(message(IllegalArgumentException.class, () -> ImageFolder.at(null))
                .startsWith("ImageFolder.at(folder) was null: give the folder that holds one sub-folder per class"));
        Augmentation augment = new Augmentation().rotation(10);
        assertTrue(message(IllegalArgumentException.class, () -> augment.batches((ImageSet) null, 64, true, 42))
                .startsWith("Augmentation.batches(set, ...)'s set was null: give the training images"));
        assertTrue(message(IllegalArgumentException.class, () -> augment.variants(null, 8, 1))
                .startsWith("Augmentation.variants(image, ...)'s image was null"));
        assertTrue(message(IllegalArgumentException.class, () -> Mnist.load(null))
                .startsWith("Mnist.load(mode)'s mode was null: give Mode.QUICK or Mode.FULL"));
        assertTrue(message(IllegalArgumentException.class, () -> new ImageSet("x", null, Nd4j.eye(1), List.of("a")))
                .startsWith("x: the images array was null: give an array [n, channels, height, width]"));
    }
}
