package convkit.augment;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One geometric change of an image as the map from each output pixel back to where it samples the input
 * ({@code sx = a*x + b*y + c}, {@code sy = d*x + e*y + f}), applied with bilinear interpolation to every
 * channel of a {@code [channels, height, width]} block of a float array.
 */
final class Affine {

    final double a;
    final double b;
    final double c;
    final double d;
    final double e;
    final double f;

    private Affine(double a, double b, double c, double d, double e, double f) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        this.e = e;
        this.f = f;
    }

    /**
     * The map for: mirror left-right ({@code flipX}) and upside down ({@code flipY}) if asked, scale by {@code 1/zoomX, 1/zoomY} (zoom below 1 enlarges,
     * as in Keras' zoom_range), rotate by {@code degrees} counter-clockwise, move by {@code (dx, dy)} pixels,
     * all about the image centre.
     */
    static Affine of(int height, int width, boolean flipX, boolean flipY, double zoomX, double zoomY, double degrees,
                     double dx, double dy) {
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        double theta = Math.toRadians(degrees);
        double cos = degrees == 0 ? 1 : Math.cos(theta);
        double sin = degrees == 0 ? 0 : Math.sin(theta);
        // Output pixel q, input pixel p: q = C + R * S^-1 * (p' - C) + t with p' the (flipped) p, so
        // p' = C + S * R^T * (q - t - C). On screen y points down, so counter-clockwise R = [[cos, sin], [-sin, cos]].
        double a = zoomX * cos;
        double b = -zoomX * sin;
        double d = zoomY * sin;
        double e = zoomY * cos;
        double ux = -dx - cx;
        double uy = -dy - cy;
        double c = cx + a * ux + b * uy;
        double f = cy + d * ux + e * uy;
        return new Affine(flipX ? -a : a, flipX ? -b : b, flipX ? (width - 1) - c : c,
                flipY ? -d : d, flipY ? -e : e, flipY ? (height - 1) - f : f);
    }

    /** The map for one image of a batch, given its index and size. */
    interface PerImage {
        Affine of(int index, int height, int width);
    }

    /**
     * A changed copy of one image {@code [c, h, w]} or of each image of a batch {@code [n, c, h, w]}, image
     * {@code i} by {@code maps.of(i, h, w)}; {@code fill} as in {@link #apply}.
     */
    static INDArray warp(INDArray images, PerImage maps, float fill) {
        int r = images.rank();
        if (r != 3 && r != 4) {
            throw new IllegalArgumentException("expected an image [channels, height, width] or a batch "
                    + "[n, channels, height, width], got " + Arrays.toString(images.shape()));
        }
        long[] shape = images.shape();
        int n = r == 4 ? (int) shape[0] : 1;
        if (n == 0) {
            throw new IllegalArgumentException("no images to change: the batch is empty");
        }
        int channels = (int) shape[r - 3];
        int height = (int) shape[r - 2];
        int width = (int) shape[r - 1];
        float[] in = images.dup('c').data().asFloat();
        float[] out = new float[in.length];
        int size = channels * height * width;
        for (int i = 0; i < n; i++) {
            maps.of(i, height, width).apply(in, i * size, out, i * size, channels, height, width, fill);
        }
        return Nd4j.create(out, shape, 'c');
    }

    boolean isIdentity() {
        return a == 1 && b == 0 && c == 0 && d == 0 && e == 1 && f == 0;
    }

    /**
     * Writes the changed image into {@code out}; a sample outside the input takes the nearest edge pixel
     * (Keras' fill_mode "nearest") when {@code fill} is NaN, else the value {@code fill}.
     */
    void apply(float[] in, int inOffset, float[] out, int outOffset, int channels, int height, int width, float fill) {
        int plane = height * width;
        if (isIdentity()) {
            System.arraycopy(in, inOffset, out, outOffset, channels * plane);
            return;
        }
        boolean nearest = Float.isNaN(fill);
        for (int y = 0; y < height; y++) {
            double rowX = b * y + c;
            double rowY = e * y + f;
            for (int x = 0; x < width; x++) {
                double sx = a * x + rowX;
                double sy = d * x + rowY;
                int o = outOffset + y * width + x;
                if (nearest) {
                    sx = sx < 0 ? 0 : Math.min(sx, width - 1);
                    sy = sy < 0 ? 0 : Math.min(sy, height - 1);
                } else if (sx <= -1 || sy <= -1 || sx >= width || sy >= height) {
                    for (int ch = 0; ch < channels; ch++) {
                        out[o + ch * plane] = fill;
                    }
                    continue;
                }
                // sx, sy > -1 here, so adding 1 before the cast floors without Math.floor
                int x0 = (int) (sx + 1) - 1;
                int y0 = (int) (sy + 1) - 1;
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                float w00 = (1 - fx) * (1 - fy);
                float w01 = fx * (1 - fy);
                float w10 = (1 - fx) * fy;
                float w11 = fx * fy;
                // a neighbour outside the image (only with a constant fill) contributes the fill value
                boolean left = x0 >= 0;
                boolean right = x0 + 1 < width;
                boolean top = y0 >= 0;
                boolean bottom = y0 + 1 < height;
                float outside = 0;
                if (!(left && top)) {
                    outside += w00;
                    w00 = 0;
                }
                if (!(right && top)) {
                    outside += w01;
                    w01 = 0;
                }
                if (!(left && bottom)) {
                    outside += w10;
                    w10 = 0;
                }
                if (!(right && bottom)) {
                    outside += w11;
                    w11 = 0;
                }
                float base = nearest ? 0 : outside * fill;
                int i00 = y0 * width + x0;
                for (int ch = 0; ch < channels; ch++) {
                    int p = inOffset + ch * plane + i00;
                    float v = base;
                    if (w00 != 0) {
                        v += w00 * in[p];
                    }
                    if (w01 != 0) {
                        v += w01 * in[p + 1];
                    }
                    if (w10 != 0) {
                        v += w10 * in[p + width];
                    }
                    if (w11 != 0) {
                        v += w11 * in[p + width + 1];
                    }
                    out[o + ch * plane] = v;
                }
            }
        }
    }
}
