package convkit.data;

import convkit.display.Display;
import convkit.env.Require;
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
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
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
        return new ImageFolder(Require.notNull(root, "ImageFolder.at(folder)",
                "give the folder that holds one sub-folder per class, e.g. Path.of(\"galaxies/train\")"));
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

    /**
     * Reads every class folder (in parallel), prints what it found, and returns the images in class-then-name order.
     * Each file's size is read from its header first, so the memory the set needs is known (and refused with a
     * message when it is too much) before any image is decoded; large photos are decoded already shrunk.
     */
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
        Size[] sizes = new Size[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> sizes[i] = probe(files.get(i)));
        int[] kept = IntStream.range(0, sizes.length).filter(i -> sizes[i] != null).toArray();
        requireEveryClass(classes, kept, fileClasses);
        if (height == 0) {
            height = sizes[kept[0]].height();
            width = sizes[kept[0]].width();
        }
        if (refuseOtherSizes) {
            // in file order, so the message names the first offending file, not whichever thread got there first
            for (int i : kept) {
                if (sizes[i].height() != height || sizes[i].width() != width) {
                    throw new IllegalArgumentException(root.relativize(files.get(i)) + " is " + sizes[i].height() + "x"
                            + sizes[i].width() + " but the images must be " + height + "x" + width
                            + ": resize it, or read without refuseOtherSizes() to resize automatically");
                }
            }
        }
        int channels = grayscale ? 1 : 3;
        int plane = channels * height * width;
        float[] pixels = floats(kept.length, channels, height, width, "reading " + root);
        boolean[] decoded = new boolean[kept.length];
        IntStream.range(0, kept.length).parallel().forEach(k -> {
            int i = kept[k];
            BufferedImage picture = decode(files.get(i), sizes[i]);
            if (picture != null) {
                if (sizes[i].height() != height || sizes[i].width() != width) {
                    resized.incrementAndGet();
                }
                boolean same = picture.getHeight() == height && picture.getWidth() == width;
                fill(pixels, k, same ? picture : resize(picture, height, width), channels);
                decoded[k] = true;
            }
        });
        int[] read = IntStream.range(0, kept.length).filter(k -> decoded[k]).map(k -> kept[k]).toArray();
        requireEveryClass(classes, read, fileClasses);
        int n = read.length;
        float[] values = pixels;
        if (n < kept.length) {
            // a file whose header was fine failed to decode: close the gaps it left
            values = new float[n * plane];
            for (int k = 0, r = 0; k < kept.length; k++) {
                if (decoded[k]) {
                    System.arraycopy(pixels, k * plane, values, r++ * plane, plane);
                }
            }
        }
        float[] labels = new float[n * classes.size()];
        for (int r = 0; r < n; r++) {
            labels[r * classes.size() + fileClasses.get(read[r])] = 1;
        }
        Display.text("Found " + n + " images belonging to " + classes.size() + " classes." + skippedNote()
                + (resized.get() > 0 ? " Resized " + resized.get() + " images to " + height + "x" + width + "." : ""));
        INDArray images = Nd4j.create(values, new long[] {n, channels, height, width}, 'c');
        INDArray oneHot = Nd4j.create(labels, new long[] {n, classes.size()}, 'c');
        return new ImageSet(root.getFileName().toString(), images, oneHot, classes);
    }

    /** An image's size, read from its file's header. */
    private record Size(int height, int width) {
    }

    private void requireEveryClass(List<String> classes, int[] readable, List<Integer> fileClasses) {
        int[] perClass = new int[classes.size()];
        for (int i : readable) {
            perClass[fileClasses.get(i)]++;
        }
        for (int c = 0; c < classes.size(); c++) {
            if (perClass[c] == 0) {
                throw new IllegalArgumentException("class folder '" + classes.get(c) + "' in " + root
                        + " has no readable images" + skippedNote() + ": add images to it or remove the folder");
            }
        }
    }

    /**
     * A float array for {@code n} images of {@code channels x height x width}, or, before memory runs out, an error
     * saying how much they need and how to need less. ND4J then copies it outside the Java heap, so that limit is
     * checked too.
     */
    static float[] floats(long n, int channels, int height, int width, String what) {
        long values = Require.product(what + ": images * channels * height * width", n, channels, height, width);
        String need = String.format(java.util.Locale.ROOT, "%s: %,d image%s of %dx%dx%d need %s", what, n,
                n == 1 ? "" : "s", height, width, channels, Download.megabytes(4 * values));
        String fix = "give a smaller targetSize(height, width), e.g. targetSize(224, 224), or read fewer images";
        int length = Require.fitsInt(values, need + "; as one array, its length", fix);
        Runtime runtime = Runtime.getRuntime();
        long offHeapMax = org.bytedeco.javacpp.Pointer.maxBytes();
        long offHeap = offHeapMax - org.bytedeco.javacpp.Pointer.totalBytes();
        if (4 * values > runtime.maxMemory() || (offHeapMax > 0 && 4 * values > offHeap)) {
            throw new IllegalArgumentException(need + ", more than this kernel can hold (Java heap "
                    + Download.megabytes(runtime.maxMemory()) + ", ND4J memory free " + Download.megabytes(offHeap)
                    + "): " + fix + "; CONVKIT_JAVA_OPTS=-Xmx... gives a kernel more memory");
        }
        try {
            return new float[length];
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException(need + ", more than the " + Download.megabytes(runtime.maxMemory()
                    - runtime.totalMemory() + runtime.freeMemory()) + " this kernel has free: " + fix, e);
        }
    }

    /**
     * An RGB {@link ImageSet} of pictures that all have the same size, with class index {@code labels[i]} for picture
     * {@code i} (pixels divided by 255, as {@link #read()} gives them).
     */
    public static ImageSet of(String name, BufferedImage[] pictures, int[] labels, List<String> classes) {
        if (pictures.length == 0 || pictures.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + pictures.length + " pictures and " + labels.length
                    + " labels; need the same number, at least one");
        }
        int height = pictures[0].getHeight();
        int width = pictures[0].getWidth();
        float[] pixels = floats(pictures.length, 3, height, width, name);
        float[] oneHot = new float[pictures.length * classes.size()];
        for (int i = 0; i < labels.length; i++) {
            Require.index(labels[i], classes.size(), name + ": the class of picture " + i + " (an index into " + classes + ")");
        }
        IntStream.range(0, pictures.length).parallel().forEach(i -> {
            if (pictures[i].getHeight() != height || pictures[i].getWidth() != width) {
                throw new IllegalArgumentException(name + ": picture " + i + " is " + pictures[i].getHeight() + "x"
                        + pictures[i].getWidth() + ", the first is " + height + "x" + width + "; resize them first");
            }
            fill(pixels, i, pictures[i], 3);
            oneHot[i * classes.size() + labels[i]] = 1;
        });
        return new ImageSet(name, Nd4j.create(pixels, new long[] {pictures.length, 3, height, width}, 'c'),
                Nd4j.create(oneHot, new long[] {pictures.length, classes.size()}, 'c'), classes);
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

    /** The size in the file's header, without decoding the pixels; null (and listed as skipped) when unreadable. */
    private Size probe(Path file) {
        String name = root.relativize(file).toString();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = in == null ? null : reader(in);
            if (reader == null) {
                skipped.add(name + ": not an image");
                return null;
            }
            try {
                return new Size(reader.getHeight(0), reader.getWidth(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            skipped.add(name + ": unreadable (" + e.getMessage() + ")");
            return null;
        }
    }

    /**
     * The picture, decoded with only every k-th row and column when it is more than twice the target size, so a
     * 4000x3000 photo never exists in memory at full size; the area-averaging resize then still works from at
     * least twice the target.
     */
    private BufferedImage decode(Path file, Size size) {
        String name = root.relativize(file).toString();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            try {
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.min(size.height() / (2 * height), size.width() / (2 * width)));
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            skipped.add(name + ": unreadable (" + e.getMessage() + ")");
            return null;
        }
    }

    private static ImageReader reader(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            return null;
        }
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    /** Writes one picture's pixels, divided by 255, as image {@code k} of a {@code [n, channels, h, w]} array. */
    private static void fill(float[] pixels, int k, BufferedImage picture, int channels) {
        int height = picture.getHeight();
        int width = picture.getWidth();
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
