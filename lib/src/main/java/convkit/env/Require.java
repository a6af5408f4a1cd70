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
}
