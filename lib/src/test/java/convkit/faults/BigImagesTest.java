package convkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageFolder;
import convkit.data.ImageSet;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordinary photos are large: a folder of 4000x3000 JPEGs read in a kernel with little memory, one 8000x6000 PNG read
 * without a target size, a file whose header claims 50000x50000. Each is read, or refused with a message, before
 * memory runs out.
 */
class BigImagesTest {

    @TempDir
    Path dir;

    /** A 4000x3000 photo, red on the left half and blue on the right. */
    private static BufferedImage photo() {
        BufferedImage photo = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 2000, 3000);
        g.setColor(Color.BLUE);
        g.fillRect(2000, 0, 2000, 3000);
        g.dispose();
        return photo;
    }

    /** A kernel with 256 MB of Java heap reading the folder at 50x50; prints what it got. */
    static final class ReadPhotos {
        public static void main(String[] args) {
            ImageSet set = ImageFolder.at(Path.of(args[0])).targetSize(50, 50).read();
            System.out.printf(Locale.ROOT, "read %d %s red %.2f blue %.2f%n", set.size(),
                    java.util.Arrays.toString(set.shape()), set.images().getDouble(0, 0, 25, 5),
                    set.images().getDouble(0, 2, 25, 45));
        }
    }

    @Test
    void fortyLargePhotosAreReadInAKernelWithLittleMemoryBecauseTheyAreDecodedShrunk() throws Exception {
        Path root = dir.resolve("photos");
        Path first = Files.createDirectories(root.resolve("cats")).resolve("cat-00.jpg");
        ImageIO.write(photo(), "jpg", first.toFile());
        Files.createDirectories(root.resolve("dogs"));
        for (int i = 1; i < 40; i++) {
            Files.copy(first, root.resolve(i < 20 ? "cats" : "dogs").resolve(String.format("photo-%02d.jpg", i)));
        }
        // decoded at full size the 40 photos are 40 x 48 MB: five times this kernel's heap
        Child kernel = Child.start(ReadPhotos.class, dir.resolve("out.txt"), List.of("-Xmx256m"), root.toString());
        assertEquals(0, kernel.exitCode(Duration.ofMinutes(3)), kernel.output());
        assertTrue(kernel.output().contains("Found 40 images belonging to 2 classes. Resized 40 images to 50x50."),
                kernel.output());
        assertTrue(kernel.output().contains("read 40 [50, 50, 3] red 1.00 blue 1.00"), kernel.output());
    }

    /** A kernel with 256 MB of Java heap reading the folder without a target size; prints the refusal. */
    static final class ReadWithoutTargetSize {
        public static void main(String[] args) {
            try {
                ImageFolder.at(Path.of(args[0])).read();
            } catch (IllegalArgumentException refused) {
                System.out.println("refused: " + refused.getMessage());
                System.exit(3);
            }
        }
    }

    @Test
    void oneHugePngWithoutATargetSizeIsRefusedWithHowMuchItNeedsBeforeMemoryRunsOut() throws Exception {
        Path png = Files.createDirectories(dir.resolve("scans/page")).resolve("scan.png");
        ImageIO.write(new BufferedImage(8000, 6000, BufferedImage.TYPE_BYTE_BINARY), "png", png.toFile());
        Child kernel = Child.start(ReadWithoutTargetSize.class, dir.resolve("out.txt"), List.of("-Xmx256m"),
                dir.resolve("scans").toString());
        assertEquals(3, kernel.exitCode(Duration.ofMinutes(2)), kernel.output());
        assertTrue(kernel.output().contains("1 image of 6000x8000x3 need 576.0 MB, more than this kernel can hold")
                && kernel.output().contains("give a smaller targetSize(height, width), e.g. targetSize(224, 224)"),
                kernel.output());
    }

    /** A PNG that is only a header claiming {@code width x height}: no pixel is ever there to decode. */
    private static byte[] pngHeader(int width, int height) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream ihdr = new DataOutputStream(chunk);
        ihdr.writeBytes("IHDR");
        ihdr.writeInt(width);
        ihdr.writeInt(height);
        ihdr.write(new byte[] {8, 2, 0, 0, 0});   // 8 bits, RGB, deflate, no filter, no interlace
        out.writeInt(13);
        out.write(chunk.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(chunk.toByteArray());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }

    @Test
    void aSizeThatCannotBeOneArrayIsRefusedFromTheHeaderAlone() throws Exception {
        Path root = dir.resolve("claims");
        Files.write(Files.createDirectories(root.resolve("huge")).resolve("huge.png"), pngHeader(50000, 50000));
        var e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.at(root).read());
        assertTrue(e.getMessage().contains("1 image of 50000x50000x3 need 30000.0 MB; as one array, its length is "
                + "7,500,000,000, larger than 2,147,483,647") && e.getMessage().contains("give a smaller targetSize"),
                e.getMessage());
        ImageFolder folder = ImageFolder.at(root).targetSize(8, 8);
        var none = assertThrows(IllegalArgumentException.class, folder::read);
        assertTrue(none.getMessage().contains("class folder 'huge' in " + root + " has no readable images"), none.getMessage());
        assertTrue(folder.skipped().get(0).startsWith("huge/huge.png: unreadable"), folder.skipped().toString());
    }
}
