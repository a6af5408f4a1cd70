package convkit.galaxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.faults.Shown;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Galaxy10 files as other tools write them (numpy's int64 labels, float labels, float32 images), with labels outside
 * the ten classes, with no images, and cut short: each read, or refused with a message saying what is wrong.
 */
class Galaxy10FaultsTest {

    @TempDir
    Path folder;

    /** Ten 4x4 images, image i filled with 20*i (red), 20*i + 1 (green), 20*i + 2 (blue). */
    private static float[][][][] images(int n, float scale) {
        float[][][][] images = new float[n][4][4][3];
        for (int i = 0; i < n; i++) {
            for (float[][] row : images[i]) {
                for (float[] pixel : row) {
                    pixel[0] = 20 * i * scale;
                    pixel[1] = (20 * i + 1) * scale;
                    pixel[2] = (20 * i + 2) * scale;
                }
            }
        }
        return images;
    }

    private static byte[][][][] bytes(float[][][][] images) {
        byte[][][][] out = new byte[images.length][4][4][3];
        for (int i = 0; i < images.length; i++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    for (int c = 0; c < 3; c++) {
                        out[i][y][x][c] = (byte) images[i][y][x][c];
                    }
                }
            }
        }
        return out;
    }

    private Path write(String name, Object images, Object labels) {
        Path file = folder.resolve(name);
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putDataset("images", images);
            hdf.putDataset("ans", labels);
        }
        return file;
    }

    private static void assertTheSeedsEightImages(ImageSet set) {
        assertEquals(8, set.size(), "classes 0 and 1 dropped");
        assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2, 0, 0}, set.labelIndices());
        assertEquals(40 / 255.0, set.images().getDouble(0, 0, 1, 1), 1e-6);
        assertEquals(182 / 255.0, set.images().getDouble(7, 2, 3, 3), 1e-6);
    }

    @Test
    void int64AndFloatLabelsAndFloat32ImagesAreRead() {
        long[] int64 = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertTheSeedsEightImages(Galaxy10.read(write("int64.h5", bytes(images(10, 1)), int64), 4));
        float[] floats = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertTheSeedsEightImages(Galaxy10.read(write("float-labels.h5", bytes(images(10, 1)), floats), 4));
        assertTheSeedsEightImages(Galaxy10.read(write("float32-0-255.h5", images(10, 1), int64), 4));
        try (Shown shown = Shown.catching()) {
            assertTheSeedsEightImages(Galaxy10.read(write("float32-0-1.h5", images(10, 1 / 255f), int64), 4));
            assertTrue(shown.text().contains("Float pixels in 0-1 were scaled to 0-255."), shown.text());
        }
    }

    @Test
    void labelsOutsideTheTenClassesAreCountedAndShownNotSilentlyDropped() {
        long[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, -1};
        try (Shown shown = Shown.catching()) {
            ImageSet set = Galaxy10.read(write("bad-labels.h5", bytes(images(12, 1)), labels), 4);
            assertEquals(8, set.size());
            assertTrue(shown.text().contains("8 of 12 images kept (disturbed and merging dropped: 2; rejected 2 with "
                    + "labels that are not a class 0-9 (11, -1))"), shown.text());
        }
        var none = assertThrows(IllegalArgumentException.class,
                () -> Galaxy10.read(write("no-class.h5", bytes(images(2, 1)), new double[] {2.5, 12}), 4));
        assertTrue(none.getMessage().contains("none of its 2 images has a label of the seed's classes")
                && none.getMessage().contains("(2.5, 12)"), none.getMessage());
    }

    @Test
    void whatNumpyWritesByDefaultIsRead() throws Exception {
        // h5py with numpy's defaults (make_fixtures.py): labels int64, images float32 0-255
        ImageSet set = Galaxy10.read(fixture("numpy.h5"), 16);
        assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2, 0, 0}, set.labelIndices());
        assertEquals(40 / 255.0, set.images().getDouble(0, 0, 5, 7), 1e-6);
        assertEquals(1.0, set.images().getDouble(0, 1, 0, 0), 1e-6);
    }

    @Test
    void aFileWithNoImagesIsExplained() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> Galaxy10.read(fixture("empty.h5"), 16));
        assertTrue(e.getMessage().contains("holds no images ('images' is [0, 16, 16, 3])")
                && e.getMessage().contains("download Galaxy10_DECals.h5 again"), e.getMessage());
    }

    private static Path fixture(String name) throws Exception {
        return Path.of(Galaxy10FaultsTest.class.getResource("/galaxy10/" + name).toURI());
    }

    @Test
    void aTruncatedFileIsNamedDamagedWithItsSize() throws Exception {
        Path good = write("whole.h5", bytes(images(10, 1)), new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        byte[] whole = Files.readAllBytes(good);
        for (int keep : new int[] {whole.length / 2, 200, 40}) {
            Path cut = folder.resolve("cut-" + keep + ".h5");
            Files.write(cut, Arrays.copyOf(whole, keep));
            var e = assertThrows(IllegalArgumentException.class, () -> Galaxy10.read(cut, 4), "kept " + keep);
            assertTrue(e.getMessage().contains("is damaged or truncated (" + String.format("%,d", keep) + " bytes")
                    && e.getMessage().contains("delete it and download Galaxy10_DECals.h5 again"), e.getMessage());
        }
        assertTheSeedsEightImages(Galaxy10.read(good, 4));
    }
}
