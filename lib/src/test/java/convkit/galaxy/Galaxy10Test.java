package convkit.galaxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the small HDF5 files made by src/test/resources/galaxy10/make_fixtures.py (h5py, Galaxy10's layout). */
class Galaxy10Test {

    @TempDir
    Path folder;

    private static Path fixture(String name) throws Exception {
        return Path.of(Galaxy10Test.class.getResource("/galaxy10/" + name).toURI());
    }

    @Test
    void mapsTheTenClassesOntoEdgeSmoothSpiralAndDropsDisturbedAndMerging() throws Exception {
        ImageSet set = Galaxy10.read(fixture("good.h5"), 16);
        assertEquals(8, set.size(), "classes 0 and 1 dropped");
        assertEquals(Galaxies.CLASSES, set.classes());
        assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2, 0, 0}, set.labelIndices());
        // image 0 kept is Galaxy10 image 2: red 40, green 41, blue 42, and a white top-left pixel
        assertEquals(40 / 255.0, set.images().getDouble(0, 0, 5, 7), 1e-6);
        assertEquals(42 / 255.0, set.images().getDouble(0, 2, 5, 7), 1e-6);
        assertEquals(1.0, set.images().getDouble(0, 1, 0, 0), 1e-6);
        assertEquals(180 / 255.0, set.images().getDouble(7, 0, 9, 9), 1e-6);
    }

    @Test
    void resizesToTheWantedSize() throws Exception {
        ImageSet set = Galaxy10.read(fixture("good.h5"), 8);
        assertArrayEquals(new int[] {8, 8, 3}, set.shape());
        assertEquals(100 / 255.0, set.images().getDouble(3, 0, 6, 6), 2 / 255.0);
    }

    @Test
    void theWrongLayoutAndNonHdf5FilesAreExplained() throws Exception {
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> Galaxy10.read(fixture("wrong.h5"), 16));
        assertTrue(wrong.getMessage().contains("does not have the Galaxy10 layout") && wrong.getMessage().contains("'ans'"),
                wrong.getMessage());
        Path text = folder.resolve("Galaxy10_DECals.h5");
        Files.writeString(text, "<html>404 not found</html>");
        IllegalArgumentException notHdf = assertThrows(IllegalArgumentException.class, () -> Galaxy10.read(text, 16));
        assertTrue(notHdf.getMessage().contains("is not an HDF5 file"), notHdf.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Galaxy10.read(folder.resolve("none.h5"), 16))
                .getMessage().startsWith("no file at"));
    }
}
