package convkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import convkit.faults.Child;
import convkit.faults.SmallDisk;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads when things go wrong: the network comes back, the kernel is killed midway, the disk fills up, the cache
 * is read-only. Each time the message says what happened and what to do, and no good file is lost.
 */
class DownloadFaultsTest {

    /** 3 MB, more than the 1 MB disk of the full-disk case. */
    private static final byte[] BIG = new byte[3 << 20];

    static {
        new Random(7).nextBytes(BIG);
    }

    @TempDir
    Path dir;
    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/big", exchange -> {
            exchange.sendResponseHeaders(200, BIG.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BIG);
            }
        });
        // a third of the file, then nothing until the test ends: a download that is still running
        server.createContext("/stall", exchange -> {
            exchange.sendResponseHeaders(200, BIG.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BIG, 0, BIG.length / 3);
                out.flush();
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static DataFiles files(Path cache, DataFiles.Unreachable memory, URI... urls) {
        var file = new Manifest.DataFile("big", BIG.length, DataFilesTest.sha256(BIG), -1, null, List.of(urls), null);
        var set = new Manifest.DataSet("blobs", "Blobs", "public domain", null, null, List.of(file));
        return new DataFiles(new Manifest(Map.of("blobs", set)), cache, cache, memory);
    }

    private static List<Path> parts(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void aServerThatWasUnreachableIsAskedAgainAfterAMinuteSoReconnectingNeedsNoKernelRestart() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        AtomicLong clock = new AtomicLong();
        DataFiles files = files(dir.resolve("cache"), new DataFiles.Unreachable(clock::get),
                URI.create("http://127.0.0.1:" + port + "/big"));
        var offline = assertThrows(IllegalStateException.class, () -> files.get("blobs", "big"));
        assertTrue(offline.getMessage().contains("cannot connect to 127.0.0.1 (offline, or the server is down)")
                && offline.getMessage().contains("asked again after 60 s"), offline.getMessage());
        HttpServer back = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        back.createContext("/big", exchange -> {
            exchange.sendResponseHeaders(200, BIG.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BIG);
            }
        });
        back.start();
        try {
            clock.addAndGet(Duration.ofSeconds(10).toNanos());
            var soon = assertThrows(IllegalStateException.class, () -> files.get("blobs", "big"));
            assertTrue(soon.getMessage().contains("skipped, 127.0.0.1:" + port + " was unreachable 10 s ago (asked again "
                    + "after 60 s)"), soon.getMessage());
            clock.addAndGet(Duration.ofSeconds(50).toNanos());
            assertArrayEquals(BIG, Files.readAllBytes(files.get("blobs", "big").path()), "the same kernel, reconnected");
        } finally {
            back.stop(0);
        }
    }

    /** The kernel that is killed: downloads from the stalling server until {@code kill -9}. */
    static final class KilledDownload {
        public static void main(String[] args) throws Exception {
            Download.fetch(URI.create(args[0]), Path.of(args[1]), BIG.length, DataFilesTest.sha256(BIG), "download");
        }
    }

    /** The next kernel: its first use of the cache removes what the killed one left. */
    static final class NextStart {
        public static void main(String[] args) {
            System.out.println("cache " + DataFiles.cacheFolder());
        }
    }

    @Test
    void aDownloadKilledMidwayLeavesAPartFileThatTheNextStartRemoves() throws Exception {
        Path cache = dir.resolve("cache");
        Path folder = cache.resolve("blobs");
        Child killed = Child.start(KilledDownload.class, dir.resolve("killed.txt"), List.of("-Xmx128m"),
                url("/stall").toString(), folder.toString());
        killed.awaitOrFail(() -> {
            try {
                return parts(folder).stream().anyMatch(p -> p.toFile().length() >= BIG.length / 3);
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(60));
        killed.kill();
        List<Path> left = parts(folder);
        assertEquals(1, left.size(), "kill -9 leaves the partial download: " + left);

        // files the clean-up must not touch: this running kernel's download, and a fresh one of an unknown writer
        Path running = TempFiles.in(folder, "download");
        Path unknownFresh = Files.createFile(folder.resolve(".download-123.part"));
        Path unknownOld = Files.createFile(folder.resolve(".download-456.part"));
        Files.setLastModifiedTime(unknownOld, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));

        Child next = Child.start(NextStart.class, dir.resolve("next.txt"), List.of("-Xmx128m",
                "-Dconvkit.data=" + cache));
        assertEquals(0, next.exitCode(Duration.ofSeconds(60)), next.output());
        assertEquals(Set.of(running, unknownFresh), Set.copyOf(parts(folder)),
                "the killed kernel's file and the old unknown one are gone, the others kept");
    }

    @Test
    void aFullDiskStopsTheDownloadWithTheReasonAndKeepsWhatIsInTheCache() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), "1m")) {
            Path cache = disk.folder();
            Path good = Files.writeString(Files.createDirectories(cache.resolve("mnist")).resolve("train"), "good");
            var e = assertThrows(IllegalStateException.class,
                    () -> files(cache, new DataFiles.Unreachable(System::nanoTime), url("/big"), url("/big")).get("blobs", "big"));
            assertTrue(e.getMessage().contains("could not store blobs/big (3.1 MB) in the cache")
                    && e.getMessage().contains("the disk that holds " + cache.resolve("blobs") + " is full")
                    && e.getMessage().contains("Set CONVKIT_DATA to a writable folder with room for it"), e.getMessage());
            assertEquals(List.of(), parts(cache.resolve("blobs")), "the partial file is removed");
            assertFalse(Files.exists(cache.resolve("blobs/big")));
            assertEquals("good", Files.readString(good), "the rest of the cache is intact");
        }
    }

    @Test
    void aReadOnlyCacheServesWhatItHasAndExplainsWhatItCannotStore() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("readonly"), "8m")) {
            Path cache = disk.folder();
            DataFiles files = files(cache, new DataFiles.Unreachable(System::nanoTime), url("/big"));
            Path cached = files.get("blobs", "big").path();
            disk.readOnly();
            assertArrayEquals(BIG, files.get("blobs", "big").content(), "a verified file is read from a read-only cache");
            var missing = new Manifest.DataFile("other", BIG.length, DataFilesTest.sha256(BIG), -1, null,
                    List.of(url("/big")), null);
            var set = new Manifest.DataSet("more", "More", "public domain", null, null, List.of(missing));
            var e = assertThrows(IllegalStateException.class, () -> new DataFiles(new Manifest(Map.of("more", set)),
                    cache, cache, new DataFiles.Unreachable(System::nanoTime)).get("more", "other"));
            assertTrue(e.getMessage().contains("is on a read-only file system")
                    && e.getMessage().contains("Set CONVKIT_DATA to a writable folder"), e.getMessage());
            assertArrayEquals(BIG, Files.readAllBytes(cached));
            String old = System.getProperty("convkit.data");
            System.setProperty("convkit.data", cache.toString());
            try {
                assertEquals(cache, DataFiles.cacheFolder(), "the cache folder itself is usable read-only");
            } finally {
                if (old == null) {
                    System.clearProperty("convkit.data");
                } else {
                    System.setProperty("convkit.data", old);
                }
            }
        }
    }
}
