package convkit.data;

import convkit.env.Require;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST (plain or gzipped), checking every header
 * field against the file so a truncated, swapped or mislabelled file fails with a message that says how to fix it.
 *
 * <pre>{@code
 * ImageSet test = Idx.read("MNIST test", Path.of("t10k-images-idx3-ubyte.gz"),
 *                          Path.of("t10k-labels-idx1-ubyte.gz"), Mnist.CLASSES);
 * Idx.write(test.first(100), Path.of("small-images.gz"), Path.of("small-labels.gz"));
 * }</pre>
 */
public final class Idx {

    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images: count, rows, columns). */
    static final int IMAGES_MAGIC = 0x0803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels: count). */
    static final int LABELS_MAGIC = 0x0801;

    private Idx() {
    }

    /**
     * Images and labels as an {@link ImageSet}: pixels divided by 255 into {@code [n, 1, rows, cols]},
     * labels one-hot over {@code classes}.
     */
    public static ImageSet read(String name, Path imagesFile, Path labelsFile, List<String> classes) {
        Require.notNull(imagesFile, "Idx.read's images file", "give the path of an IDX images file, e.g. "
                + "Path.of(\"t10k-images-idx3-ubyte.gz\")");
        Require.notNull(labelsFile, "Idx.read's labels file", "give the path of an IDX labels file, e.g. "
                + "Path.of(\"t10k-labels-idx1-ubyte.gz\")");
        Require.notNull(classes, "Idx.read's class list", "give one name per label, e.g. Mnist.CLASSES");
        return read(name, imagesFile, uncompressed(imagesFile), labelsFile, uncompressed(labelsFile), classes);
    }

    /** {@link #read(String, Path, Path, List)} on contents already in memory; the paths name them in messages. */
    static ImageSet read(String name, Path imagesFile, byte[] imageBytes, Path labelsFile, byte[] labelBytes,
                         List<String> classes) {
        Content images = content(imagesFile, imageBytes, IMAGES_MAGIC, "images");
        Content labels = content(labelsFile, labelBytes, LABELS_MAGIC, "labels");
        int n = images.dims[0];
        if (labels.dims[0] != n) {
            throw new IllegalStateException(name + ": " + imagesFile + " holds " + n + " images but " + labelsFile
                    + " holds " + labels.dims[0] + " labels; the two files do not belong together (mixed train/test "
                    + "files, or one is from another data set). Delete both and re-run to fetch them again.");
        }
        if (n == 0) {
            throw new IllegalStateException(name + ": " + imagesFile + " holds no images; delete it and re-run");
        }
        int rows = images.dims[1];
        int cols = images.dims[2];
        float[] pixels = new float[Require.fitsInt(Require.product(name + "'s pixels", n, rows, cols), name + "'s pixels",
                "read a smaller file; one Java array holds the whole set")];
        byte[] raw = images.bytes;
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (raw[images.offset + i] & 0xFF) / 255f;
        }
        int k = classes.size();
        int largest = 0;
        int first = -1;
        for (int i = 0; i < n; i++) {
            int label = labels.bytes[labels.offset + i] & 0xFF;
            largest = Math.max(largest, label);
            first = first < 0 && label >= k ? i : first;
        }
        if (largest >= k) {
            // the file is one of bytes 0-255: a class list that is too short is far likelier than damage
            throw new IllegalArgumentException(name + ": " + labelsFile + " has labels 0 to " + largest + " (example "
                    + first + " is " + (labels.bytes[labels.offset + first] & 0xFF) + ") but the class list has only " + k
                    + " name" + (k == 1 ? "" : "s") + " " + classes + ": give a class list with one name per label (at "
                    + "least " + (largest + 1) + " names, e.g. Mnist.CLASSES), then keep classes with ImageSet.only(...)."
                    + " If the class list is right, the labels file belongs to another data set.");
        }
        float[] oneHot = new float[n * k];
        for (int i = 0; i < n; i++) {
            oneHot[i * k + (labels.bytes[labels.offset + i] & 0xFF)] = 1f;
        }
        INDArray x = Nd4j.create(pixels, new long[] {n, 1, rows, cols}, 'c');
        INDArray y = Nd4j.create(oneHot, new long[] {n, k}, 'c');
        return new ImageSet(name, x, y, classes);
    }

    /**
     * Writes a one-channel set as an IDX image file and an IDX label file (gzipped when the name ends in
     * {@code .gz}), each through a temporary file so an existing file is only replaced by a complete one.
     */
    public static void write(ImageSet set, Path imagesFile, Path labelsFile) {
        Require.notNull(set, "Idx.write's set", "give the ImageSet to write");
        Require.notNull(imagesFile, "Idx.write's images file", "give where to write the images");
        Require.notNull(labelsFile, "Idx.write's labels file", "give where to write the labels");
        int[] shape = set.shape();
        if (shape[2] != 1) {
            throw new IllegalArgumentException(set.name() + " has " + shape[2] + " channels; IDX image files hold "
                    + "one (grayscale)");
        }
        if (set.numClasses() > 256) {
            throw new IllegalArgumentException(set.name() + " has " + set.numClasses() + " classes; IDX labels are "
                    + "single bytes (at most 256 classes)");
        }
        int n = set.size();
        float[] pixels = set.images().dup('c').data().asFloat();
        ByteBuffer images = header(IMAGES_MAGIC, n, shape[0], shape[1]);
        byte[] imageBytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            imageBytes[i] = (byte) Math.round(Math.max(0f, Math.min(1f, pixels[i])) * 255f);
        }
        ByteBuffer labels = header(LABELS_MAGIC, n);
        byte[] labelBytes = new byte[n];
        int[] labelOf = set.labelIndices();
        for (int i = 0; i < n; i++) {
            labelBytes[i] = (byte) labelOf[i];
        }
        writeAtomically(imagesFile, images.array(), imageBytes);
        writeAtomically(labelsFile, labels.array(), labelBytes);
    }

    /** The uncompressed bytes of a file, gunzipped when it starts with the gzip signature. */
    static byte[] uncompressed(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist");
        }
        try (InputStream in = uncompressing(Files.newInputStream(file))) {
            return in.readAllBytes();
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IllegalStateException(file + " is a damaged gzip file (" + e.getMessage() + "), probably an "
                    + "interrupted download: delete it and re-run to fetch it again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The stream itself, or gunzipped when it starts with the gzip signature. */
    static InputStream uncompressing(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        return b0 == 0x1F && b1 == 0x8B ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    }

    private record Content(byte[] bytes, int offset, int[] dims) {
    }

    private static Content content(Path file, byte[] bytes, int expectedMagic, String what) {
        String fix = " Delete " + file + " and re-run to fetch it again.";
        if (bytes.length < 4) {
            throw new IllegalStateException(file + " is not an IDX file: only " + bytes.length + " bytes." + fix);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int magic = buffer.getInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
            throw new IllegalStateException(String.format("%s is not an IDX file of unsigned bytes: it starts with "
                    + "0x%08X, expected 0x%08X.%s", file, magic, expectedMagic, fix));
        }
        int dimensions = magic & 0xFF;
        int expectedDimensions = expectedMagic & 0xFF;
        if (dimensions != expectedDimensions) {
            String hint = dimensions == 3 && expectedDimensions == 1 ? " (it looks like an images file: are the image "
                    + "and label files swapped?)" : dimensions == 1 && expectedDimensions == 3 ? " (it looks like a "
                    + "labels file: are the image and label files swapped?)" : "";
            throw new IllegalStateException(file + " has " + dimensions + " dimensions but an IDX " + what
                    + " file has " + expectedDimensions + hint + "." + fix);
        }
        int header = 4 + 4 * dimensions;
        if (bytes.length < header) {
            throw new IllegalStateException(file + " is truncated inside its header (" + bytes.length + " bytes)." + fix);
        }
        int[] dims = new int[dimensions];
        long expected = header;
        long count = 1;
        for (int d = 0; d < dimensions; d++) {
            dims[d] = buffer.getInt();
            if (dims[d] < 0) {
                throw new IllegalStateException(file + " declares a negative size " + dims[d] + "." + fix);
            }
            count *= dims[d];
        }
        expected += count;
        if (bytes.length < expected) {
            throw new IllegalStateException(file + " is truncated: its header promises " + count + " values ("
                    + java.util.Arrays.toString(dims) + ") but only " + (bytes.length - header) + " are there." + fix);
        }
        if (bytes.length > expected) {
            throw new IllegalStateException(file + " has " + (bytes.length - expected) + " bytes more than its header "
                    + java.util.Arrays.toString(dims) + " accounts for: it is not the file it claims to be." + fix);
        }
        return new Content(bytes, header, dims);
    }

    private static ByteBuffer header(int magic, int... dims) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length);
        buffer.putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        return buffer;
    }

    private static void writeAtomically(Path file, byte[] header, byte[] body) {
        try {
            TempFiles.clean(file.toAbsolutePath().getParent());
            Path temp = TempFiles.beside(file);
            try {
                try (OutputStream out = file.getFileName().toString().endsWith(".gz")
                        ? new GZIPOutputStream(Files.newOutputStream(temp), 1 << 16)
                        : Files.newOutputStream(temp)) {
                    out.write(header);
                    out.write(body);
                }
                TempFiles.publish(temp, file);
            } finally {
                TempFiles.deleteQuietly(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + TempFiles.why(e, file.toAbsolutePath().getParent())
                    + "; an existing " + file.getFileName() + " is unchanged", e);
        }
    }
}
