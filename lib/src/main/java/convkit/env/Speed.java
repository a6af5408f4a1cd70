package convkit.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Makes DL4J fast on the CPU without any action from the learner: loads ND4J's oneDNN natives built for this
 * processor and turns on DL4J's oneDNN helpers for convolution, pooling and batch norm (about 8x faster
 * training than DL4J's defaults). {@link Course#start()}, {@link Backend#current()} and the models call it.
 *
 * <pre>{@code
 * Speed.configure();       // before ND4J loads: picks the "-onednn-avx2" natives on an AVX2 processor
 * Speed.oneDnnActive();    // true: conv and pooling layers run through oneDNN
 * Speed.describe();        // "on: natives linux-x86_64-onednn-avx2, DL4J layer helpers enabled"
 * }</pre>
 */
public final class Speed {

    /** JavaCPP's choice among ND4J's native builds (a suffix of the platform, such as {@code -onednn-avx2}). */
    public static final String NATIVES_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** DL4J 1.0.0-M2.1 creates no layer helper at all unless this is {@code false} (its default is {@code true}). */
    public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private static final String NATIVE_LIBRARY = "jnind4jcpu";
    private static final String NATIVES_FOLDER = "org/nd4j/linalg/cpu/nativecpu/bindings/";
    private static Boolean oneDnn;

    private Speed() {
    }

    /**
     * Sets the system properties that make DL4J fast, leaving alone any the user set. The native build can
     * only be chosen before ND4J loads; the helper switch is read whenever a network is built.
     */
    public static synchronized void configure() {
        if (System.getProperty(HELPERS_PROPERTY) == null) {
            System.setProperty(HELPERS_PROPERTY, "false");
        }
        if (System.getProperty(NATIVES_PROPERTY) == null && !nativesLoaded()) {
            String platform = Loader.getPlatform();
            String extension = nativesFor(platform, cpuFlags(), folder -> Speed.class.getClassLoader()
                    .getResource(NATIVES_FOLDER + folder + "/" + System.mapLibraryName(NATIVE_LIBRARY)) != null);
            if (extension != null) {
                System.setProperty(NATIVES_PROPERTY, extension);
            }
        }
    }

    /**
     * The oneDNN build to load on {@code platform} for a processor with these feature {@code flags}, or
     * {@code null} when none is on the classpath ({@code present} says whether a natives folder exists):
     * the AVX2 build where the processor has AVX2, else the generic one.
     */
    static String nativesFor(String platform, Set<String> flags, Predicate<String> present) {
        List<String> candidates = flags.contains("avx2") ? List.of("-onednn-avx2", "-onednn") : List.of("-onednn");
        return candidates.stream().filter(ext -> present.test(platform + ext)).findFirst().orElse(null);
    }

    /** Whether the loaded ND4J natives run layers through oneDNN (loads ND4J; false on the GPU backend). */
    public static synchronized boolean oneDnnActive() {
        if (oneDnn == null) {
            configure();
            boolean cpu = "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
            oneDnn = cpu && NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN")
                    && org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
        return oneDnn;
    }

    /** The ND4J native build in use, such as {@code linux-x86_64-onednn-avx2} (loads ND4J). */
    public static String natives() {
        Nd4j.getExecutioner();
        String path = Loader.getLoadedLibraries().get(NATIVE_LIBRARY);
        return path == null ? "none (not the CPU backend)" : Path.of(path).getParent().getFileName().toString();
    }

    /** One line for {@link Backend#details()}: whether oneDNN is on and why not when it is off. */
    public static String describe() {
        boolean helpers = !Boolean.parseBoolean(System.getProperty(HELPERS_PROPERTY, "true"));
        if (oneDnnActive()) {
            return "on: natives " + natives() + ", DL4J layer helpers " + (helpers ? "enabled" : "disabled by -D"
                    + HELPERS_PROPERTY + "=true");
        }
        return "off: natives " + natives() + " have no oneDNN";
    }

    private static boolean nativesLoaded() {
        return Loader.getLoadedLibraries().containsKey(NATIVE_LIBRARY);
    }

    private static Set<String> cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return new HashSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT).split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no flags known, so only the generic build qualifies
        }
        return Set.of();
    }
}
