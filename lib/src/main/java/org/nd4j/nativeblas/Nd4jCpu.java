package org.nd4j.nativeblas;

import convkit.env.Speed;

/**
 * Workaround for a DL4J 1.0.0-M2.1 bug, not an ND4J class: DL4J's oneDNN layer helpers ask, by reflection,
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} whether oneDNN is on
 * ({@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled}). M2.1 moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the method
 * {@code isUseONEDNN}, so the lookup fails and every helper reports itself unsupported. This class answers
 * under the old name with the real answer. Remove it when DL4J's check is fixed upstream.
 *
 * <pre>{@code
 * Nd4jCpu.Environment.getInstance().isUseMKLDNN();   // true with ND4J's oneDNN natives loaded
 * }</pre>
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old name of ND4J's native environment, as far as DL4J's helpers look at it. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** The one instance, as the native class has. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded ND4J natives run conv, pooling and batch norm through oneDNN. */
        public boolean isUseMKLDNN() {
            return Speed.oneDnnActive();
        }
    }
}
