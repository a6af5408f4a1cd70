package convkit.data;

import convkit.display.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Fetches one URL ({@code http}, {@code https} or {@code file}) into a temporary file next to its destination,
 * checking size and SHA-256 as the bytes arrive; the caller moves it into place only once it is whole and right.
 */
final class Download {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(15))
            .build();

    /** Why a source did not give the right bytes; the message says what came back. */
    static final class Failed extends Exception {
        private final boolean unreachable;

        Failed(String message) {
            this(message, false);
        }

        Failed(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }

        /** True when the server could not be reached at all (no network, unknown host, nothing listening). */
        boolean unreachable() {
            return unreachable;
        }
    }

    private Download() {
    }

    /**
     * Downloads {@code uri} into a new temporary file in {@code folder}; returns it only when it has exactly
     * {@code bytes} bytes with SHA-256 {@code sha256}, otherwise deletes it and throws {@link Failed}.
     */
    static Path fetch(URI uri, Path folder, long bytes, String sha256, String title) throws Failed {
        Path temp;
        try {
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, ".download-", ".part");
        } catch (IOException e) {
            throw new Failed("cannot write to " + folder + ": " + e.getMessage());
        }
        boolean ok = false;
        try (InputStream in = open(uri)) {
            MessageDigest digest = sha256Digest();
            Progress progress = Progress.start(title);
            long seen = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    seen += n;
                    if (bytes >= 0 && seen > bytes) {
                        throw new Failed("sent more than the expected " + bytes + " bytes: not the right file");
                    }
                    out.write(buffer, 0, n);
                    progress.update(bytes > 0 ? (double) seen / bytes : 0, megabytes(seen) + " of " + megabytes(bytes));
                }
            }
            if (bytes >= 0 && seen != bytes) {
                progress.finish("stopped after " + megabytes(seen));
                throw new Failed("got " + seen + " bytes, expected " + bytes + " (interrupted or truncated)");
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                progress.finish("wrong checksum");
                throw new Failed("SHA-256 is " + actual + ", expected " + sha256 + " (corrupt or a different file)");
            }
            progress.finish(megabytes(seen) + ", checksum ok");
            ok = true;
            return temp;
        } catch (java.net.ConnectException | java.net.UnknownHostException e) {
            throw new Failed("cannot connect to " + uri.getHost() + " (offline, or the server is down)", true);
        } catch (IOException e) {
            throw new Failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        } finally {
            if (!ok) {
                deleteQuietly(temp);
            }
        }
    }

    private static InputStream open(URI uri) throws IOException, InterruptedException, Failed {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return Files.newInputStream(Path.of(uri));
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Failed("cannot download " + uri + ": only http, https and file URLs are supported");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new Failed("HTTP status " + response.statusCode());
        }
        return response.body();
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    static String megabytes(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /**
     * Moves a finished temporary file over {@code target} in one step, readable by everyone like a normal file
     * (temporary files start private).
     */
    static void publish(Path temp, Path target) throws IOException {
        try {
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover .part file is harmless: it never has the final name
        }
    }
}
