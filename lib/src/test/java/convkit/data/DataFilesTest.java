package convkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import convkit.display.Display;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download chain against a local HTTP server that serves good, truncated and corrupt copies. */
class DataFilesTest {

    /** A small IDX labels file: the content every source must reproduce. */
    private static final byte[] CONTENT = {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 0};
    private static final byte[] GZ = gzip(CONTENT);

    @TempDir
    Path dir;
    private HttpServer server;
    private Path cache;

    @BeforeEach
    void serve() throws IOException {
        cache = dir.resolve("cache");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/good.gz", exchange -> {
            exchange.sendResponseHeaders(200, GZ.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(GZ);
            }
        });
        server.createContext("/truncated.gz", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(GZ, 0, GZ.length / 2);
            }
        });
        server.createContext("/corrupt.gz", exchange -> {
            byte[] flipped = GZ.clone();
            flipped[flipped.length / 2] ^= 0x55;
            exchange.sendResponseHeaders(200, flipped.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(flipped);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        Display.connect(null);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private DataFiles files(Manifest.Registry registry, String registryPath, URI... urls) {
        var file = new Manifest.DataFile("labels", CONTENT.length, sha256(CONTENT), GZ.length, sha256(GZ),
                List.of(urls), registryPath);
        var set = new Manifest.DataSet("digits", "Digits", "public domain", null, registry, List.of(file));
        return new DataFiles(new Manifest(Map.of("digits", set)), dir, cache, new DataFiles.Unreachable(System::nanoTime));
    }

    private Path cached() {
        return cache.resolve("digits/labels");
    }

    private List<String> leftovers() throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(cache.resolve("digits"))) {
            try (var list = Files.list(cache.resolve("digits"))) {
                list.forEach(p -> names.add(p.getFileName().toString()));
            }
        }
        return names;
    }

    @Test
    void downloadsVerifiesAndCachesTheUncompressedFile() throws IOException {
        List<String> shown = new ArrayList<>();
        Display.connect(new Display.Sink() {
            @Override
            public String display(String mime, String content) {
                shown.add(content);
                return "1";
            }

            @Override
            public void update(String id, String mime, String content) {
                shown.add(content);
            }
        });
        DataFiles.Verified got = files(null, null, url("/good.gz")).get("digits", "labels");
        assertEquals(cached(), got.path());
        assertArrayEquals(CONTENT, Files.readAllBytes(cached()));
        assertArrayEquals(CONTENT, got.content());
        assertEquals(List.of("labels"), leftovers(), "no temporary files left");
        assertTrue(shown.get(shown.size() - 1).contains("checksum ok"), "progress shows the result: " + shown);
    }

    @Test
    void aGoodCachedFileIsUsedWithoutAnyNetwork() throws IOException {
        Files.createDirectories(cached().getParent());
        Files.write(cached(), CONTENT);
        var got = files(null, null, URI.create("http://127.0.0.1:1/unreachable.gz")).get("digits", "labels");
        assertEquals(cached(), got.path());
    }

    @Test
    void truncatedAndCorruptDownloadsAreRejectedAndTheNextSourceIsTried() throws IOException {
        var got = files(null, null, url("/truncated.gz"), url("/corrupt.gz"), url("/good.gz")).get("digits", "labels");
        assertArrayEquals(CONTENT, Files.readAllBytes(got.path()));
        assertEquals(List.of("labels"), leftovers());
    }

    @Test
    void whenEverySourceFailsTheMessageListsThemAndTheCacheIsUntouched() throws IOException {
        Files.createDirectories(cached().getParent());
        byte[] damaged = Arrays.copyOf(CONTENT, 7);
        Files.write(cached(), damaged);
        var e = assertThrows(IllegalStateException.class, () -> files(
                new Manifest.Registry("deb", "digits-data", "sudo apt-get install digits-data"),
                dir.resolve("no-such-package/labels.gz").toString(),
                url("/truncated.gz"), url("/corrupt.gz"), url("/missing.gz"), URI.create("http://127.0.0.1:1/x.gz"),
                URI.create("http://127.0.0.1:1/y.gz"))
                .get("digits", "labels"));
        String message = e.getMessage();
        assertTrue(message.contains("cache " + cached() + ": has 7 bytes"), message);
        assertTrue(message.contains("/truncated.gz: got "), message);
        assertTrue(message.contains("/corrupt.gz: SHA-256 is "), message);
        assertTrue(message.contains("/missing.gz: HTTP status 404"), message);
        assertTrue(message.contains("/x.gz: cannot connect to 127.0.0.1"), message);
        assertTrue(message.contains("/y.gz: skipped, 127.0.0.1:1 was unreachable 0 s ago (asked again after 60 s)"), message);
        assertTrue(message.contains("deb package digits-data: "), message);
        assertTrue(message.contains("sudo apt-get install digits-data"), message);
        assertTrue(message.contains("CONVKIT_MODE=quick"), message);
        assertArrayEquals(damaged, Files.readAllBytes(cached()), "a failed fetch leaves the old file as it was");
        assertEquals(List.of("labels"), leftovers());
    }

    @Test
    void aDamagedCachedFileIsReplacedByAVerifiedDownload() throws IOException {
        Files.createDirectories(cached().getParent());
        Files.write(cached(), new byte[] {1, 2, 3});
        files(null, null, url("/good.gz")).get("digits", "labels");
        assertArrayEquals(CONTENT, Files.readAllBytes(cached()));
    }

    @Test
    void fileUrlsWork() throws IOException {
        Path local = Files.write(dir.resolve("copy.gz"), GZ);
        var got = files(null, null, local.toUri()).get("digits", "labels");
        assertArrayEquals(CONTENT, Files.readAllBytes(got.path()));
    }

    @Test
    void offlineFallsBackToTheDebianPackageFile() throws IOException {
        Path installed = Files.write(dir.resolve("usr-share-labels.gz"), GZ);
        var got = files(new Manifest.Registry("deb", "digits-data", null), installed.toString(),
                URI.create("http://127.0.0.1:1/offline.gz")).get("digits", "labels");
        assertArrayEquals(CONTENT, Files.readAllBytes(got.path()));
    }

    @Test
    void offlineFallsBackToTheNpmTarballInTheCache() throws IOException {
        Path tarball = cache.resolve("registry/digits-data-1.0.0.tgz");
        Files.createDirectories(tarball.getParent());
        try (var tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(tarball)))) {
            for (String name : List.of("package/readme.md", "package/data/labels")) {
                TarArchiveEntry entry = new TarArchiveEntry(name);
                byte[] body = name.endsWith("labels") ? CONTENT : "hello".getBytes();
                entry.setSize(body.length);
                tar.putArchiveEntry(entry);
                tar.write(body);
                tar.closeArchiveEntry();
            }
        }
        var got = files(new Manifest.Registry("npm", "digits-data@1.0.0", null), "package/data/labels",
                URI.create("http://127.0.0.1:1/offline.gz")).get("digits", "labels");
        assertArrayEquals(CONTENT, Files.readAllBytes(got.path()));
    }

    @Test
    void aMissingCacheFolderIsCreated() {
        Path wanted = dir.resolve("not/yet/there");
        System.setProperty("convkit.data", wanted.toString());
        try {
            assertEquals(wanted, DataFiles.cacheFolder());
            assertTrue(Files.isDirectory(wanted));
        } finally {
            System.clearProperty("convkit.data");
        }
    }

    @Test
    void theRepositoryManifestIsFoundAndConsistent() {
        Path home = DataFiles.home();
        Manifest manifest = Manifest.read(home.resolve("datasets/manifest.json"));
        for (String name : List.of("mnist-small", "mnist", "fashion-mnist")) {
            assertEquals(4, manifest.set(name).files().size(), name);
            assertTrue(manifest.set(name).licence().length() > 3, name);
        }
        for (var file : manifest.set("mnist-small").files()) {
            Path gz = home.resolve("datasets/mnist-small").resolve(file.name() + ".gz");
            assertEquals(file.gzSha256(), sha256(read(gz)), "the bundled " + gz + " matches its gz checksum");
        }
        assertTrue(manifest.set("mnist").files().get(0).urls().size() >= 2, "more than one mirror");
        var e = assertThrows(IllegalArgumentException.class, () -> manifest.set("cifar"));
        assertTrue(e.getMessage().contains("known: "), e.getMessage());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
