package convkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class PhotosTest {

    @AfterEach
    void forgetHome() {
        System.clearProperty("convkit.home");
    }

    @Test
    void theShippedPhotosAreFoundFromTheWorkingDirectory() {
        // tests run in lib/, so datasets/samples is found in its parent
        assertTrue(Photos.names().containsAll(java.util.List.of("camera", "chelsea", "coffee")), Photos.names().toString());
        BufferedImage cat = Photos.load("chelsea");
        assertEquals(300, cat.getWidth());
        INDArray rgb = Photos.rgb("chelsea");
        assertArrayEquals(new long[] {3, cat.getHeight(), 300}, rgb.shape());
        INDArray gray = Photos.gray("chelsea");
        assertArrayEquals(new long[] {1, cat.getHeight(), 300}, gray.shape());
        assertTrue(gray.minNumber().doubleValue() >= 0 && gray.maxNumber().doubleValue() <= 1);
    }

    @Test
    void anUnknownNameListsTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Photos.load("chelsee"));
        assertTrue(e.getMessage().startsWith("no sample photo named 'chelsee'; available: astronaut, brick, camera, chelsea"),
                e.getMessage());
    }

    @Test
    void anUnreadableFileSaysSo(@TempDir Path home) throws Exception {
        Path samples = Files.createDirectories(home.resolve("datasets/samples"));
        Files.writeString(samples.resolve("broken.png"), "not a picture");
        BufferedImage tiny = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        tiny.setRGB(1, 0, 0xff0000);
        ImageIO.write(tiny, "png", samples.resolve("tiny.png").toFile());
        System.setProperty("convkit.home", home.toString());
        assertEquals(java.util.List.of("broken", "tiny"), Photos.names());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Photos.load("broken"));
        assertTrue(e.getMessage().contains("broken.png cannot be read (not a PNG or JPEG image)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("broken, tiny"), e.getMessage());
        INDArray rgb = Photos.rgb("tiny");
        assertEquals(1.0, rgb.getDouble(0, 0, 1), 1e-6);
        assertEquals(0.0, rgb.getDouble(1, 0, 1), 1e-6);
        assertEquals(0.299, Photos.gray("tiny").getDouble(0, 0, 1), 1e-3);
    }

    @Test
    void aHomeWithoutSamplesIsNamed(@TempDir Path home) {
        System.setProperty("convkit.home", home.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, Photos::names);
        assertTrue(e.getMessage().contains("has no datasets/samples: point it at the ConvKit repository"), e.getMessage());
    }

    @Test
    void cropCutsAWindowAndRefusesOneThatDoesNotFit() {
        INDArray gray = Photos.gray("camera");
        INDArray window = Photos.crop(gray, 10, 20, 100, 50);
        assertArrayEquals(new long[] {1, 100, 50}, window.shape());
        assertEquals(gray.getDouble(0, 10, 20), window.getDouble(0, 0, 0), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Photos.crop(gray, 200, 0, 100, 10));
        assertEquals("crop 100x10 at (200, 0) does not fit in an image of 256x256", e.getMessage());
    }
}
