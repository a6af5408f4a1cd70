package convkit.augment;

import convkit.data.ImageSet;
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

    private final double degrees;
    private final double rotationProbability;
    private final double zoom;
    private final double zoomProbability;
    private final double widthShift;
    private final double widthShiftProbability;
    private final double heightShift;
    private final double heightShiftProbability;
    private final double horizontalFlip;
    private final double verticalFlip;
    private final float fill;

    /** No change yet: add steps with {@link #rotation}, {@link #zoom}, {@link #widthShift}, ... */
    public Augmentation() {
        this(0, 1, 0, 1, 0, 1, 0, 1, 0, 0, Float.NaN);
    }

    private Augmentation(double degrees, double rotationProbability, double zoom, double zoomProbability,
                         double widthShift, double widthShiftProbability, double heightShift,
                         double heightShiftProbability, double horizontalFlip, double verticalFlip, float fill) {
        this.degrees = degrees;
        this.rotationProbability = rotationProbability;
        this.zoom = zoom;
        this.zoomProbability = zoomProbability;
        this.widthShift = widthShift;
        this.widthShiftProbability = widthShiftProbability;
        this.heightShift = heightShift;
        this.heightShiftProbability = heightShiftProbability;
        this.horizontalFlip = horizontalFlip;
        this.verticalFlip = verticalFlip;
        this.fill = fill;
    }

    /** Adds a rotation by a random angle between {@code -degrees} and {@code +degrees} (Keras' rotation_range). */
    public Augmentation rotation(double degrees) {
        return rotation(degrees, 1);
    }

    /** Adds a rotation applied to a fraction {@code probability} of the images. */
    public Augmentation rotation(double degrees, double probability) {
        check("rotation", degrees, 0, 180, true, "degrees, e.g. 10 for -10 to +10 degrees (Keras' rotation_range)");
        checkProbability("rotation", probability);
        return new Augmentation(degrees, probability, zoom, zoomProbability, widthShift, widthShiftProbability,
                heightShift, heightShiftProbability, horizontalFlip, verticalFlip, fill);
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
        check("zoom", range, 0, 1, false, "a fraction, e.g. 0.1 for 90% to 110% (Keras' zoom_range)");
        checkProbability("zoom", probability);
        return new Augmentation(degrees, rotationProbability, range, probability, widthShift, widthShiftProbability,
                heightShift, heightShiftProbability, horizontalFlip, verticalFlip, fill);
    }

    /** Adds a horizontal move by up to {@code fraction} of the width either way (Keras' width_shift_range). */
    public Augmentation widthShift(double fraction) {
        return widthShift(fraction, 1);
    }

    /** Adds a horizontal move applied to a fraction {@code probability} of the images. */
    public Augmentation widthShift(double fraction, double probability) {
        check("width shift", fraction, 0, 1, false, "a fraction of the width, e.g. 0.1 for up to 10% either way");
        checkProbability("width shift", probability);
        return new Augmentation(degrees, rotationProbability, zoom, zoomProbability, fraction, probability,
                heightShift, heightShiftProbability, horizontalFlip, verticalFlip, fill);
    }

    /** Adds a vertical move by up to {@code fraction} of the height either way (Keras' height_shift_range). */
    public Augmentation heightShift(double fraction) {
        return heightShift(fraction, 1);
    }

    /** Adds a vertical move applied to a fraction {@code probability} of the images. */
    public Augmentation heightShift(double fraction, double probability) {
        check("height shift", fraction, 0, 1, false, "a fraction of the height, e.g. 0.1 for up to 10% either way");
        checkProbability("height shift", probability);
        return new Augmentation(degrees, rotationProbability, zoom, zoomProbability, widthShift,
                widthShiftProbability, fraction, probability, horizontalFlip, verticalFlip, fill);
    }

    /** Adds a left-right mirror of half the images (Keras' horizontal_flip; for photos, not for digits). */
    public Augmentation horizontalFlip() {
        return horizontalFlip(0.5);
    }

    /** Adds a left-right mirror of a fraction {@code probability} of the images. */
    public Augmentation horizontalFlip(double probability) {
        checkProbability("horizontal flip", probability);
        return new Augmentation(degrees, rotationProbability, zoom, zoomProbability, widthShift,
                widthShiftProbability, heightShift, heightShiftProbability, probability, verticalFlip, fill);
    }

    /** Adds an upside-down mirror of half the images (Keras' vertical_flip). */
    public Augmentation verticalFlip() {
        return verticalFlip(0.5);
    }

    /** Adds an upside-down mirror of a fraction {@code probability} of the images. */
    public Augmentation verticalFlip(double probability) {
        checkProbability("vertical flip", probability);
        return new Augmentation(degrees, rotationProbability, zoom, zoomProbability, widthShift,
                widthShiftProbability, heightShift, heightShiftProbability, horizontalFlip, probability, fill);
    }

    /**
     * Fills the area uncovered by a move or rotation with {@code value} (Keras' fill_mode "constant"); by default
     * it repeats the nearest edge pixel (fill_mode "nearest").
     */
    public Augmentation fill(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("fill value must be a number, got " + value);
        }
        return new Augmentation(degrees, rotationProbability, zoom, zoomProbability, widthShift,
                widthShiftProbability, heightShift, heightShiftProbability, horizontalFlip, verticalFlip,
                (float) value);
    }

    /**
     * Mini-batches of {@code set} like {@link ImageSet#batches}, each image changed at random as it is served;
     * {@code seed} fixes both the order and the changes, so a run can be repeated exactly.
     */
    public DataSetIterator batches(ImageSet set, int batchSize, boolean shuffle, long seed) {
        return new AugmentedBatches(set.batches(batchSize, shuffle, seed), this, seed);
    }

    /** Wraps any iterator of image batches {@code [n, channels, height, width]} so its images are changed at random. */
    public DataSetIterator batches(DataSetIterator images, long seed) {
        return new AugmentedBatches(images, this, seed);
    }

    /**
     * A changed copy of {@code images} ({@code [n, c, h, w]} or one image {@code [c, h, w]}), each image drawn
     * separately; the same seed gives the same result.
     */
    public INDArray apply(INDArray images, long seed) {
        return apply(images, new SplittableRandom(seed));
    }

    /** {@code count} random variants of one image {@code [c, h, w]}, e.g. for a grid. */
    public List<INDArray> variants(INDArray image, int count, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
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
        return (degrees == 0 || rotationProbability == 0) && (zoom == 0 || zoomProbability == 0)
                && (widthShift == 0 || widthShiftProbability == 0) && (heightShift == 0 || heightShiftProbability == 0)
                && horizontalFlip == 0 && verticalFlip == 0;
    }

    INDArray apply(INDArray images, SplittableRandom random) {
        return Affine.warp(images, (i, height, width) -> transform(height, width, random), fill);
    }

    /** One image's random draw; every draw happens whether its step is on or off, so seeds stay comparable. */
    private Affine transform(int height, int width, SplittableRandom random) {
        boolean flipX = random.nextDouble() < horizontalFlip;
        boolean flipY = random.nextDouble() < verticalFlip;
        double angle = draw(random, degrees, rotationProbability);
        double dx = draw(random, widthShift, widthShiftProbability) * width;
        double dy = draw(random, heightShift, heightShiftProbability) * height;
        double zx = 1 + draw(random, zoom, zoomProbability);
        double zy = 1 + draw(random, zoom, zoomProbability);
        return Affine.of(height, width, flipX, flipY, zx, zy, angle, dx, dy);
    }

    /** Uniform in [-range, range] with the given probability, else 0. */
    private static double draw(SplittableRandom random, double range, double probability) {
        double on = random.nextDouble();
        double value = (2 * random.nextDouble() - 1) * range;
        return on < probability ? value : 0;
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
        if (degrees > 0) {
            steps.add(step("rotation " + fmt(degrees) + " degrees", rotationProbability));
        }
        if (zoom > 0) {
            steps.add(step("zoom " + fmt(zoom), zoomProbability));
        }
        if (widthShift > 0) {
            steps.add(step("width shift " + fmt(widthShift), widthShiftProbability));
        }
        if (heightShift > 0) {
            steps.add(step("height shift " + fmt(heightShift), heightShiftProbability));
        }
        if (horizontalFlip > 0) {
            steps.add(step("horizontal flip", horizontalFlip));
        }
        if (verticalFlip > 0) {
            steps.add(step("vertical flip", verticalFlip));
        }
        return "Augmentation[" + (steps.isEmpty() ? "none" : String.join(", ", steps))
                + (Float.isNaN(fill) ? "" : ", fill " + fmt(fill)) + "]";
    }

    private static String step(String text, double probability) {
        return probability == 1 ? text : text + " (p=" + fmt(probability) + ")";
    }
}
