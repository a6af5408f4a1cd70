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

        /** Where the fault is: at the source, on the way to it, or on this machine (which no other source fixes). */
        enum Where { SOURCE, UNREACHABLE, LOCAL }

        private final Where where;

        Failed(String message) {
            this(message, Where.SOURCE);
        }

        Failed(String message, Where where) {
            super(message);
            this.where = where;
        }

        /** True when the server could not be reached at all (no network, unknown host, nothing listening). */
        boolean unreachable() {
            return where == Where.UNREACHABLE;
        }

        /** True when this machine cannot store the file (disk full, read-only, no permission). */
        boolean local() {
            return where == Where.LOCAL;
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
            TempFiles.clean(folder);
            temp = TempFiles.in(folder, "download");
        } catch (IOException e) {
            throw new Failed("cannot write to " + folder + ": " + TempFiles.why(e, folder), Failed.Where.LOCAL);
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
        } catch (java.net.ConnectException | java.net.UnknownHostException | java.net.http.HttpConnectTimeoutException e) {
            throw new Failed("cannot connect to " + uri.getHost() + " (offline, or the server is down)",
                    Failed.Where.UNREACHABLE);
        } catch (IOException e) {
            throw new Failed(TempFiles.why(e, folder), TempFiles.isLocal(e) ? Failed.Where.LOCAL : Failed.Where.SOURCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        } finally {
            if (!ok) {
                TempFiles.deleteQuietly(temp);
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
}
