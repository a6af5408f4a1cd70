package convkit.faults;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a folder for one test, to fill a disk or make it read-only for real (permissions alone do
 * not stop root). Needs root; a test is skipped, with the reason, where it cannot mount.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path folder;

    private SmallDisk(Path folder) {
        this.folder = folder;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "1m") on {@code folder}, created if missing. */
    public static SmallDisk mount(Path folder, String size) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "a full or read-only disk needs a tmpfs mount, which needs root (CI runs the tests as root)");
        Files.createDirectories(folder);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", folder.toString()),
                "mount -t tmpfs failed (a container without CAP_SYS_ADMIN?)");
        return new SmallDisk(folder);
    }

    /** The mounted folder. */
    public Path folder() {
        return folder;
    }

    /** Makes the disk read-only, keeping what is on it. */
    public void readOnly() throws IOException, InterruptedException {
        if (!run("mount", "-o", "remount,ro", folder.toString())) {
            throw new IllegalStateException("could not remount " + folder + " read-only");
        }
    }

    /** Fills the disk to the last byte with a file {@code name}; returns the file. */
    public Path fill(String name) throws IOException {
        Path filler = folder.resolve(name);
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full: that was the point
        }
        return filler;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!run("umount", folder.toString())) {
            throw new IllegalStateException("could not unmount " + folder);
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
