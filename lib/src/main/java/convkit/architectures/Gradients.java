package convkit.architectures;

import convkit.env.Require;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What gradients reach, measured on a built network: which input pixels one output unit depends on (its receptive
 * field, seen rather than computed), and how large the gradient of a layer's weights is while training (the signal
 * that fades in a deep plain stack and survives with shortcuts).
 *
 * <pre>{@code
 * double[][] reach = Gradients.reach(stack.build(), 15);          // |d centre output / d input pixel|
 * var norms = Gradients.track(net, "conv1");                      // before Training.of(net)...fit(...)
 * norms.values();                                                 // one L2 norm per training step
 * }</pre>
 */
public final class Gradients {

    private Gradients() {
    }

    /**
     * For a network of convolutions without activations (so it is linear and its gradient is the same at every input),
     * {@code |d y / d x[r][c]|} for the output unit y at the centre of the first output channel: one forward pass over
     * {@code side * side} images that each have a single pixel at 1, minus the pass over a black image.
     */
    public static double[][] reach(ComputationGraph net, int side) {
        Require.notNull(net, "Gradients.reach(net, side)", "build the stack first, e.g. Blocks...end(last).build()");
        Require.positive(side, "Gradients.reach: side");
        int pixels = side * side;
        INDArray impulses = Nd4j.zeros(pixels + 1, 1, side, side);
        for (int p = 0; p < pixels; p++) {
            impulses.putScalar(new long[] {p, 0, p / side, p % side}, 1);
        }
        INDArray out = net.outputSingle(false, impulses);
        if (out.rank() != 4) {
            throw new IllegalArgumentException("Gradients.reach needs a network that ends in feature maps, not in "
                    + java.util.Arrays.toString(out.shape()) + ": end the stack with Blocks.end(lastConvolution)");
        }
        long centreRow = out.size(2) / 2;
        long centreCol = out.size(3) / 2;
        double black = out.getDouble(pixels, 0, centreRow, centreCol);
        double[][] reach = new double[side][side];
        for (int p = 0; p < pixels; p++) {
            reach[p / side][p % side] = Math.abs(out.getDouble(p, 0, centreRow, centreCol) - black);
        }
        return reach;
    }

    /** Side of the smallest square holding every pixel of {@code reach} above {@code 1e-6} of its largest value. */
    public static int reachedSide(double[][] reach) {
        double largest = 0;
        for (double[] row : reach) {
            for (double v : row) {
                largest = Math.max(largest, v);
            }
        }
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        for (int r = 0; r < reach.length; r++) {
            for (double v : reach[r]) {
                if (v > 1e-6 * largest) {
                    top = Math.min(top, r);
                    bottom = Math.max(bottom, r);
                }
            }
        }
        return bottom < 0 ? 0 : bottom - top + 1;
    }

    /** The L2 norm of one layer's weight gradient at every training step from now on (a listener added to {@code net}). */
    public static Norms track(ComputationGraph net, String layer) {
        Require.notNull(net, "Gradients.track(net, layer)", "build the network first");
        if (net.getLayer(layer) == null) {
            throw new IllegalArgumentException("Gradients.track: the network has no layer '" + layer + "'");
        }
        Norms norms = new Norms(layer + "_W");
        List<TrainingListener> listeners = new ArrayList<>(net.getListeners());
        listeners.add(norms);
        net.setListeners(listeners);
        return norms;
    }

    /** The norms one {@link #track} call records. */
    public static final class Norms extends BaseTrainingListener {
        private final String key;
        private final List<Double> values = new ArrayList<>();

        private Norms(String key) {
            this.key = key;
        }

        @Override
        public void onGradientCalculation(Model model) {
            INDArray gradient = model.gradient().getGradientFor(key);
            if (gradient != null) {
                values.add(gradient.norm2Number().doubleValue());
            }
        }

        /** One norm per training step. */
        public double[] values() {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /** The mean of the last {@code n} steps (fewer if there were fewer). */
        public double lastMean(int n) {
            double[] v = values();
            int from = Math.max(0, v.length - n);
            double sum = 0;
            for (int i = from; i < v.length; i++) {
                sum += v[i];
            }
            return v.length == from ? Double.NaN : sum / (v.length - from);
        }
    }
}
