package convkit.env;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which ND4J backend a kernel should start with, and why: the decision the kernel launcher makes
 * from {@code CONVKIT_BACKEND}, the presence of the GPU classpath and what {@code nvidia-smi} reports.
 *
 * <pre>{@code
 * BackendChoice c = BackendChoice.decide("auto", true, "NVIDIA H100 80GB HBM3, 9.0");
 * c.gpu();     // false
 * c.reason();  // "NVIDIA H100 80GB HBM3 has compute capability 9.0, newer than DL4J 1.0.0-M2.1 supports (3.7 to 8.9); using CPU"
 * }</pre>
 */
public record BackendChoice(boolean gpu, String device, String reason) {

    /** The environment variable that overrides the automatic choice. */
    public static final String VARIABLE = "CONVKIT_BACKEND";
    /** Oldest compute capability the CUDA 11.6 build of DL4J 1.0.0-M2.1 has kernels for. */
    public static final double MIN_CAPABILITY = 3.7;
    /** Newest compute capability it can run: machine code up to 8.6 runs on 8.x cards, no PTX for 9.0+. */
    public static final double MAX_CAPABILITY = 8.9;

    /** One GPU as {@code nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader} prints it. */
    public record Gpu(String name, double computeCapability) {
        boolean supported() {
            return computeCapability >= MIN_CAPABILITY - 1e-9 && computeCapability <= MAX_CAPABILITY + 1e-9;
        }

        String capability() {
            return String.format(Locale.ROOT, "%.1f", computeCapability);
        }
    }

    /**
     * Decides the backend.
     *
     * @param override     {@code auto}, {@code cpu} or {@code gpu} (blank means auto)
     * @param gpuClasspath whether the CUDA jars were installed ({@code make setup GPU=1})
     * @param nvidiaSmi    what nvidia-smi printed, or {@code null} when it is absent or failed
     * @throws IllegalArgumentException for an unknown override, or {@code gpu} on a machine that cannot run it
     */
    public static BackendChoice decide(String override, boolean gpuClasspath, String nvidiaSmi) {
        String wanted = override == null || override.isBlank() ? "auto" : override.trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "cpu", "gpu").contains(wanted)) {
            throw new IllegalArgumentException(VARIABLE + "=" + override + " is not a backend: use auto, cpu or gpu");
        }
        if (wanted.equals("cpu")) {
            return cpu("CPU chosen by " + VARIABLE + "=cpu");
        }
        String problem;
        Gpu usable = null;
        if (nvidiaSmi == null || nvidiaSmi.isBlank()) {
            problem = "no NVIDIA GPU found (nvidia-smi absent or silent)";
        } else {
            List<Gpu> gpus;
            try {
                gpus = parse(nvidiaSmi);
            } catch (IllegalArgumentException e) {
                gpus = List.of();
            }
            if (gpus.isEmpty()) {
                problem = "could not read nvidia-smi's answer (" + firstLine(nvidiaSmi) + ")";
            } else {
                usable = gpus.stream().filter(Gpu::supported).findFirst().orElse(null);
                Gpu first = gpus.get(0);
                problem = first.computeCapability() > MAX_CAPABILITY
                        ? first.name() + " has compute capability " + first.capability()
                            + ", newer than DL4J 1.0.0-M2.1 supports (3.7 to 8.9)"
                        : first.name() + " has compute capability " + first.capability()
                            + ", older than DL4J 1.0.0-M2.1 supports (3.7 to 8.9)";
                if (usable != null && !gpuClasspath) {
                    problem = usable.name() + " is usable but the GPU jars are not installed (run: make setup GPU=1)";
                }
            }
        }
        if (usable != null && gpuClasspath) {
            return new BackendChoice(true, usable.name(), "GPU " + usable.name() + " (compute capability "
                    + usable.capability() + ") with nd4j-cuda-11.6");
        }
        if (wanted.equals("gpu")) {
            throw new IllegalArgumentException(VARIABLE + "=gpu but " + problem
                    + ". Unset " + VARIABLE + " (or set it to cpu) to train on the CPU.");
        }
        return cpu(problem + "; using CPU");
    }

    /** Parses nvidia-smi's csv lines; throws on a line that is not {@code name, number}. */
    public static List<Gpu> parse(String nvidiaSmi) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : nvidiaSmi.strip().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma <= 0) {
                throw new IllegalArgumentException("not 'name, compute_cap': " + line);
            }
            String name = line.substring(0, comma).trim();
            try {
                gpus.add(new Gpu(name, Double.parseDouble(line.substring(comma + 1).trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not 'name, compute_cap': " + line, e);
            }
        }
        return gpus;
    }

    private static BackendChoice cpu(String reason) {
        return new BackendChoice(false, "CPU", reason);
    }

    private static String firstLine(String text) {
        String line = text.strip().split("\\R", 2)[0];
        return line.length() > 60 ? line.substring(0, 60) + "..." : line;
    }

    /**
     * Prints the decision for the kernel launcher as two lines, {@code cpu|gpu} then the reason;
     * exits with 2 and the message on an invalid override.
     * Arguments: the override, {@code true|false} for the GPU classpath; nvidia-smi output on stdin.
     */
    public static void main(String[] args) throws Exception {
        String smi = new String(System.in.readAllBytes());
        try {
            BackendChoice choice = decide(args.length > 0 ? args[0] : "", args.length > 1 && Boolean.parseBoolean(args[1]),
                    smi.isBlank() ? null : smi);
            System.out.println(choice.gpu() ? "gpu" : "cpu");
            System.out.println(choice.reason());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
