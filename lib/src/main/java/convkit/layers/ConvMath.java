package convkit.layers;

import convkit.env.Require;
import java.util.Locale;

/**
 * The arithmetic of convolution and pooling layers: output sizes, the padding 'same' needs, parameter counts.
 * Geometry that does not fit is an error naming the formula and the numbers, never a silent rounding down.
 *
 * <pre>{@code
 * ConvMath.outputSize(32, 5, 1, 0);               // (32 - 5 + 2*0)/1 + 1 = 28
 * ConvMath.outputSize(7, 3, 3, 0);                // error: (7 - 3 + 2*0)/3 + 1 = 2.33 is not an integer ...
 * ConvMath.outputSize(7, 2, 2, Padding.SAME);     // ceil(7/2) = 4
 * ConvMath.conv(Shape.of(28, 28, 1), 32, 3, Padding.SAME);   // 28x28x32
 * ConvMath.convParams(3, 3, 1, 32);               // (3*3*1 + 1) * 32 = 320
 * }</pre>
 */
public final class ConvMath {

    private ConvMath() {
    }

    /** The seed's formula {@code W2 = (W1 - F + 2P)/S + 1}; an error unless W2 is a whole number. */
    public static int outputSize(int input, int kernel, int stride, int padding) {
        return outputSize(input, kernel, stride, padding, 1);
    }

    /** {@code (W - F' + 2P)/S + 1} with the dilated kernel {@code F' = d*(F - 1) + 1}; an error unless a whole number. */
    public static int outputSize(int input, int kernel, int stride, int padding, int dilation) {
        return size("", input, kernel, stride, padding, dilation, Padding.STRICT);
    }

    /** The output size with no explicit padding, in one of the three {@link Padding} behaviours. */
    public static int outputSize(int input, int kernel, int stride, Padding padding) {
        return outputSize(input, kernel, stride, padding, 1);
    }

    /** The output size with no explicit padding and a dilated kernel, in one of the three {@link Padding} behaviours. */
    public static int outputSize(int input, int kernel, int stride, Padding padding, int dilation) {
        return size("", input, kernel, stride, 0, dilation, padding);
    }

    /** The pooling formula {@code (W - F)/S + 1} (no padding); an error unless a whole number. */
    public static int poolSize(int input, int pool, int stride) {
        return outputSize(input, pool, stride, 0);
    }

    /**
     * Pixels at the far edge that {@link Padding#VALID} drops: {@code (W - F') mod S}, the part of the
     * input no whole window reaches.
     */
    public static int dropped(int input, int kernel, int stride, int dilation) {
        size("", input, kernel, stride, 0, dilation, Padding.VALID);
        return (int) ((input - span(kernel, dilation)) % stride);
    }

    /**
     * The total zero padding (both sides together) 'same' adds along one axis so the output is ceil(W/S):
     * {@code max(0, (W2 - 1)*S + F' - W)}; the extra pixel of an odd total goes to the bottom/right.
     */
    public static int samePadding(int input, int kernel, int stride, int dilation) {
        int out = size("", input, kernel, stride, 0, dilation, Padding.SAME);
        return Require.fitsInt(Math.max(0, (out - 1L) * stride + span(kernel, dilation) - input), "the padding 'same' needs",
                "use a smaller kernel, dilation or stride");
    }

    /** The span of a dilated kernel: {@code d*(F - 1) + 1} pixels. */
    public static int effectiveKernel(int kernel, int dilation) {
        return Require.fitsInt(span(kernel, dilation), "the dilated kernel " + dilation + "*(" + kernel + " - 1) + 1",
                "use a smaller kernel or dilation");
    }

    /** {@link #effectiveKernel} in {@code long}, so the checks below see the true span, never a wrapped one. */
    private static long span(int kernel, int dilation) {
        requirePositive("kernel size", kernel);
        requirePositive("dilation", dilation);
        return (long) dilation * (kernel - 1) + 1;
    }

    /** Output shape of a convolution with {@code filters} square kernels and explicit padding: depth becomes K. */
    public static Shape conv(Shape in, int filters, int kernel, int stride, int padding) {
        requirePositive("number of filters", filters);
        return new Shape(size("height: ", in.height(), kernel, stride, padding, 1, Padding.STRICT),
                size("width: ", in.width(), kernel, stride, padding, 1, Padding.STRICT), filters);
    }

    /** Output shape of a stride-1 convolution with {@code filters} square kernels, valid or same. */
    public static Shape conv(Shape in, int filters, int kernel, Padding padding) {
        return conv(in, filters, kernel, 1, padding);
    }

    /** Output shape of a convolution with {@code filters} square kernels, valid or same. */
    public static Shape conv(Shape in, int filters, int kernel, int stride, Padding padding) {
        requirePositive("number of filters", filters);
        return new Shape(size("height: ", in.height(), kernel, stride, 0, 1, padding),
                size("width: ", in.width(), kernel, stride, 0, 1, padding), filters);
    }

    /** Output shape of a pooling layer: each channel is pooled on its own, so the depth stays. */
    public static Shape pool(Shape in, int pool, int stride, Padding padding) {
        return new Shape(size("height: ", in.height(), pool, stride, 0, 1, padding),
                size("width: ", in.width(), pool, stride, 0, 1, padding), in.channels());
    }

    /** Parameters of a convolution layer with bias: {@code (F_h*F_w*D1 + 1) * K}. */
    public static long convParams(int kernelHeight, int kernelWidth, int inChannels, int filters) {
        return convParams(kernelHeight, kernelWidth, inChannels, filters, true);
    }

    /** Parameters of a convolution layer: {@code F_h*F_w*D1*K} weights, plus K biases when it has them. */
    public static long convParams(int kernelHeight, int kernelWidth, int inChannels, int filters, boolean bias) {
        requirePositive("kernel height", kernelHeight);
        requirePositive("kernel width", kernelWidth);
        requirePositive("input channels", inChannels);
        requirePositive("number of filters", filters);
        return params(kernelHeight, kernelWidth, inChannels, filters, bias);
    }

    /** {@code (F_h*F_w*D1 + bias) * K} in exact {@code long} arithmetic: an error instead of a wrapped count. */
    private static long params(long kernelHeight, long kernelWidth, long inChannels, long filters, boolean bias) {
        String what = "the parameter count (" + kernelHeight + "*" + kernelWidth + "*" + inChannels
                + (bias ? " + 1" : "") + ") * " + filters;
        long weights = Require.product(what, kernelHeight, kernelWidth, inChannels);
        return Require.product(what, weights + (bias ? 1 : 0), filters);
    }

    /** Parameters of a dense layer with bias: {@code (inputs + 1) * outputs}. */
    public static long denseParams(long inputs, long outputs) {
        requirePositive("inputs", inputs);
        requirePositive("outputs", outputs);
        return Require.product("the parameter count (inputs + 1) * outputs", Math.addExact(inputs, 1), outputs);
    }

    /**
     * Parameters of batch normalisation over {@code channels}: 4 per channel, the learned scale and shift
     * (gamma, beta) and the running mean and variance, as both Keras' summary and DL4J count them.
     */
    public static long batchNormParams(long channels) {
        requirePositive("channels", channels);
        return Require.product("the parameter count 4 * channels", 4, channels);
    }

    /**
     * Parameters of a depthwise convolution with bias: each of the D1 channels gets its own {@code multiplier}
     * kernels of F_h x F_w, one bias each: {@code (F_h*F_w + 1) * D1 * multiplier}.
     */
    public static long depthwiseParams(int kernelHeight, int kernelWidth, int inChannels, int multiplier) {
        return params(positive("kernel height", kernelHeight), positive("kernel width", kernelWidth), 1,
                depthwiseChannels(inChannels, multiplier), true);
    }

    /**
     * Parameters of a depthwise-separable convolution with bias: the depthwise kernels, then K 1x1 filters
     * over the D1*multiplier channels: {@code F_h*F_w*D1*m + D1*m*K + K}.
     */
    public static long separableParams(int kernelHeight, int kernelWidth, int inChannels, int multiplier, int filters) {
        long channels = depthwiseChannels(inChannels, multiplier);
        return Math.addExact(params(positive("kernel height", kernelHeight), positive("kernel width", kernelWidth), 1,
                channels, false), params(1, 1, channels, positive("number of filters", filters), true));
    }

    /** The D1*multiplier channels a depthwise convolution outputs, multiplied in {@code long}. */
    private static long depthwiseChannels(int inChannels, int multiplier) {
        return Require.product("the depthwise channels D1 * multiplier", positive("input channels", inChannels),
                positive("depth multiplier", multiplier));
    }

    /**
     * One axis: validates the numbers, then applies the formula of the given behaviour. {@code axis} prefixes
     * messages ("height: ") so a shape's error says which side is wrong.
     */
    static int size(String axis, int input, int kernel, int stride, int padding, int dilation, Padding mode) {
        requirePositive(axis + "input size", input);
        requirePositive(axis + "kernel size", kernel);
        requirePositive(axis + "stride", stride);
        requirePositive(axis + "dilation", dilation);
        if (padding < 0) {
            throw new IllegalArgumentException(axis + "padding must be 0 or more, got " + padding);
        }
        if (mode == Padding.SAME) {
            return (int) ((input + (long) stride - 1) / stride);
        }
        long span = span(kernel, dilation);
        String kernelText = dilation == 1 ? String.valueOf(kernel)
                : span + " (kernel " + kernel + " dilated by " + dilation + ": " + dilation + "*(" + kernel + " - 1) + 1)";
        long padded = input + 2L * padding;
        if (span > padded) {
            throw new IllegalArgumentException(axis + "kernel " + kernelText + " is larger than the padded input "
                    + input + " + 2*" + padding + " = " + padded + ": W + 2P must be at least F; use a smaller kernel,"
                    + " more padding or 'same' padding");
        }
        long room = padded - span;
        if (room % stride == 0 || mode == Padding.VALID) {
            return Require.fitsInt(room / stride + 1, axis + "the output size (W - F + 2P)/S + 1 = (" + input + " - "
                    + span + " + 2*" + padding + ")/" + stride + " + 1", "no image is that large; check the padding");
        }
        double exact = (double) room / stride + 1;
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s(W - F + 2P)/S + 1 = (%d - %d + 2*%d)/%d + 1 = %s is not an integer: choose a stride that divides %d (%s),"
                        + " or change the padding; Padding.VALID drops the %d edge pixel(s) instead, Padding.SAME pads",
                axis, input, span, padding, stride, trim(exact), room, divisors(room), room % stride));
    }

    static void requirePositive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    private static long positive(String what, long value) {
        requirePositive(what, value);
        return value;
    }

    private static String divisors(long n) {
        if (n == 0) {
            return "any stride";
        }
        // pairs d and n/d up to the square root: a few thousand steps even for the largest sizes
        java.util.TreeSet<Long> found = new java.util.TreeSet<>();
        for (long d = 1; d * d <= n; d++) {
            if (n % d == 0) {
                found.add(d);
                found.add(n / d);
            }
        }
        return found.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }

    private static String trim(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
