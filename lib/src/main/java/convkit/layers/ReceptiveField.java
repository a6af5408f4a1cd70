package convkit.layers;

import convkit.env.Require;

/**
 * How many input pixels (along one axis) one output value sees after a stack of layers, and how far apart
 * neighbouring outputs are in input pixels (the jump: the product of the strides so far).
 *
 * <pre>{@code
 * ReceptiveField.ofStack(3, 3, 3).size();                        // 7: three 3x3 convs see as much as one 7x7
 * ReceptiveField.PIXEL.then(3, 1).then(2, 2).then(3, 1).size();  // 8: conv 3, pool 2/2, conv 3
 * }</pre>
 */
public record ReceptiveField(int size, int jump) {

    /** Before any layer: one pixel sees itself. */
    public static final ReceptiveField PIXEL = new ReceptiveField(1, 1);

    public ReceptiveField {
        if (size <= 0 || jump <= 0) {
            throw new IllegalArgumentException("a receptive field needs a positive size and jump; got " + size + ", " + jump);
        }
    }

    /** The field of a stack of stride-1 convolutions with these kernel sizes. */
    public static ReceptiveField ofStack(int... kernels) {
        ReceptiveField field = PIXEL;
        for (int k : kernels) {
            field = field.then(k, 1);
        }
        return field;
    }

    /** After one more layer with this window and stride. */
    public ReceptiveField then(int kernel, int stride) {
        return then(kernel, stride, 1);
    }

    /**
     * After one more layer: the window adds {@code (effective kernel - 1) * jump} pixels, where a kernel
     * dilated by d spans {@code d*(F - 1) + 1} pixels; the stride multiplies the jump.
     */
    public ReceptiveField then(int kernel, int stride, int dilation) {
        ConvMath.requirePositive("kernel", kernel);
        ConvMath.requirePositive("stride", stride);
        ConvMath.requirePositive("dilation", dilation);
        long grown = size + Require.product("the receptive field's growth (F' - 1) * jump",
                ConvMath.effectiveKernel(kernel, dilation) - 1, jump);
        return new ReceptiveField(Require.fitsInt(grown, "the receptive field", "the stack is far larger than any image"),
                Require.fitsInt((long) jump * stride, "the jump (product of the strides)", "use smaller strides"));
    }
}
