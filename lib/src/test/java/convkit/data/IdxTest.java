package convkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class IdxTest {

    private static final List<String> ABC = List.of("a", "b", "c");

    @TempDir
    Path dir;

    /** Three 2x2 images with pixel values 0..255 and labels 2, 0, 1. */
    private static ImageSet tiny() {
        float[] pixels = {0, 1, 2, 3, 10, 20, 30, 40, 255, 128, 64, 0};
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] /= 255f;
        }
        float[] labels = {0, 0, 1, 1, 0, 0, 0, 1, 0};
        return new ImageSet("tiny", Nd4j.create(pixels, new long[] {3, 1, 2, 2}, 'c'),
                Nd4j.create(labels, new long[] {3, 3}, 'c'), ABC);
    }

    private static byte[] idx(int magic, int[] dims, int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void writeThenReadGivesTheSameImagesAndLabels() {
        ImageSet tiny = tiny();
        Idx.write(tiny, dir.resolve("images.gz"), dir.resolve("labels"));
        ImageSet back = Idx.read("back", dir.resolve("images.gz"), dir.resolve("labels"), ABC);
        assertArrayEquals(new long[] {3, 1, 2, 2}, back.images().shape());
        assertEquals(tiny.images(), back.images());
        assertArrayEquals(new int[] {2, 0, 1}, back.labelIndices());
        assertEquals(ABC, back.classes());
    }

    @Test
    void readsPlainIdxBytes() throws IOException {
        Path images = file("i", idx(0x0803, new int[] {2, 1, 2}, 0, 255, 51, 102));
        Path labels = file("l", idx(0x0801, new int[] {2}, 1, 0));
        ImageSet set = Idx.read("plain", images, labels, List.of("x", "y"));
        assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.4f}, set.images().data().asFloat(), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 1, 0}, set.labels().data().asFloat());
    }

    @Test
    void truncatedImagesFileSaysSoAndHowToFix() throws IOException {
        Path images = file("i", idx(0x0803, new int[] {2, 2, 2}, 1, 2, 3, 4, 5));
        Path labels = file("l", idx(0x0801, new int[] {2}, 1, 0));
        var e = assertThrows(IllegalStateException.class, () -> Idx.read("t", images, labels, ABC));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("promises 8 values"), e.getMessage());
        assertTrue(e.getMessage().contains("Delete " + images), e.getMessage());
    }

    @Test
    void truncatedGzipIsADamagedDownload() throws IOException {
        Idx.write(tiny(), dir.resolve("images.gz"), dir.resolve("labels.gz"));
        byte[] whole = Files.readAllBytes(dir.resolve("images.gz"));
        Path cut = file("cut.gz", Arrays.copyOf(whole, whole.length / 2));
        var e = assertThrows(IllegalStateException.class,
                () -> Idx.read("t", cut, dir.resolve("labels.gz"), ABC));
        assertTrue(e.getMessage().contains("damaged gzip"), e.getMessage());
    }

    @Test
    void swappedFilesAreNamedAsSuch() throws IOException {
        Path images = file("i", idx(0x0803, new int[] {1, 1, 1}, 7));
        Path labels = file("l", idx(0x0801, new int[] {1}, 1));
        var e = assertThrows(IllegalStateException.class, () -> Idx.read("s", labels, images, ABC));
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
    }

    @Test
    void wrongMagicNumberIsNotAnIdxFile() throws IOException {
        Path images = file("i", "<html>not found</html>".getBytes());
        Path labels = file("l", idx(0x0801, new int[] {1}, 1));
        var e = assertThrows(IllegalStateException.class, () -> Idx.read("m", images, labels, ABC));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void labelCountMustMatchImageCount() throws IOException {
        Path images = file("i", idx(0x0803, new int[] {2, 1, 1}, 7, 8));
        Path labels = file("l", idx(0x0801, new int[] {3}, 1, 0, 2));
        var e = assertThrows(IllegalStateException.class, () -> Idx.read("c", images, labels, ABC));
        assertTrue(e.getMessage().contains("2 images but"), e.getMessage());
        assertTrue(e.getMessage().contains("3 labels"), e.getMessage());
    }

    @Test
    void aClassListShorterThanTheLabelsIsNamedAsTheProblemNotTheFile() throws IOException {
        Path images = file("i", idx(0x0803, new int[] {2, 1, 1}, 7, 8));
        Path labels = file("l", idx(0x0801, new int[] {2}, 1, 9));
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read("r", images, labels, ABC));
        assertTrue(e.getMessage().contains("has labels 0 to 9 (example 1 is 9) but the class list has only 3 names [a, b, c]")
                && e.getMessage().contains("give a class list with one name per label (at least 10 names"), e.getMessage());
        assertTrue(!e.getMessage().contains("delete"), "the file is fine: " + e.getMessage());
        assertTrue(Files.isRegularFile(labels));
    }

    @Test
    void extraBytesMeanTheWrongFile() throws IOException {
        Path images = file("i", idx(0x0803, new int[] {1, 1, 1}, 7, 8));
        Path labels = file("l", idx(0x0801, new int[] {1}, 1));
        var e = assertThrows(IllegalStateException.class, () -> Idx.read("x", images, labels, ABC));
        assertTrue(e.getMessage().contains("1 bytes more"), e.getMessage());
    }

    @Test
    void writeReplacesAFileOnlyWhenComplete() throws IOException {
        Path images = file("images.gz", new byte[] {1, 2, 3});
        float[] rgb = new float[3 * 4];
        ImageSet colour = new ImageSet("rgb", Nd4j.create(rgb, new long[] {1, 3, 2, 2}, 'c'),
                Nd4j.create(new float[] {1, 0, 0}, new long[] {1, 3}, 'c'), ABC);
        assertThrows(IllegalArgumentException.class, () -> Idx.write(colour, images, dir.resolve("l")));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(images));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
    }
}
