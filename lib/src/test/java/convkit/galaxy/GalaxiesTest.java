package convkit.galaxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.EndedWriter;
import convkit.data.ImageSet;
import convkit.data.TempFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalaxiesTest {

    @TempDir
    Path cache;

    @AfterEach
    void forgetCache() {
        System.clearProperty("convkit.data");
    }

    private Galaxies small() {
        System.setProperty("convkit.data", cache.toString());
        return Galaxies.synthetic().counts(new int[] {3, 5, 4}, new int[] {2, 2, 2}, new int[] {1, 1, 1});
    }

    @Test
    void sameSeedSamePicture() {
        Galaxies galaxies = Galaxies.synthetic();
        BufferedImage a = galaxies.paint(Galaxies.Kind.SPIRAL, 7);
        BufferedImage b = galaxies.paint(Galaxies.Kind.SPIRAL, 7);
        BufferedImage c = galaxies.paint(Galaxies.Kind.SPIRAL, 8);
        assertArrayEquals(a.getRGB(0, 0, 50, 50, null, 0, 50), b.getRGB(0, 0, 50, 50, null, 0, 50));
        assertFalse(java.util.Arrays.equals(a.getRGB(0, 0, 50, 50, null, 0, 50), c.getRGB(0, 0, 50, 50, null, 0, 50)));
    }

    @Test
    void edgeOnDisksAreElongatedAndSmoothGalaxiesAreRedderThanSpiralsOnAverage() {
        Galaxies galaxies = Galaxies.synthetic();
        double[] edge = new double[40];
        double[] smooth = new double[40];
        double spiralRedness = 0;
        double smoothRedness = 0;
        for (int i = 0; i < 40; i++) {
            edge[i] = elongation(galaxies.paint(Galaxies.Kind.EDGE, i));
            smooth[i] = elongation(galaxies.paint(Galaxies.Kind.SMOOTH, i));
            smoothRedness += redness(galaxies.paint(Galaxies.Kind.SMOOTH, i));
            spiralRedness += redness(galaxies.paint(Galaxies.Kind.SPIRAL, i));
        }
        java.util.Arrays.sort(edge);
        java.util.Arrays.sort(smooth);
        assertTrue(edge[20] > 1.5 * smooth[20], "median elongation: edge-on " + edge[20] + ", smooth " + smooth[20]);
        assertTrue(smoothRedness > spiralRedness, "smooth " + smoothRedness + " vs spiral " + spiralRedness);
    }

    @Test
    void writesClassFoldersOnceAndReadsThemBack() throws Exception {
        Galaxies galaxies = small();
        Path folder = galaxies.write();
        assertEquals(5, countPngs(folder.resolve("train/smooth")));
        long stamp = Files.getLastModifiedTime(folder.resolve("train/smooth/00000.png")).toMillis();
        Galaxies.Data data = galaxies.load();
        assertEquals(Files.getLastModifiedTime(folder.resolve("train/smooth/00000.png")).toMillis(), stamp, "not rewritten");
        ImageSet train = data.train();
        assertEquals(12, train.size());
        assertEquals(List.of("edge", "smooth", "spiral"), train.classes());
        assertArrayEquals(new int[] {50, 50, 3}, train.shape());
        assertEquals(6, data.validation().size());
        assertEquals(3, data.test().size());
        try (Stream<Path> left = Files.list(folder.getParent())) {
            assertEquals(List.of(folder), left.toList(), "no temporary folder left behind");
        }
    }

    @Test
    void aDrawingKilledEarlierIsClearedAwayBeforeTheNextOne() throws Exception {
        Galaxies galaxies = small();
        Path folder = galaxies.folder();
        Path mine = TempFiles.folderBeside(folder);     // this process is alive: a drawing under way
        Path killed = Files.createDirectories(folder.resolveSibling(
                EndedWriter.tempName(folder.getFileName().toString(), EndedWriter.pid(), 7)).resolve("train/smooth"));
        Files.write(killed.resolve("00000.png"), new byte[] {1, 2, 3});
        assertEquals(folder, galaxies.write());
        try (Stream<Path> left = Files.list(folder.getParent())) {
            assertEquals(List.of(folder, mine), left.sorted((a, b) -> a.equals(folder) ? -1 : 1).toList(),
                    "the ended writer's half-drawn folder is gone, a live writer's is kept");
        }
    }

    private static long countPngs(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".png")).count();
        }
    }

    /** Ratio of the brightness-weighted spreads along the two principal axes. */
    private static double elongation(BufferedImage image) {
        double sw = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double w = Math.max(0, ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3.0 - 40);
                sw += w; sx += w * x; sy += w * y; sxx += w * x * x; syy += w * y * y; sxy += w * x * y;
            }
        }
        double mx = sx / sw, my = sy / sw;
        double a = sxx / sw - mx * mx, b = syy / sw - my * my, c = sxy / sw - mx * my;
        double root = Math.sqrt((a - b) * (a - b) / 4 + c * c);
        return Math.sqrt(((a + b) / 2 + root) / Math.max(1e-6, (a + b) / 2 - root));
    }

    private static double redness(BufferedImage image) {
        double red = 0, blue = 0;
        for (int y = 20; y < 30; y++) {
            for (int x = 20; x < 30; x++) {
                int rgb = image.getRGB(x, y);
                red += rgb >> 16 & 255;
                blue += rgb & 255;
            }
        }
        return red / Math.max(1, blue);
    }
}
