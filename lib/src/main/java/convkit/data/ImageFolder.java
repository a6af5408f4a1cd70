package convkit.data;

import convkit.display.Display;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a folder with one sub-folder of images per class into an {@link ImageSet}, like Keras'
 * {@code flow_from_directory}: classes are the sub-folder names in alphabetical order, pixels are divided by 255.
 * Files that are not readable images are skipped and listed; images of another size are resized (and counted) or,
 * if asked, refused.
 *
 * <pre>{@code
 * var folder = ImageFolder.at(Path.of("galaxies/train")).targetSize(50, 50);
 * ImageSet train = folder.read();     // "Found 10249 images belonging to 3 classes."
 * folder.skipped();                   // ["spiral/notes.txt: not an image"]
 * }</pre>
 */
public final class ImageFolder {

    private final Path root;
    private int height;
    private int width;
    private boolean grayscale;
    private boolean refuseOtherSizes;
    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger resized = new AtomicInteger();

    private ImageFolder(Path root) {
        this.root = root;
    }

    /** The folder whose sub-folders are the classes. */
    public static ImageFolder at(Path root) {
        return new ImageFolder(root);
    }

    /** Size every image is brought to (Keras' {@code target_size}); without it, the size of the first image. */
    public ImageFolder targetSize(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        return this;
    }

    /** Reads one gray channel instead of red, green and blue. */
    public ImageFolder grayscale() {
        this.grayscale = true;
        return this;
    }

    /** Fails on an image whose size differs from the target size, instead of resizing it. */
    public ImageFolder refuseOtherSizes() {
        this.refuseOtherSizes = true;
        return this;
    }

    /** Files the last {@link #read()} skipped, each as {@code class/file: reason}. */
    public List<String> skipped() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }

    /** How many images the last {@link #read()} resized to the target size. */
    public int resized() {
        return resized.get();
    }

    /** Reads every class folder (in parallel), prints what it found, and returns the images in class-then-name order. */
    public ImageSet read() {
        skipped.clear();
        resized.set(0);
        List<String> classes = classFolders();
        List<Path> files = new ArrayList<>();
        List<Integer> fileClasses = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (Path file : list(root.resolve(classes.get(c)), Files::isRegularFile)) {
                files.add(file);
                fileClasses.add(c);
            }
        }
        BufferedImage[] pictures = new BufferedImage[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> pictures[i] = decode(files.get(i)));
        int[] perClass = new int[classes.size()];
        int first = -1;
        for (int i = 0; i < pictures.length; i++) {
            if (pictures[i] != null) {
                perClass[fileClasses.get(i)]++;
                first = first < 0 ? i : first;
            }
        }
        for (int c = 0; c < classes.size(); c++) {
            if (perClass[c] == 0) {
                throw new IllegalArgumentException("class folder '" + classes.get(c) + "' in " + root
                        + " has no readable images" + skippedNote() + ": add images to it or remove the folder");
            }
        }
        if (height == 0) {
            height = pictures[first].getHeight();
            width = pictures[first].getWidth();
        }
        int channels = grayscale ? 1 : 3;
        int n = pictures.length - skipped.size();
        int[] kept = IntStream.range(0, pictures.length).filter(i -> pictures[i] != null).toArray();
        float[] pixels = new float[n * channels * height * width];
        float[] labels = new float[n * classes.size()];
        IntStream.range(0, n).parallel().forEach(k -> {
            int i = kept[k];
            fill(pixels, k, sized(pictures[i], files.get(i)), channels);
            labels[k * classes.size() + fileClasses.get(i)] = 1;
        });
        Display.text("Found " + n + " images belonging to " + classes.size() + " classes." + skippedNote()
                + (resized.get() > 0 ? " Resized " + resized.get() + " images to " + height + "x" + width + "." : ""));
        INDArray images = Nd4j.create(pixels, new long[] {n, channels, height, width}, 'c');
        INDArray oneHot = Nd4j.create(labels, new long[] {n, classes.size()}, 'c');
        return new ImageSet(root.getFileName().toString(), images, oneHot, classes);
    }

    /** A resized copy of a picture, averaging pixels when shrinking (so no aliasing) and bilinear when enlarging. */
    public static BufferedImage resize(BufferedImage picture, int height, int width) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        if (width < picture.getWidth() || height < picture.getHeight()) {
            g.drawImage(picture.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } else {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(picture, 0, 0, width, height, null);
        }
        g.dispose();
        return out;
    }

    private List<String> classFolders() {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + " is not a folder: give the folder that holds one sub-folder per class");
        }
        List<String> classes = list(root, Files::isDirectory).stream().map(p -> p.getFileName().toString()).toList();
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no class folders in " + root
                    + ": put the images in one sub-folder per class, e.g. " + root.resolve("spiral/0001.png"));
        }
        return classes;
    }

    private static List<Path> list(Path folder, java.util.function.Predicate<Path> keep) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).filter(keep).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private BufferedImage decode(Path file) {
        String name = root.relativize(file).toString();
        try {
            BufferedImage picture = ImageIO.read(file.toFile());
            if (picture == null) {
                skipped.add(name + ": not an image");
            }
            return picture;
        } catch (IOException | RuntimeException e) {
            skipped.add(name + ": unreadable (" + e.getMessage() + ")");
            return null;
        }
    }

    private BufferedImage sized(BufferedImage picture, Path file) {
        if (picture.getHeight() == height && picture.getWidth() == width) {
            return picture;
        }
        if (refuseOtherSizes) {
            throw new IllegalArgumentException(root.relativize(file) + " is " + picture.getHeight() + "x"
                    + picture.getWidth() + " but the images must be " + height + "x" + width
                    + ": resize it, or read without refuseOtherSizes() to resize automatically");
        }
        resized.incrementAndGet();
        return resize(picture, height, width);
    }

    private void fill(float[] pixels, int k, BufferedImage picture, int channels) {
        int plane = height * width;
        int[] rgb = picture.getRGB(0, 0, width, height, null, 0, width);
        int base = k * channels * plane;
        for (int p = 0; p < plane; p++) {
            int r = (rgb[p] >> 16) & 0xff;
            int g = (rgb[p] >> 8) & 0xff;
            int b = rgb[p] & 0xff;
            if (channels == 1) {
                pixels[base + p] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
            } else {
                pixels[base + p] = r / 255f;
                pixels[base + plane + p] = g / 255f;
                pixels[base + 2 * plane + p] = b / 255f;
            }
        }
    }

    private String skippedNote() {
        List<String> list = skipped();
        if (list.isEmpty()) {
            return "";
        }
        return " Skipped " + list.size() + " file" + (list.size() == 1 ? "" : "s") + " that are not readable images: "
                + String.join(", ", list.subList(0, Math.min(10, list.size()))) + (list.size() > 10 ? ", ..." : "") + ".";
    }
}
