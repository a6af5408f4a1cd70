package convkit.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

class AugmentationTest {

    private static final Augmentation KERAS = new Augmentation().rotation(10).zoom(0.1).widthShift(0.1)
            .heightShift(0.1).horizontalFlip();

    /** n random gray images of 28x28 with a seed. */
    private static INDArray images(int n, int channels, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[n * channels * 28 * 28];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return Nd4j.create(values, new long[] {n, channels, 28, 28}, 'c');
    }

    private static ImageSet set(int n) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % 2, 1);
        }
        return new ImageSet("random", images(n, 1, 7), labels, List.of("even", "odd"));
    }

    @Test
    void keepsTheShapeOfBatchesAndSingleImages() {
        assertArrayEquals(new long[] {5, 1, 28, 28}, KERAS.apply(images(5, 1, 1), 3).shape());
        assertArrayEquals(new long[] {3, 28, 28}, KERAS.apply(images(1, 3, 1).get(
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)), 3).shape());
    }

    @Test
    void theSameSeedGivesTheSameImagesAndAnotherSeedOthers() {
        INDArray x = images(8, 1, 1);
        assertEquals(KERAS.apply(x, 42), KERAS.apply(x, 42));
        assertNotEquals(KERAS.apply(x, 42), KERAS.apply(x, 43));
        assertNotEquals(x, KERAS.apply(x, 42));
    }

    @Test
    void allRangesZeroOrProbabilityZeroChangesNothing() {
        INDArray x = images(4, 3, 2);
        Augmentation zero = new Augmentation().rotation(0).zoom(0).widthShift(0).heightShift(0);
        assertTrue(zero.isIdentity());
        assertEquals(x, zero.apply(x, 1));
        Augmentation never = new Augmentation().rotation(30, 0).zoom(0.5, 0).widthShift(0.2, 0).horizontalFlip(0);
        assertTrue(never.isIdentity());
        assertEquals(x, never.apply(x, 1));
    }

    @Test
    void aHorizontalFlipIsExact() {
        INDArray x = images(2, 3, 3);
        INDArray flipped = new Augmentation().horizontalFlip(1).apply(x, 5);
        for (int col = 0; col < 28; col++) {
            assertEquals(x.get(all(), all(), all(), point(27 - col)), flipped.get(all(), all(), all(), point(col)));
        }
        assertEquals(x, Geometry.flipHorizontal(Geometry.flipHorizontal(x)));
        INDArray upsideDown = Geometry.flipVertical(x);
        assertEquals(x.get(all(), all(), point(0), all()), upsideDown.get(all(), all(), point(27), all()));
    }

    @Test
    void rotatingByNinetyDegreesMovesTheRightmostPixelToTheTop() {
        INDArray image = Nd4j.zeros(DataType.FLOAT, 1, 5, 5);
        image.putScalar(new long[] {0, 2, 4}, 1f);          // row 2 (middle), column 4 (right edge)
        INDArray rotated = Geometry.rotate(image, 90);    // counter-clockwise
        assertEquals(1f, rotated.getFloat(0, 0, 2), 1e-5f); // now row 0 (top), column 2 (middle)
        assertEquals(1f, rotated.sumNumber().floatValue(), 1e-4f);
        INDArray back = Geometry.rotate(rotated, -90);
        assertEquals(1f, back.getFloat(0, 2, 4), 1e-5f);
    }

    @Test
    void shiftsMoveByWholePixelsExactly() {
        INDArray x = images(1, 1, 4);
        INDArray moved = Geometry.shift(x, 1, 0);
        assertEquals(x.get(all(), all(), all(), interval(0, 27)), moved.get(all(), all(), all(), interval(1, 28)));
        INDArray half = Geometry.zoom(Geometry.zoom(x, 2), 0.5);
        assertArrayEquals(x.shape(), half.shape());
    }

    @Test
    void rgbChannelsGetTheSameChange() {
        INDArray gray = images(3, 1, 9);
        INDArray rgb = Nd4j.concat(1, gray, gray.mul(0.5), gray.mul(0.25));
        INDArray out = KERAS.apply(rgb, 11);
        INDArray red = out.get(all(), point(0), all(), all());
        assertTrue(red.mul(0.5).equalsWithEps(out.get(all(), point(1), all(), all()), 1e-5));
        assertTrue(red.mul(0.25).equalsWithEps(out.get(all(), point(2), all(), all()), 1e-5));
        assertEquals(KERAS.apply(gray, 11).reshape(3, 28, 28), red);
    }

    @Test
    void constantFillShowsWhereTheImageMovedAway() {
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, 1, 8, 8);
        INDArray moved = new Augmentation().widthShift(0.5).fill(0).apply(ones, 1);
        assertTrue(moved.sumNumber().doubleValue() < 64, "some columns are now 0");
        INDArray nearest = new Augmentation().widthShift(0.5).apply(ones, 1);
        assertEquals(64.0, nearest.sumNumber().doubleValue(), 1e-3, "nearest repeats the edge");
    }

    @Test
    void batchesAugmentFeaturesButKeepOrderAndLabels() {
        ImageSet set = set(10);
        DataSetIterator plain = set.batches(4, true, 42);
        DataSetIterator augmented = KERAS.batches(set, 4, true, 42);
        int batches = 0;
        while (plain.hasNext()) {
            DataSet a = plain.next();
            DataSet b = augmented.next();
            assertEquals(a.getLabels(), b.getLabels());
            assertArrayEquals(a.getFeatures().shape(), b.getFeatures().shape());
            assertNotEquals(a.getFeatures(), b.getFeatures());
            batches++;
        }
        assertEquals(3, batches);
        assertTrue(!augmented.hasNext());
        augmented.reset();
        assertEquals(4, augmented.next().getFeatures().size(0));
        assertEquals(List.of("even", "odd"), augmented.getLabels());
    }

    @Test
    void dl4jFitTrainsOnAugmentedBatches() {
        var mnist = convkit.data.Mnist.small();
        var model = convkit.models.Models.mlp(28, 28, 1, 10);
        ImageSet train = mnist.train().first(512);
        double before = model.score(train.toDataSet());
        model.fit(new Augmentation().rotation(10).zoom(0.1).widthShift(0.1).heightShift(0.1)
                .batches(train, 64, true, 42), 3);
        assertTrue(model.score(train.toDataSet()) < before, "the loss falls while training on augmented batches");
    }

    @Test
    void aNewIteratorWithTheSameSeedRepeatsTheRun() {
        ImageSet set = set(6);
        assertEquals(KERAS.batches(set, 6, true, 5).next().getFeatures(),
                KERAS.batches(set, 6, true, 5).next().getFeatures());
    }

    @Test
    void variantsOfOneImageDiffer() {
        INDArray image = images(1, 1, 12).get(point(0));
        List<INDArray> variants = KERAS.variants(image, 4, 1);
        assertEquals(4, variants.size());
        assertArrayEquals(new long[] {1, 28, 28}, variants.get(0).shape());
        assertNotEquals(variants.get(0), variants.get(1));
    }

    @Test
    void outOfRangeParametersSayWhatIsAllowed() {
        assertMessage(() -> new Augmentation().rotation(-5), "rotation range -5.0", "0 to 180", "degrees");
        assertMessage(() -> new Augmentation().zoom(1), "zoom range 1.0", "below 1");
        assertMessage(() -> new Augmentation().widthShift(1.5), "width shift range 1.5", "fraction of the width");
        assertMessage(() -> new Augmentation().heightShift(-0.1), "height shift range -0.1");
        assertMessage(() -> new Augmentation().rotation(Double.NaN), "rotation range NaN");
        assertMessage(() -> new Augmentation().horizontalFlip(2), "horizontal flip probability 2.0");
        assertMessage(() -> new Augmentation().zoom(0.1, -1), "zoom probability -1.0");
        assertMessage(() -> Geometry.zoom(images(1, 1, 1), 0), "zoom factor must be positive");
    }

    @Test
    void zeroExamplesAreRefused() {
        assertMessage(() -> KERAS.apply(Nd4j.create(DataType.FLOAT, 0, 1, 28, 28), 1), "batch is empty");
        ImageSet empty = new ImageSet("empty", Nd4j.create(DataType.FLOAT, 0, 1, 28, 28),
                Nd4j.create(DataType.FLOAT, 0, 2), List.of("a", "b"));
        assertThrows(IllegalStateException.class, () -> KERAS.batches(empty, 32, true, 1));
        assertMessage(() -> KERAS.apply(Nd4j.zeros(DataType.FLOAT, 28, 28), 1), "got [28, 28]");
    }

    @Test
    void describesItself() {
        assertEquals("Augmentation[rotation 10 degrees, zoom 0.1, width shift 0.1, height shift 0.1, "
                + "horizontal flip (p=0.5)]", KERAS.toString());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex point(long i) {
        return org.nd4j.linalg.indexing.NDArrayIndex.point(i);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex interval(long from, long to) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
    }
}
