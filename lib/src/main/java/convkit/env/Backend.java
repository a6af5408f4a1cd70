package convkit.env;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What ND4J is running on in this JVM: backend, device, threads, memory, versions, and the reason
 * the kernel launcher gave for its choice (see {@link BackendChoice}).
 *
 * <pre>{@code
 * Backend.current().summary();   // "CPU (nd4j-native), 2 threads, ..."
 * }</pre>
 */
public record Backend(String name, boolean gpu, String device, String reason, int threads,
                      long maxHeapBytes, long maxOffHeapBytes, String blas) {

    /** Set by the kernel launcher: why this backend was chosen. */
    public static final String REASON_VARIABLE = "CONVKIT_BACKEND_REASON";

    /** Reads the running backend (this loads ND4J's natives if they are not loaded yet). */
    public static Backend current() {
        Speed.configure();
        String backendClass = Nd4j.getBackend().getClass().getSimpleName();
        boolean gpu = backendClass.toLowerCase(Locale.ROOT).contains("cuda");
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String device = gpu ? String.valueOf(env.getOrDefault("cuda.devicesInformation", "CUDA device"))
                : cpuModel();
        String reason = System.getenv(REASON_VARIABLE);
        if (reason == null || reason.isBlank()) {
            reason = gpu ? "GPU backend on the classpath" : "CPU backend (not started by the ConvKit kernel launcher)";
        }
        Object blas = env.getOrDefault("blas.vendor", "unknown");
        long offHeap = org.bytedeco.javacpp.Pointer.maxBytes();
        return new Backend(gpu ? "GPU (nd4j-cuda)" : "CPU (nd4j-native)", gpu, device, reason,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(), offHeap,
                String.valueOf(blas));
    }

    /** One line, as {@link Course#start()} prints it. */
    public String summary() {
        return String.format(Locale.ROOT, "%s on %s, %d threads, heap %s, off-heap %s - %s",
                name, device, threads, gib(maxHeapBytes), gib(maxOffHeapBytes), reason);
    }

    /** Name/value pairs for a table (lesson 00). */
    public Map<String, String> details() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("backend", name);
        rows.put("why", reason);
        rows.put("device", device);
        rows.put("threads", String.valueOf(threads));
        rows.put("max heap", gib(maxHeapBytes));
        rows.put("max off-heap (ND4J arrays)", gib(maxOffHeapBytes));
        rows.put("BLAS", blas);
        rows.put("oneDNN", gpu ? "not used (GPU backend)" : Speed.describe());
        rows.put("DL4J", "1.0.0-M2.1");
        rows.put("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        rows.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return rows;
    }

    static String gib(long bytes) {
        return bytes <= 0 ? "unbounded" : String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static String cpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: fall through to the generic name
        }
        return System.getProperty("os.arch") + " CPU";
    }
}
