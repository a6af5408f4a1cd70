package convkit.models;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * DL4J's {@link Adam}, the same settings and the same update, computed in Java on the CPU. ND4J 1.0.0-M2.1's Adam op
 * takes about 5 ns per parameter on one thread (1.4 ms for the lesson 03 MLP's 269,322 parameters, a third of its whole
 * training step); the same formula in a plain Java loop, which the JIT compiles to vector instructions, takes a
 * tenth of that. The kit's networks ({@link Sequential}, {@link Transfer}, {@code convkit.architectures}) ask for
 * {@code FastAdam} wherever DL4J's {@code Adam} is given, through {@link #of(IUpdater)}; the learner keeps writing
 * {@code new Adam(1e-3)}. Arrays that are not plain float arrays in main memory (the GPU backend, half precision, a
 * strided view) go to ND4J's op, as before.
 *
 * <pre>{@code
 * IUpdater updater = FastAdam.of(new Adam(1e-3));   // a FastAdam with the same learning rate, betas and epsilon
 * IUpdater sgd = FastAdam.of(new Sgd(0.01));         // any other optimizer is given back as it is
 * }</pre>
 */
public class FastAdam extends Adam {

    /** Parameters per pass of the Java loop: three arrays of this many floats stay in the core's cache. */
    private static final int CHUNK = 8192;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][CHUNK]);

    /** Adam with Keras' defaults (learning rate 0.001); also what DL4J's configuration reader calls before setting the fields. */
    public FastAdam() {
        super();
    }

    /** Adam at this learning rate, DL4J's betas (0.9, 0.999) and epsilon (1e-8). */
    public FastAdam(double learningRate) {
        super(learningRate);
    }

    private FastAdam(Adam settings) {
        super();
        setLrAndSchedule(settings.getLearningRate(), settings.getLearningRateSchedule());
        setBeta1(settings.getBeta1());
        setBeta2(settings.getBeta2());
        setEpsilon(settings.getEpsilon());
    }

    /** A {@code FastAdam} with {@code updater}'s settings when it is DL4J's {@code Adam} itself; any other updater unchanged. */
    public static IUpdater of(IUpdater updater) {
        return updater != null && updater.getClass() == Adam.class ? new FastAdam((Adam) updater) : updater;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater updater = new Updater(this);   // as DL4J's Adam: the state is m and v one after the other, half each
        INDArray state = viewArray.reshape(viewArray.length());
        updater.setStateViewArray(state, new long[] {state.length() / 2}, state.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public FastAdam clone() {
        return new FastAdam(this);
    }

    /** ND4J's Adam updater with its {@link #applyUpdater} done in Java where the arrays allow it. */
    static final class Updater extends AdamUpdater {

        Updater(Adam config) {
            super(config);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            INDArray m = getM();
            INDArray v = getV();
            if (!plainFloats(gradient) || !plainFloats(m) || !plainFloats(v) || m.length() != gradient.length()
                    || v.length() != gradient.length() || !Nd4j.getEnvironment().isCPU()) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            Adam config = getConfig();
            step(new FloatPointer(gradient.data().addressPointer()), new FloatPointer(m.data().addressPointer()),
                    new FloatPointer(v.data().addressPointer()), gradient.length(), config.getLearningRate(iteration, epoch),
                    config.getBeta1(), config.getBeta2(), config.getEpsilon(), iteration);
        }

        /** True when {@code a}'s elements are consecutive floats from its buffer's first address (a whole array or a slice of one). */
        private static boolean plainFloats(INDArray a) {
            return a != null && a.dataType() == DataType.FLOAT && a.elementWiseStride() == 1 && !a.isEmpty()
                    && a.data().length() >= a.length();
        }
    }

    /**
     * One Adam step, ND4J's formula: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2}, and the update
     * written over {@code g}: {@code lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)} with {@code t = iteration + 1}.
     */
    static void step(FloatPointer g, FloatPointer m, FloatPointer v, long n, double learningRate, double beta1, double beta2,
            double epsilon, int iteration) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float eps = epsilon == 0 ? 1e-7f : (float) epsilon;   // as ND4J: an epsilon of 0 would divide by zero
        float b1t = (float) Math.pow(b1, iteration + 1.0);
        float b2t = (float) Math.pow(b2, iteration + 1.0);
        float rate = (float) (learningRate * Math.sqrt(1.0 - b2t) / (1.0 - b1t));
        float[][] scratch = SCRATCH.get();
        float[] gs = scratch[0];
        float[] ms = scratch[1];
        float[] vs = scratch[2];
        for (long start = 0; start < n; start += CHUNK) {
            int length = (int) Math.min(CHUNK, n - start);
            g.position(start).get(gs, 0, length);
            m.position(start).get(ms, 0, length);
            v.position(start).get(vs, 0, length);
            adam(gs, ms, vs, length, b1, b2, eps, rate);
            g.position(start).put(gs, 0, length);
            m.position(start).put(ms, 0, length);
            v.position(start).put(vs, 0, length);
        }
    }

    private static void adam(float[] g, float[] m, float[] v, int length, float b1, float b2, float eps, float rate) {
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        for (int i = 0; i < length; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + gi * c1;
            float vi = b2 * v[i] + gi * gi * c2;
            m[i] = mi;
            v[i] = vi;
            g[i] = mi * rate / ((float) Math.sqrt(vi) + eps);
        }
    }
}
