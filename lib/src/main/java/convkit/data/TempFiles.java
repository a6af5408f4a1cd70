package convkit.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporary files a download, an unpacked data file, a checkpoint or zoo weights are written to before they are
 * moved into place whole (and the temporary folders a generated data set is drawn into), and the clean-up of the
 * ones a killed kernel left behind. Each name carries the writer's process id and machine, so the clean-up removes
 * only files whose writer has ended.
 *
 * <pre>{@code
 * Path temp = TempFiles.beside(target);    // .best.zip.4242@laptop.1234567.part, in target's folder
 * ... write temp ...
 * TempFiles.publish(temp, target);         // one atomic move: target is the old file or the new one, never half
 * TempFiles.clean(folder);                 // removes leftovers of ended processes
 * }</pre>
 */
public final class TempFiles {

    /** A file of a writer on another machine (a shared cache), or without an id, is left alone this long. */
    static final Duration UNTOUCHED = Duration.ofMinutes(10);
    /** Whatever its writer, a temporary file untouched this long is a leftover (a reused process id). */
    static final Duration ABANDONED = Duration.ofDays(1);
    /** DL4J's ModelSerializer copies a whole model to {@code dl4jModelSerializerTemp*} in the temp folder. */
    static final String DL4J_PREFIX = "dl4jModelSerializerTemp";

    private static final String SUFFIX = ".part";
    /** {@code .<target>.<pid>@<host>.<random>.part}; older versions wrote {@code .<name>-<random>.part}. */
    private static final Pattern OWNER = Pattern.compile(".*\\.(\\d+)@([A-Za-z0-9]*)\\.\\d+\\.part");
    /** The folders older versions drew a galaxy set into ({@code <set>.part-<random>}), removed once abandoned. */
    private static final Pattern OLD_FOLDER = Pattern.compile(".+\\.part-\\d+");
    static final String HOST = host();

    private TempFiles() {
    }

    /** A new, empty temporary file in {@code target}'s folder (created if missing), named after the target. */
    public static Path beside(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        return in(absolute.getParent(), absolute.getFileName().toString());
    }

    /** A new, empty temporary file in {@code folder} (created if missing) whose name starts with {@code what}. */
    public static Path in(Path folder, String what) throws IOException {
        Files.createDirectories(folder);
        return Files.createTempFile(folder, "." + what + "." + ProcessHandle.current().pid() + "@" + HOST + ".", SUFFIX);
    }

    /**
     * A new, empty temporary folder beside {@code target} (a folder to be), named like the temporary files, so the
     * same clean-up removes it, with everything in it, once its writer has ended. Move it into place with
     * {@link java.nio.file.Files#move} and {@code ATOMIC_MOVE}.
     */
    public static Path folderBeside(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        String prefix = "." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "@" + HOST + ".";
        while (true) {
            Path folder = absolute.resolveSibling(prefix + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE) + SUFFIX);
            try {
                return Files.createDirectory(folder);
            } catch (FileAlreadyExistsException e) {
                // the same random number twice: draw another
            }
        }
    }

    /** Deletes a folder and everything in it (or a file); nothing happens if it is not there. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Moves a finished temporary file over {@code target} in one step, readable by everyone like a normal file
     * (temporary files start private).
     */
    public static void publish(Path temp, Path target) throws IOException {
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a file if it is there; a failure is ignored (a leftover temporary file never has the final name). */
    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the clean-up at the next start removes it
        }
    }

    /** Removes the leftover temporary files in {@code folder} (not in its sub-folders); returns what it removed. */
    public static List<Path> clean(Path folder) {
        return cleanTree(folder, 1);
    }

    /** Removes leftover temporary files down to {@code depth} levels below {@code root}; returns what it removed. */
    public static List<Path> cleanTree(Path root, int depth) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        Instant now = Instant.now();
        List<Path> found;
        try (Stream<Path> files = Files.walk(root, depth)) {
            found = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) ? leftover(f, now) : oldFolder(f, now)).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();   // an unreadable folder: nothing of ours can be in it
        }
        // a leftover folder's own contents are not listed apart: the folder goes whole
        return removed(found.stream().filter(f -> found.stream().noneMatch(other -> other != f && f.startsWith(other))));
    }

    /**
     * Removes the model copies DL4J's ModelSerializer leaves in its temp folder ({@code dl4jModelSerializerTemp*} in
     * {@code org.nd4j.tempdir}, else {@code java.io.tmpdir}; deleted only when the JVM exits normally): those untouched
     * for {@link #UNTOUCHED}, which no saving or loading still reads.
     */
    public static List<Path> cleanDl4jTemp() {
        Path folder = Path.of(System.getProperty("org.nd4j.tempdir", System.getProperty("java.io.tmpdir")));
        Instant now = Instant.now();
        try (Stream<Path> files = Files.list(folder)) {
            return removed(files.filter(f -> f.getFileName().toString().startsWith(DL4J_PREFIX))
                    .filter(f -> untouchedFor(f, UNTOUCHED, now)));
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /**
     * Why writing in {@code folder} failed, in words a learner can act on: a full disk (with the space left), a
     * read-only file system, a missing permission; otherwise the error itself.
     */
    public static String why(IOException e, Path folder) {
        String local = local(e, folder);
        return local != null ? local : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** True when {@link #why} found the problem on this machine (disk full, read-only, permission), not at a source. */
    static boolean isLocal(IOException e) {
        return local(e, Path.of("")) != null;
    }

    private static String local(IOException e, Path folder) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        String text = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (text.contains("no space left")) {
            return "the disk that holds " + folder + " is full (" + usableSpace(folder) + " free): free some space there,"
                    + " or write to a folder on another disk";
        }
        if (text.contains("read-only file system")) {
            return folder + " is on a read-only file system: write to a writable folder instead";
        }
        if (e instanceof AccessDeniedException || text.contains("permission denied")) {
            return "no permission to write in " + folder + ": write to a folder you own instead";
        }
        return null;
    }

    private static boolean oldFolder(Path file, Instant now) {
        return OLD_FOLDER.matcher(file.getFileName().toString()).matches()
                && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && untouchedFor(file, ABANDONED, now);
    }

    static boolean leftover(Path file, Instant now) {
        if (untouchedFor(file, ABANDONED, now)) {
            return true;
        }
        Matcher owner = OWNER.matcher(file.getFileName().toString());
        if (owner.matches() && owner.group(2).equals(HOST)) {
            long pid = Long.parseLong(owner.group(1));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }
        return untouchedFor(file, UNTOUCHED, now);
    }

    private static boolean untouchedFor(Path file, Duration age, Instant now) {
        try {
            return lastTouched(file).plus(age).isBefore(now);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** A file's last change; a folder's is the latest of it and the folders two levels in (a data set's split/class). */
    private static Instant lastTouched(Path file) throws IOException {
        if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return Files.getLastModifiedTime(file).toInstant();
        }
        try (Stream<Path> folders = Files.walk(file, 2)) {
            Instant latest = Instant.MIN;
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                Instant changed = Files.getLastModifiedTime(folder).toInstant();
                latest = changed.isAfter(latest) ? changed : latest;
            }
            return latest;
        }
    }

    private static List<Path> removed(Stream<Path> candidates) {
        List<Path> removed = new ArrayList<>();
        candidates.forEach(f -> {
            try {
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(f);
                    removed.add(f);
                } else if (Files.deleteIfExists(f)) {
                    removed.add(f);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // read-only or another user's: not ours to remove
            }
        });
        return removed;
    }

    private static String usableSpace(Path folder) {
        for (Path dir = folder.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            try {
                return Download.megabytes(Files.getFileStore(dir).getUsableSpace());
            } catch (IOException e) {
                // not created yet: ask its parent
            }
        }
        return "? MB";
    }

    /** This machine's name, letters and digits only; containers sharing a cache have different names. */
    private static String host() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = Files.readString(Path.of("/etc/hostname"));
            } catch (IOException e) {
                name = "";
            }
        }
        return name.replaceAll("[^A-Za-z0-9]", "");
    }
}
