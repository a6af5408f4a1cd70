package convkit.galaxy;

import convkit.data.DataFiles;
import convkit.data.ImageFolder;
import convkit.data.ImageSet;
import convkit.display.Display;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Real galaxies when online: Galaxy10 DECals (Leung and Bovy; 17,736 colour images of 256x256 from the DESI Legacy
 * Imaging Surveys, labelled by Galaxy Zoo volunteers), read from its HDF5 file with a pure-Java reader, its ten classes
 * mapped onto the seed's three and the images resized.
 *
 * <pre>{@code
 * if (Galaxy10.available()) {
 *     Galaxies.Data real = Galaxy10.load(50);       // edge / smooth / spiral, 50x50, 600 validation, 600 test
 * }
 * ImageSet set = Galaxy10.read(Path.of("Galaxy10_DECals.h5"), 50);   // any file of the same layout
 * }</pre>
 * Mapping: smooth = round, in-between and cigar-shaped smooth; spiral = barred, unbarred tight and unbarred loose
 * spirals; edge = edge-on with and without bulge; disturbed and merging galaxies are dropped.
 */
public final class Galaxy10 {

    /** Galaxy10 DECals' classes, in the order of its {@code ans} labels. */
    public static final List<String> CLASSES = List.of("Disturbed", "Merging", "Round Smooth", "In-between Round Smooth",
            "Cigar Shaped Smooth", "Barred Spiral", "Unbarred Tight Spiral", "Unbarred Loose Spiral",
            "Edge-on without Bulge", "Edge-on with Bulge");

    /** For each Galaxy10 class, its class in the seed's set (edge 0, smooth 1, spiral 2), or -1 when dropped. */
    static final int[] TO_SEED = {-1, -1, 1, 1, 1, 2, 2, 2, 0, 0};

    /** Images read from the file per request: a few megabytes at a time. */
    private static final int SLICE = 32;

    private Galaxy10() {
    }

    /** True when the verified file is already in the cache (nothing to download). */
    public static boolean available() {
        return DataFiles.cached("galaxy10-decals", "Galaxy10_DECals.h5");
    }

    /**
     * The real data in the seed's form: downloaded once (about 2.7 GB, checked against the manifest's SHA-256),
     * mapped to three classes, resized to {@code size x size}, shuffled with seed 2021 into 600 test, 600 validation
     * and the rest for training.
     */
    public static Galaxies.Data load(int size) {
        ImageSet all = read(DataFiles.fetch("galaxy10-decals", "Galaxy10_DECals.h5"), size);
        int[] order = Galaxies.shuffled(all.size(), 2021);
        return new Galaxies.Data(all.subset("Galaxy10 train", Arrays.copyOfRange(order, 1200, order.length)),
                all.subset("Galaxy10 validation", Arrays.copyOfRange(order, 600, 1200)),
                all.subset("Galaxy10 test", Arrays.copyOfRange(order, 0, 600)));
    }

    /** Reads a Galaxy10-layout HDF5 file, keeps the classes the seed has, and resizes the images. */
    public static ImageSet read(Path file, int size) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no file at " + file.toAbsolutePath());
        }
        try (HdfFile hdf = open(file)) {
            Dataset images = dataset(hdf, file, "images");
            Dataset answers = dataset(hdf, file, "ans");
            int[] dims = images.getDimensions();
            int[] labelDims = answers.getDimensions();
            if (dims.length != 4 || dims[3] != 3 || labelDims.length != 1 || labelDims[0] != dims[0]) {
                throw new IllegalArgumentException(file.getFileName() + " does not have the Galaxy10 layout: 'images' is "
                        + Arrays.toString(dims) + " and 'ans' is " + Arrays.toString(labelDims)
                        + "; expected images [n, height, width, 3] and ans [n]");
            }
            int[] labels = (int[]) answers.getData();
            int[] kept = IntStream.range(0, labels.length)
                    .filter(i -> labels[i] >= 0 && labels[i] < TO_SEED.length && TO_SEED[labels[i]] >= 0).toArray();
            BufferedImage[] pictures = new BufferedImage[kept.length];
            int[] seedLabels = new int[kept.length];
            int k = 0;
            for (int start = 0; start < dims[0]; start += SLICE) {
                int count = Math.min(SLICE, dims[0] - start);
                int[][][][] slice = (int[][][][]) images.getData(new long[] {start, 0, 0, 0},
                        new int[] {count, dims[1], dims[2], 3});
                int first = k;
                List<Integer> rows = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int label = labels[start + i];
                    if (label >= 0 && label < TO_SEED.length && TO_SEED[label] >= 0) {
                        seedLabels[k++] = TO_SEED[label];
                        rows.add(i);
                    }
                }
                IntStream.range(0, rows.size()).parallel()
                        .forEach(j -> pictures[first + j] = resized(slice[rows.get(j)], size));
            }
            Display.text(String.format(Locale.ROOT, "Galaxy10 DECals: %d of %d images kept (disturbed and merging "
                    + "dropped), resized from %dx%d to %dx%d.", kept.length, dims[0], dims[1], dims[2], size, size));
            return ImageFolder.of("Galaxy10 DECals", pictures, seedLabels, Galaxies.CLASSES);
        }
    }

    private static HdfFile open(Path file) {
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file.getFileName() + " is not an HDF5 file (" + e.getMessage()
                    + "); Galaxy10 DECals is Galaxy10_DECals.h5", e);
        }
    }

    private static Dataset dataset(HdfFile hdf, Path file, String name) {
        Node node = hdf.getChildren().get(name);
        if (!(node instanceof Dataset dataset)) {
            throw new IllegalArgumentException(file.getFileName() + " does not have the Galaxy10 layout: no dataset '"
                    + name + "' (it has " + hdf.getChildren().keySet() + "); expected images [n, height, width, 3] and ans [n]");
        }
        return dataset;
    }

    private static BufferedImage resized(int[][][] image, int size) {
        int h = image.length;
        int w = image[0].length;
        BufferedImage picture = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] rgb = image[y][x];
                picture.setRGB(x, y, (rgb[0] & 255) << 16 | (rgb[1] & 255) << 8 | (rgb[2] & 255));
            }
        }
        return h == size && w == size ? picture : ImageFolder.resize(picture, size, size);
    }
}
