package convkit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path root;

    private void picture(String name, int height, int width, int rgb) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void readsClassesAlphabeticallyWithPixelsOver255() throws Exception {
        picture("spiral/a.png", 4, 6, 0x0000ff);
        picture("edge/a.png", 4, 6, 0xff0000);
        picture("edge/b.png", 4, 6, 0x00ff00);
        ImageSet set = ImageFolder.at(root).read();
        assertEquals(List.of("edge", "spiral"), set.classes());
        assertEquals(3, set.size());
        assertEquals(0, set.label(0));
        assertEquals(1, set.label(2));
        assertEquals(1.0, set.images().getDouble(0, 0, 0, 0), 1e-6);   // edge/a red
        assertEquals(1.0, set.images().getDouble(1, 1, 3, 5), 1e-6);   // edge/b green
        assertEquals(1.0, set.images().getDouble(2, 2, 0, 0), 1e-6);   // spiral/a blue
        assertEquals(0.0, set.images().getDouble(2, 0, 0, 0), 1e-6);
    }

    @Test
    void skipsCorruptAndNonImageFilesAndNamesThem() throws Exception {
        picture("smooth/good.png", 5, 5, 0x808080);
        picture("spiral/good.png", 5, 5, 0x808080);
        Files.writeString(root.resolve("smooth/notes.txt"), "not a picture");
        Files.write(root.resolve("spiral/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ImageFolder folder = ImageFolder.at(root);
        ImageSet set = folder.read();
        assertEquals(2, set.size());
        assertEquals(2, folder.skipped().size());
        assertTrue(folder.skipped().stream().anyMatch(s -> s.startsWith("smooth/notes.txt")), folder.skipped().toString());
        assertTrue(folder.skipped().stream().anyMatch(s -> s.startsWith("spiral/broken.png")), folder.skipped().toString());
    }

    @Test
    void anEmptyClassIsAnErrorNamingIt() throws Exception {
        picture("smooth/good.png", 5, 5, 0x808080);
        Files.createDirectories(root.resolve("edge"));
        Files.writeString(root.resolve("edge/readme.md"), "#");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.at(root).read());
        assertTrue(e.getMessage().contains("'edge'") && e.getMessage().contains("no readable images")
                && e.getMessage().contains("edge/readme.md"), e.getMessage());
    }

    @Test
    void otherSizesAreResizedAndCountedOrRefused() throws Exception {
        picture("a/a-first.png", 8, 8, 0xffffff);
        picture("a/big.png", 16, 12, 0xffffff);
        picture("b/small.png", 4, 4, 0xffffff);
        ImageFolder folder = ImageFolder.at(root);
        ImageSet set = folder.read();
        assertEquals(2, folder.resized());
        assertEquals(8, set.images().size(2));
        assertEquals(8, set.images().size(3));
        assertEquals(1.0, set.images().getDouble(0, 0, 4, 4), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.at(root).targetSize(8, 8).refuseOtherSizes().read());
        assertTrue(e.getMessage().contains("a/big.png is 16x12") && e.getMessage().contains("8x8"), e.getMessage());
    }

    @Test
    void aFolderWithoutClassFoldersIsExplained() throws Exception {
        picture("loose.png", 4, 4, 0);
        Path file = root.resolve("loose.png");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ImageFolder.at(root).read());
        assertTrue(none.getMessage().contains("one sub-folder per class"), none.getMessage());
        IllegalArgumentException notFolder = assertThrows(IllegalArgumentException.class, () -> ImageFolder.at(file).read());
        assertTrue(notFolder.getMessage().contains("is not a folder"), notFolder.getMessage());
    }
}
