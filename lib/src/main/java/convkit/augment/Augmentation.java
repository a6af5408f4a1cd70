package convkit.augment;

import convkit.data.ImageSet;
import convkit.env.Require;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random changes of training images, drawn afresh for every image of every batch: Keras' ImageDataGenerator
 * (rotation_range, zoom_range, width_shift_range, height_shift_range, horizontal_flip) as a seeded chain.
 * Each step may have a probability (default 1; 0.5 for flips); all steps become one bilinear resampling.
 * An Augmentation is immutable: every step returns a new one, so a base recipe can be shared.
 *
 * <pre>{@code
 * var augment = new Augmentation().rotation(10).zoom(0.1).widthShift(0.1).heightShift(0.1);
 * DataSetIterator train = augment.batches(mnist.train(), 256, true, 42);   // for model.fit(train, epochs)
 * List<INDArray> variants = augment.variants(mnist.train().image(0), 8, 1);
 * }</pre>
 */
public final class Augmentation {

    /** One random step: values drawn uniformly in [-range, range], applied to a fraction {@code probability}. */
    private record Step(double range, double probability) {

        static final Step OFF = new Step(0, 1);

        boolean isOff() {
            return range == 0 || probability == 0;
        }

        /** Every call draws twice whether the step is on or off, so seeds stay comparable between recipes. */
        double draw(SplittableRandom random) {
            double on = random.nextDouble();
            double value = (2 * random.nextDouble() - 1) * range;
            return on < probability ? value : 0;
        }

        String describe(String what, String unit) {
            return what + " " + fmt(range) + unit + (probability == 1 ? "" : " (p=" + fmt(probability) + ")");
        }
    }

    private Step rotation = Step.OFF;
    private Step zoom = Step.OFF;
    private Step widthShift = Step.OFF;
    private Step heightShift = Step.OFF;
    private double horizontalFlip;
    private double verticalFlip;
    private float fill = Float.NaN;

    /** No change yet: add steps with {@link #rotation}, {@link #zoom}, {@link #widthShift}, ... */
    public Augmentation() {
    }

    /** A copy to change one field of before it is handed out; handed-out instances never change. */
    private Augmentation copy() {
        Augmentation copy = new Augmentation();
        copy.rotation = rotation;
        copy.zoom = zoom;
        copy.widthShift = widthShift;
        copy.heightShift = heightShift;
        copy.horizontalFlip = horizontalFlip;
        copy.verticalFlip = verticalFlip;
        copy.fill = fill;
        return copy;
    }

    /** Adds a rotation by a random angle between {@code -degrees} and {@code +degrees} (Keras' rotation_range). */
    public Augmentation rotation(double degrees) {
        return rotation(degrees, 1);
    }

    /** Adds a rotation applied to a fraction {@code probability} of the images. */
    public Augmentation rotation(double degrees, double probability) {
        Augmentation next = copy();
        next.rotation = step("rotation", degrees, probability, 180, true,
                "degrees, e.g. 10 for -10 to +10 degrees (Keras' rotation_range)");
        return next;
    }

    /**
     * Adds a zoom: each axis samples between {@code 1 - range} and {@code 1 + range} of the image, drawn
     * separately (Keras' zoom_range; 0.1 shows a digit between about 0.91 and 1.11 times its size).
     */
    public Augmentation zoom(double range) {
        return zoom(range, 1);
    }

    /** Adds a zoom applied to a fraction {@code probability} of the images. */
    public Augmentation zoom(double range, double probability) {
        Augmentation next = copy();
        next.zoom = step("zoom", range, probability, 1, false, "a fraction, e.g. 0.1 for 90% to 110% (Keras' zoom_range)");
        return next;
    }

    /** Adds a horizontal move by up to {@code fraction} of the width either way (Keras' width_shift_range). */
    public Augmentation widthShift(double fraction) {
        return widthShift(fraction, 1);
    }

    /** Adds a horizontal move applied to a fraction {@code probability} of the images. */
    public Augmentation widthShift(double fraction, double probability) {
        Augmentation next = copy();
        next.widthShift = step("width shift", fraction, probability, 1, false,
                "a fraction of the width, e.g. 0.1 for up to 10% either way");
        return next;
    }

    /** Adds a vertical move by up to {@code fraction} of the height either way (Keras' height_shift_range). */
    public Augmentation heightShift(double fraction) {
        return heightShift(fraction, 1);
    }

    /** Adds a vertical move applied to a fraction {@code probability} of the images. */
    public Augmentation heightShift(double fraction, double probability) {
        Augmentation next = copy();
        next.heightShift = step("height shift", fraction, probability, 1, false,
                "a fraction of the height, e.g. 0.1 for up to 10% either way");
        return next;
    }

    /** Adds a left-right mirror of half the images (Keras' horizontal_flip; for photos, not for digits). */
    public Augmentation horizontalFlip() {
        return horizontalFlip(0.5);
    }

    /** Adds a left-right mirror of a fraction {@code probability} of the images. */
    public Augmentation horizontalFlip(double probability) {
        checkProbability("horizontal flip", probability);
        Augmentation next = copy();
        next.horizontalFlip = probability;
        return next;
    }

    /** Adds an upside-down mirror of half the images (Keras' vertical_flip). */
    public Augmentation verticalFlip() {
        return verticalFlip(0.5);
    }

    /** Adds an upside-down mirror of a fraction {@code probability} of the images. */
    public Augmentation verticalFlip(double probability) {
        checkProbability("vertical flip", probability);
        Augmentation next = copy();
        next.verticalFlip = probability;
        return next;
    }

    /**
     * Fills the area uncovered by a move or rotation with {@code value} (Keras' fill_mode "constant"); by default
     * it repeats the nearest edge pixel (fill_mode "nearest").
     */
    public Augmentation fill(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("fill value must be a number, got " + value);
        }
        Augmentation next = copy();
        next.fill = (float) value;
        return next;
    }

    /**
     * Mini-batches of {@code set} like {@link ImageSet#batches}, each image changed at random as it is served;
     * {@code seed} fixes both the order and the changes, so a run can be repeated exactly.
     */
    public DataSetIterator batches(ImageSet set, int batchSize, boolean shuffle, long seed) {
        Require.notNull(set, "Augmentation.batches(set, ...)'s set", "give the training images, e.g. mnist.train()");
        return new AugmentedBatches(set.batches(batchSize, shuffle, seed), this, seed);
    }

    /** Wraps any iterator of image batches {@code [n, channels, height, width]} so its images are changed at random. */
    public DataSetIterator batches(DataSetIterator images, long seed) {
        Require.notNull(images, "Augmentation.batches(images, seed)'s iterator", "give an iterator of image batches, "
                + "e.g. train.batches(64, true, 42)");
        return new AugmentedBatches(images, this, seed);
    }

    /**
     * A changed copy of {@code images} ({@code [n, c, h, w]} or one image {@code [c, h, w]}), each image drawn
     * separately; the same seed gives the same result.
     */
    public INDArray apply(INDArray images, long seed) {
        Require.notNull(images, "Augmentation.apply(images, seed)'s images", "give images [n, c, h, w] or one [c, h, w]");
        return apply(images, new SplittableRandom(seed));
    }

    /** {@code count} random variants of one image {@code [c, h, w]}, e.g. for a grid. */
    public List<INDArray> variants(INDArray image, int count, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        Require.notNull(image, "Augmentation.variants(image, ...)'s image", "give one image, e.g. train.image(0)");
        if (image.rank() != 3) {
            throw new IllegalArgumentException("variants needs one image [channels, height, width], got "
                    + Arrays.toString(image.shape()));
        }
        long[] shape = image.shape();
        INDArray many = Nd4j.tile(image.reshape(1, shape[0], shape[1], shape[2]), count, 1, 1, 1);
        INDArray changed = apply(many, seed);
        List<INDArray> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(changed.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)));
        }
        return list;
    }

    /** True when no step is active: every image comes out unchanged. */
    public boolean isIdentity() {
        return rotation.isOff() && zoom.isOff() && widthShift.isOff() && heightShift.isOff() && horizontalFlip == 0
                && verticalFlip == 0;
    }

    INDArray apply(INDArray images, SplittableRandom random) {
        return Affine.warp(images, (i, height, width) -> transform(height, width, random), fill);
    }

    /** One image's random draw. */
    private Affine transform(int height, int width, SplittableRandom random) {
        boolean flipX = random.nextDouble() < horizontalFlip;
        boolean flipY = random.nextDouble() < verticalFlip;
        double angle = rotation.draw(random);
        double dx = widthShift.draw(random) * width;
        double dy = heightShift.draw(random) * height;
        double zx = 1 + zoom.draw(random);
        double zy = 1 + zoom.draw(random);
        return Affine.of(height, width, flipX, flipY, zx, zy, angle, dx, dy);
    }

    private static Step step(String name, double range, double probability, double max, boolean maxAllowed,
                             String unit) {
        check(name, range, 0, max, maxAllowed, unit);
        checkProbability(name, probability);
        return new Step(range, probability);
    }

    private static void check(String step, double value, double min, double max, boolean maxAllowed, String unit) {
        boolean ok = Double.isFinite(value) && value >= min && (maxAllowed ? value <= max : value < max);
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s range %s is out of range: it must be "
                    + "from %s to %s %s; the unit is %s", step, value, fmt(min), maxAllowed ? "" : "below",
                    fmt(max), unit).replace("  ", " "));
        }
    }

    private static void checkProbability(String step, double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException(step + " probability " + probability + " must be between 0 and 1 "
                    + "(the fraction of images the step changes)");
        }
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    @Override
    public String toString() {
        List<String> steps = new ArrayList<>();
        if (!rotation.isOff()) {
            steps.add(rotation.describe("rotation", " degrees"));
        }
        if (!zoom.isOff()) {
            steps.add(zoom.describe("zoom", ""));
        }
        if (!widthShift.isOff()) {
            steps.add(widthShift.describe("width shift", ""));
        }
        if (!heightShift.isOff()) {
            steps.add(heightShift.describe("height shift", ""));
        }
        if (horizontalFlip > 0) {
            steps.add(horizontalFlip == 1 ? "horizontal flip" : "horizontal flip (p=" + fmt(horizontalFlip) + ")");
        }
        if (verticalFlip > 0) {
            steps.add(verticalFlip == 1 ? "vertical flip" : "vertical flip (p=" + fmt(verticalFlip) + ")");
        }
        return "Augmentation[" + (steps.isEmpty() ? "none" : String.join(", ", steps))
                + (Float.isNaN(fill) ? "" : ", fill " + fmt(fill)) + "]";
    }
}
