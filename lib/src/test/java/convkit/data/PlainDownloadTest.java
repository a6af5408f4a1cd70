package convkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file published as it is (no gzip, size not recorded), like Galaxy10_DECals.h5: checked by its SHA-256 alone. */
class PlainDownloadTest {

    @TempDir
    Path dir;

    private DataFiles files(String sha256, Path source) throws Exception {
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, "{\"datasets\": {\"plain\": {\"title\": \"Plain\", \"files\": [{\"name\": \"data.h5\", "
                + "\"bytes\": -1, \"sha256\": \"" + sha256 + "\", \"urls\": [\"" + source.toUri() + "\"]}]}}}");
        return new DataFiles(Manifest.read(manifest), dir, dir.resolve("cache"), new DataFiles.Unreachable(System::nanoTime));
    }

    @Test
    void anUncompressedFileIsVerifiedAndCached() throws Exception {
        byte[] content = {(byte) 0x89, 'H', 'D', 'F', 1, 2, 3};
        Path source = Files.write(dir.resolve("published.h5"), content);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Path cached = files(sha, source).get("plain", "data.h5").path();
        assertEquals(dir.resolve("cache/plain/data.h5"), cached);
        assertArrayEquals(content, Files.readAllBytes(cached));
    }

    @Test
    void aFileWithAnotherChecksumNeverEntersTheCache() throws Exception {
        Path source = Files.write(dir.resolve("published.h5"), new byte[] {1, 2, 3});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> files("0".repeat(64), source).get("plain", "data.h5"));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        Path folder = dir.resolve("cache/plain");
        assertFalse(Files.exists(folder.resolve("data.h5")));
        if (Files.isDirectory(folder)) {
            try (var left = Files.list(folder)) {
                assertEquals(0, left.count(), "no partial download left");
            }
        }
    }
}
