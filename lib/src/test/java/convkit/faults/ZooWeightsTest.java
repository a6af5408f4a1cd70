package convkit.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import convkit.models.Pretrained;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImageNet weights from a zoo mirror that sends a cut-off or wrong file, and a damaged file in the cache: the message
 * names the mirror and the fix (not DL4J's issue tracker), and nothing damaged is ever put in place.
 */
class ZooWeightsTest {

    @TempDir
    Path cache;
    private HttpServer mirror;
    private volatile boolean cutOff;

    @BeforeEach
    void serve() throws IOException {
        mirror = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mirror.createContext("/", exchange -> {
            byte[] part = new byte[100_000];
            // cut off: promises 500 MB and drops the connection after 100 kB; otherwise a whole, but wrong, 100 kB file
            exchange.sendResponseHeaders(200, cutOff ? 500_000_000 : part.length);
            OutputStream out = exchange.getResponseBody();
            out.write(part);
            if (cutOff) {
                throw new IOException("the connection drops here");   // the server closes it at once
            }
            out.close();
        });
        mirror.start();
        System.setProperty("convkit.data", cache.toString());
        System.setProperty("convkit.zoo.url", "http://127.0.0.1:" + mirror.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        mirror.stop(0);
        System.clearProperty("convkit.data");
        System.clearProperty("convkit.zoo.url");
    }

    private static long parts(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
        }
    }

    @Test
    void aWrongFileFromTheMirrorIsCheckedBeforeItIsMovedIntoPlace() throws IOException {
        String message = assertThrows(IllegalStateException.class, Pretrained::vgg16).getMessage();
        String url = "http://127.0.0.1:" + mirror.getAddress().getPort() + "/";
        assertTrue(message.startsWith("the ImageNet weights for vgg16 downloaded from " + url)
                && message.contains("arrived damaged or truncated (100,000 bytes with Adler-32")
                && message.contains("nothing was put in the cache")
                && message.contains("the mirror " + url + " (CONVKIT_ZOO_URL) has a bad copy of")
                && message.contains("replace it on the mirror, or unset CONVKIT_ZOO_URL to download from DL4J's site"),
                message);
        assertFalse(message.contains("github.com"), "not DL4J's issue tracker: " + message);
        assertFalse(Pretrained.cached("vgg16"));
        assertTrue(parts(Pretrained.file("vgg16").getParent()) == 0, "no temporary file left");
    }

    @Test
    void aDownloadCutOffMidwayIsCaughtByTheChecksumThoughTheConnectionSaidNothing() throws IOException {
        cutOff = true;
        // commons-io's copy ends without an error when the server drops the connection: only the checksum notices
        String message = assertThrows(IllegalStateException.class, Pretrained::vgg16).getMessage();
        assertTrue(message.contains("arrived damaged or truncated (100,000 bytes with Adler-32")
                && message.contains("Run again (a dropped connection)")
                && message.contains("the mirror http://127.0.0.1:" + mirror.getAddress().getPort() + "/ (CONVKIT_ZOO_URL)"),
                message);
        assertFalse(Pretrained.cached("vgg16"));
        assertTrue(parts(Pretrained.file("vgg16").getParent()) == 0, "no temporary file left");
    }

    @Test
    void anUnreachableMirrorIsNamedWithWhereToPutTheFile() throws IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        System.setProperty("convkit.zoo.url", "http://127.0.0.1:" + port);
        String message = assertThrows(IllegalStateException.class, Pretrained::vgg16).getMessage();
        assertTrue(message.contains("from the mirror http://127.0.0.1:" + port + " (CONVKIT_ZOO_URL) failed (ConnectException")
                && message.contains("download that file and copy it to " + Pretrained.file("vgg16").getParent()), message);
        assertTrue(parts(Pretrained.file("vgg16").getParent()) == 0, "no temporary file left");
    }

    @Test
    void aDamagedFileInTheCacheIsNamedWithTheFixAndKept() throws IOException {
        Path file = Pretrained.file("vgg16");
        Files.createDirectories(file.getParent());
        byte[] damaged = new byte[4096];
        Files.write(file, damaged);
        String message = assertThrows(IllegalStateException.class, Pretrained::vgg16).getMessage();
        assertTrue(message.startsWith("the cached weights " + file + " are damaged (4,096 bytes with Adler-32")
                && message.contains("delete the file and run again to download it from the mirror"), message);
        assertArrayEquals(damaged, Files.readAllBytes(file), "the learner decides what to do with it");
    }
}
