package convkit.augment;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One exact geometric change of an image ({@code [c, h, w]}) or of every image of a batch ({@code [n, c, h, w]}),
 * with the same bilinear sampling as {@link Augmentation}; for showing what each step does, or a one-pixel shift.
 *
 * <pre>{@code
 * INDArray tilted = Geometry.rotate(digit, 30);      // 30 degrees counter-clockwise
 * INDArray moved = Geometry.shift(digit, 1, 0);      // one pixel to the right
 * }</pre>
 */
public final class Geometry {

    private Geometry() {
    }

    /** Rotated by {@code degrees} counter-clockwise about the centre; corners take the nearest edge pixel. */
    public static INDArray rotate(INDArray images, double degrees) {
        requireFinite("degrees", degrees);
        return apply(images, Affine.of(height(images), width(images), false, false, 1, 1, degrees, 0, 0));
    }

    /** Moved {@code dx} pixels right and {@code dy} pixels down (negative: left, up). */
    public static INDArray shift(INDArray images, double dx, double dy) {
        requireFinite("dx", dx);
        requireFinite("dy", dy);
        return apply(images, Affine.of(height(images), width(images), false, false, 1, 1, 0, dx, dy));
    }

    /** Scaled by {@code factor} about the centre: 2 shows the middle twice as large, 0.5 shrinks the picture. */
    public static INDArray zoom(INDArray images, double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("zoom factor must be positive (1 = unchanged), got " + factor);
        }
        return apply(images, Affine.of(height(images), width(images), false, false, 1 / factor, 1 / factor, 0, 0, 0));
    }

    /** Mirrored left-right. */
    public static INDArray flipHorizontal(INDArray images) {
        return apply(images, Affine.of(height(images), width(images), true, false, 1, 1, 0, 0, 0));
    }

    /** Mirrored upside down. */
    public static INDArray flipVertical(INDArray images) {
        return apply(images, Affine.of(height(images), width(images), false, true, 1, 1, 0, 0, 0));
    }

    private static INDArray apply(INDArray images, Affine affine) {
        return Affine.warp(images, (i, h, w) -> affine, Float.NaN);
    }

    private static int height(INDArray images) {
        return images.rank() < 2 ? 0 : (int) images.size(images.rank() - 2);
    }

    private static int width(INDArray images) {
        return images.rank() < 2 ? 0 : (int) images.size(images.rank() - 1);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a number, got " + value);
        }
    }
}
