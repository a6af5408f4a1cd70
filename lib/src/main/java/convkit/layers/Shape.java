package convkit.layers;

/**
 * The shape of one image or feature map, height x width x channels, written the way the seeds write it.
 *
 * <pre>{@code
 * Shape in = Shape.of(28, 28, 1);
 * in.toString();   // "28x28x1"
 * in.tuple();      // "(28, 28, 1)", Keras' order
 * }</pre>
 */
public record Shape(int height, int width, int channels) {

    public Shape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("a shape needs positive height, width and channels; got "
                    + height + "x" + width + "x" + channels);
        }
    }

    public static Shape of(int height, int width, int channels) {
        return new Shape(height, width, channels);
    }

    /** Number of values: height * width * channels (what Flatten hands to a dense layer). */
    public long size() {
        return (long) height * width * channels;
    }

    /** Keras' way of writing it: {@code (28, 28, 1)}. */
    public String tuple() {
        return "(" + height + ", " + width + ", " + channels + ")";
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
