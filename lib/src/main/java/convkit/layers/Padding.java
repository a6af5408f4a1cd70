package convkit.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;

/**
 * What a convolution or pooling window does at the image's edge when no explicit padding is given.
 *
 * <pre>{@code
 * ConvMath.outputSize(7, 2, 2, Padding.STRICT);   // error: (7 - 2 + 2*0)/2 + 1 = 3.5 is not an integer
 * ConvMath.outputSize(7, 2, 2, Padding.VALID);    // 3: the last column is dropped
 * ConvMath.outputSize(7, 2, 2, Padding.SAME);     // 4: zeros are added so every pixel is covered
 * }</pre>
 */
public enum Padding {
    /** No padding, and the window must end exactly on the edge: the seed's rule (DL4J's Strict mode). */
    STRICT(ConvolutionMode.Strict),
    /** No padding; pixels past the last whole window are dropped (Keras' 'valid', DL4J's Truncate mode). */
    VALID(ConvolutionMode.Truncate),
    /** Zero padding so the output is ceil(W / S) (Keras' 'same', DL4J's Same mode). */
    SAME(ConvolutionMode.Same);

    private final ConvolutionMode dl4j;

    Padding(ConvolutionMode dl4j) {
        this.dl4j = dl4j;
    }

    /** DL4J's name for this behaviour. */
    public ConvolutionMode dl4j() {
        return dl4j;
    }
}
