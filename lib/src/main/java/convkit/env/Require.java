package convkit.env;

/**
 * Checks a caller's arguments before any work starts, in the kit's message style: what was wrong, then what to do.
 * Every public entry point of the library checks its arguments here, so a learner never sees a bare
 * {@code NullPointerException} or {@code IndexOutOfBoundsException} from deep inside DL4J.
 *
 * <pre>{@code
 * Require.notNull(path, "Checkpoint.load(path)", "give the .zip file that Training's checkpoint(...) wrote");
 * int k = Require.index(n, images, "ImageSet.image(n)");      // 0 <= n < images
 * int e = Require.positive(epochs, "epochs");
 * long weights = Require.product("weights", 3, 3, 100000, 100000);   // exact, or an error; never wraps around
 * int side = Require.fitsInt(weights, "an image side", "use smaller sizes");
 * }</pre>
 */
public final class Require {

    private Require() {
    }

    /** {@code value}, or an error naming {@code what} was null and how to fix it. */
    public static <T> T notNull(T value, String what, String fix) {
        if (value == null) {
            throw new IllegalArgumentException(what + " was null: " + fix);
        }
        return value;
    }

    /** {@code value} when it is at least 1, or an error naming {@code what} and the value. */
    public static int positive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
        return value;
    }

    /** {@code index} when {@code 0 <= index < size}, or an error that gives the valid range. */
    public static int index(int index, int size, String what) {
        if (size == 0) {
            throw new IndexOutOfBoundsException(what + ": there is nothing to index (the set is empty)");
        }
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(what + ": " + index + " is outside 0 to " + (size - 1)
                    + " (" + size + (size == 1 ? " item" : " items") + "; the first is 0, the last " + (size - 1) + ")");
        }
        return index;
    }

    /**
     * The exact product of sizes ({@code F_h*F_w*D1*K}, {@code n*c*h*w}), or an error naming {@code what}: Java's
     * {@code int} and {@code long} wrap around silently, which would turn a huge size into a small or negative one.
     */
    public static long product(String what, long... factors) {
        long product = 1;
        try {
            for (long factor : factors) {
                product = Math.multiplyExact(product, factor);
            }
        } catch (ArithmeticException e) {
            String formula = java.util.Arrays.stream(factors).mapToObj(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(" * "));
            throw new IllegalArgumentException(what + " = " + formula + " is larger than 9,223,372,036,854,775,807 "
                    + "(Java's largest long): the sizes are far too large; check them", e);
        }
        return product;
    }

    /** {@code value} as an {@code int} (a Java array index, an image side), or an error saying it is too large. */
    public static int fitsInt(long value, String what, String fix) {
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s is %,d, larger than %,d (the most a Java array or int can hold): %s", what, value,
                    Integer.MAX_VALUE, fix));
        }
        return (int) value;
    }
}
