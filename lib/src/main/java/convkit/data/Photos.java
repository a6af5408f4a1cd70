package convkit.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The small public-domain / CC0 photographs shipped in {@code datasets/samples/} (a cat, a coffee cup, a
 * camera man, an astronaut, the Hubble deep field, a brick wall), by name, as pictures or as arrays.
 *
 * <pre>{@code
 * Photos.names();                        // [astronaut, brick, camera, chelsea, coffee, hubble_deep_field]
 * BufferedImage cat = Photos.load("chelsea");
 * INDArray gray = Photos.gray("chelsea");   // [1, 200, 300], values in [0, 1]
 * }</pre>
 * The folder is found from {@code CONVKIT_HOME} (set by the course's kernel) or else the working directory
 * and its parents.
 */
public final class Photos {

    private static final String FOLDER = "datasets/samples";
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private Photos() {
    }

    /** The folder holding the sample photos. */
    public static Path folder() {
        return DataFiles.home(FOLDER).resolve(FOLDER);
    }

    /** The names that can be loaded (file names without extension), sorted. */
    public static List<String> names() {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> EXTENSIONS.stream().anyMatch(f::endsWith))
                    .map(f -> f.substring(0, f.lastIndexOf('.')))
                    .sorted().distinct().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + folder() + ": " + e.getMessage(), e);
        }
    }

    /** The photo as a picture; an unknown or unreadable name is an error listing the available ones. */
    public static BufferedImage load(String name) {
        Path file = file(name);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(unreadable(file, e.getMessage()), e);
        }
        if (image == null) {
            throw new IllegalStateException(unreadable(file, "not a PNG or JPEG image"));
        }
        return image;
    }

    /** The photo as colour values {@code [3, h, w]} in [0, 1]. */
    public static INDArray rgb(String name) {
        return toArray(load(name), false);
    }

    /** The photo in grayscale {@code [1, h, w]} in [0, 1] (luma: 0.299 R + 0.587 G + 0.114 B). */
    public static INDArray gray(String name) {
        return toArray(load(name), true);
    }

    /** A picture as {@code [3, h, w]} colour or {@code [1, h, w]} gray values in [0, 1]. */
    public static INDArray toArray(BufferedImage image, boolean gray) {
        int h = image.getHeight();
        int w = image.getWidth();
        int channels = gray ? 1 : 3;
        float[] values = ImageFolder.floats(1, channels, h, w, "a picture");
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f;
                float g = ((rgb >> 8) & 0xff) / 255f;
                float b = (rgb & 0xff) / 255f;
                if (gray) {
                    values[y * w + x] = 0.299f * r + 0.587f * g + 0.114f * b;
                } else {
                    values[y * w + x] = r;
                    values[h * w + y * w + x] = g;
                    values[2 * h * w + y * w + x] = b;
                }
            }
        }
        return Nd4j.create(values, new long[] {channels, h, w}, DataType.FLOAT);
    }

    /** A {@code height x width} window of an image {@code [c, h, w]} (or {@code [h, w]}), its top-left corner at (top, left). */
    public static INDArray crop(INDArray image, int top, int left, int height, int width) {
        int rank = image.rank();
        long h = image.size(rank - 2);
        long w = image.size(rank - 1);
        if (top < 0 || left < 0 || height <= 0 || width <= 0 || top + height > h || left + width > w) {
            throw new IllegalArgumentException("crop " + height + "x" + width + " at (" + top + ", " + left
                    + ") does not fit in an image of " + h + "x" + w);
        }
        return rank == 2
                ? image.get(NDArrayIndex.interval(top, top + height), NDArrayIndex.interval(left, left + width)).dup()
                : image.get(NDArrayIndex.all(), NDArrayIndex.interval(top, top + height),
                        NDArrayIndex.interval(left, left + width)).dup();
    }

    private static Path file(String name) {
        List<String> available = names();
        if (name == null || !available.contains(name)) {
            throw new IllegalArgumentException("no sample photo named '" + name + "'; available: "
                    + String.join(", ", available) + " (in " + folder() + ")");
        }
        Path folder = folder();
        return EXTENSIONS.stream().map(e -> folder.resolve(name + e)).filter(Files::exists).findFirst().orElseThrow();
    }

    private static String unreadable(Path file, String why) {
        return "the sample photo " + file + " cannot be read (" + why + "); restore it from the repository"
                + " (git checkout -- " + FOLDER + ") or choose another of: " + String.join(", ", names());
    }
}
