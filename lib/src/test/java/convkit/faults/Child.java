package convkit.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Another JVM running a test's {@code main}, as a second kernel would: to kill it with {@code kill -9} midway, to give
 * it little memory, or to start it fresh after another was killed.
 */
public final class Child {

    private final Process process;
    private final Path output;

    private Child(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code main} with these JVM options and arguments; its output goes to {@code output}. */
    public static Child start(Class<?> main, Path output, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new Child(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start(),
                output);
    }

    /** Waits until {@code condition} holds (polling), or fails with the child's output after {@code timeout}. */
    public void awaitOrFail(BooleanSupplier condition, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end || !process.isAlive()) {
                throw new AssertionError("the child " + (process.isAlive() ? "did not get there in " + timeout
                        : "ended with " + process.exitValue()) + "; its output:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** {@code kill -9}: the process ends at once, without running any clean-up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the child to end and returns its exit code. */
    public int exitCode(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not end in " + timeout + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    /** What the child printed. */
    public String output() throws IOException {
        return Files.readString(output);
    }
}
