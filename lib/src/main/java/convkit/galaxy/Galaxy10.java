package convkit.galaxy;

import convkit.data.DataFiles;
import convkit.data.ImageFolder;
import convkit.data.ImageSet;
import convkit.display.Display;
import convkit.env.Require;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
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

    /**
     * Reads a Galaxy10-layout HDF5 file, keeps the classes the seed has, and resizes the images. Labels and pixels
     * may be stored as any numeric type (uint8 as in the published file, int64 as numpy writes by default, floats);
     * a label that is not one of the classes 0-9 is rejected, counted and shown, never silently dropped.
     */
    public static ImageSet read(Path file, int size) {
        Require.notNull(file, "Galaxy10.read(file, size)'s file", "give the path of Galaxy10_DECals.h5");
        Require.positive(size, "Galaxy10.read's image size");
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
            if (dims[0] == 0 || dims[1] == 0 || dims[2] == 0) {
                throw new IllegalArgumentException(file.getFileName() + " holds no images ('images' is "
                        + Arrays.toString(dims) + "): it was written empty or cut short; delete it and download "
                        + "Galaxy10_DECals.h5 again");
            }
            double[] labels = numbers(answers.getDataFlat(), file, "ans");
            int[] seedLabelOf = new int[labels.length];
            int dropped = 0;
            List<String> rejected = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                double label = labels[i];
                boolean isClass = label == Math.rint(label) && label >= 0 && label < TO_SEED.length;
                seedLabelOf[i] = isClass ? TO_SEED[(int) label] : -1;
                if (!isClass) {
                    rejected.add(label == Math.rint(label) ? String.valueOf((long) label) : String.valueOf(label));
                } else if (seedLabelOf[i] < 0) {
                    dropped++;
                }
            }
            int[] kept = IntStream.range(0, labels.length).filter(i -> seedLabelOf[i] >= 0).toArray();
            String rejectedNote = rejected.isEmpty() ? "" : String.format(Locale.ROOT, "; rejected %d with labels that "
                    + "are not a class 0-9 (%s)", rejected.size(), String.join(", ", rejected.subList(0,
                    Math.min(5, rejected.size()))) + (rejected.size() > 5 ? ", ..." : ""));
            if (kept.length == 0) {
                throw new IllegalArgumentException(file.getFileName() + ": none of its " + labels.length + " images has a "
                        + "label of the seed's classes (2-9; disturbed 0 and merging 1 are dropped" + rejectedNote
                        + "); check that 'ans' holds Galaxy10's class numbers 0-9");
            }
            Pixels pixels = new Pixels(images.getJavaType());
            BufferedImage[] pictures = new BufferedImage[kept.length];
            int[] seedLabels = new int[kept.length];
            int k = 0;
            for (int start = 0; start < dims[0]; start += SLICE) {
                int count = Math.min(SLICE, dims[0] - start);
                int[] slice = pixels.read(images.getData(new long[] {start, 0, 0, 0},
                        new int[] {count, dims[1], dims[2], 3}), count * dims[1] * dims[2] * 3);
                int first = k;
                List<Integer> rows = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    if (seedLabelOf[start + i] >= 0) {
                        seedLabels[k++] = seedLabelOf[start + i];
                        rows.add(i);
                    }
                }
                IntStream.range(0, rows.size()).parallel()
                        .forEach(j -> pictures[first + j] = resized(slice, rows.get(j), dims[1], dims[2], size));
            }
            Display.text(String.format(Locale.ROOT, "Galaxy10 DECals: %d of %d images kept (disturbed and merging "
                    + "dropped: %d%s), resized from %dx%d to %dx%d.%s", kept.length, dims[0], dropped, rejectedNote,
                    dims[1], dims[2], size, size, pixels.note()));
            return ImageFolder.of("Galaxy10 DECals", pictures, seedLabels, Galaxies.CLASSES);
        } catch (HdfException | java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw damaged(file, e);
        }
    }

    /** What jHDF's error on a cut-off or corrupt file means, with the size that gives it away and the fix. */
    private static IllegalArgumentException damaged(Path file, RuntimeException e) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (java.io.IOException unreadable) {
            bytes = -1;
        }
        return new IllegalArgumentException(String.format(Locale.ROOT, "%s is damaged or truncated (%,d bytes; jHDF: %s):"
                + " probably an interrupted download or copy; delete it and download Galaxy10_DECals.h5 again "
                + "(Galaxy10.load checks the download's SHA-256)", file.getFileName(), bytes, e.getMessage()), e);
    }

    /** Any numeric HDF5 array (flat) as doubles; anything else (strings, compounds) is an error naming the dataset. */
    private static double[] numbers(Object data, Path file, String name) {
        if (data instanceof double[] d) {
            return d;
        }
        int n = data != null && data.getClass().isArray() ? java.lang.reflect.Array.getLength(data) : 0;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            Object value = java.lang.reflect.Array.get(data, i);
            if (!(value instanceof Number number)) {
                throw new IllegalArgumentException(file.getFileName() + ": '" + name + "' holds "
                        + (value == null ? "nothing" : value.getClass().getSimpleName()) + " values, not numbers;"
                        + " expected Galaxy10's class numbers 0-9");
            }
            values[i] = number.doubleValue();
        }
        return values;
    }

    /**
     * Converts the nested arrays jHDF returns for a slice of images, of whatever numeric type the file stores, into
     * 0-255 values. Integers are taken as they are; floats as 0-255, or as 0-1 when the first slice stays within 1.
     * Values outside 0-255 are clipped and counted.
     */
    private static final class Pixels {
        private final boolean floating;
        private double scale = Double.NaN;
        private long clipped;

        Pixels(Class<?> type) {
            floating = type == float.class || type == double.class || type == Float.class || type == Double.class;
            scale = floating ? Double.NaN : 1;
        }

        int[] read(Object nested, int length) {
            if (Double.isNaN(scale)) {
                scale = largest(nested) <= 1 ? 255 : 1;
            }
            int[] out = new int[length];
            int filled = copy(nested, out, 0);
            if (filled != length) {
                throw new IllegalStateException("jHDF returned " + filled + " of a slice's " + length + " values");
            }
            return out;
        }

        String note() {
            return (floating && scale == 255 ? " Float pixels in 0-1 were scaled to 0-255." : "")
                    + (clipped > 0 ? " " + clipped + " pixel values outside 0-255 were clipped." : "");
        }

        private int copy(Object nested, int[] out, int at) {
            if (nested instanceof Object[] parts) {
                for (Object part : parts) {
                    at = copy(part, out, at);
                }
            } else if (nested instanceof byte[] row) {
                for (byte value : row) {
                    out[at++] = value & 0xFF;
                }
            } else if (nested instanceof short[] row) {
                for (short value : row) {
                    out[at++] = clip(value);
                }
            } else if (nested instanceof int[] row) {
                for (int value : row) {
                    out[at++] = clip(value);
                }
            } else if (nested instanceof long[] row) {
                for (long value : row) {
                    out[at++] = clip(value);
                }
            } else if (nested instanceof float[] row) {
                for (float value : row) {
                    out[at++] = clip(Math.round(value * scale));
                }
            } else if (nested instanceof double[] row) {
                for (double value : row) {
                    out[at++] = clip(Math.round(value * scale));
                }
            } else {
                throw new IllegalArgumentException("'images' holds " + nested.getClass().getSimpleName()
                        + " values, not numbers");
            }
            return at;
        }

        private int clip(long value) {
            if (value < 0 || value > 255) {
                clipped++;
                return value < 0 ? 0 : 255;
            }
            return (int) value;
        }

        private static double largest(Object nested) {
            if (nested instanceof Object[] parts) {
                double max = Double.NEGATIVE_INFINITY;
                for (Object part : parts) {
                    max = Math.max(max, largest(part));
                }
                return max;
            }
            double max = Double.NEGATIVE_INFINITY;
            int n = java.lang.reflect.Array.getLength(nested);
            for (int i = 0; i < n; i++) {
                max = Math.max(max, ((Number) java.lang.reflect.Array.get(nested, i)).doubleValue());
            }
            return max;
        }
    }

    private static HdfFile open(Path file) {
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            if (startsLikeHdf5(file)) {
                throw damaged(file, e);
            }
            throw new IllegalArgumentException(file.getFileName() + " is not an HDF5 file (" + e.getMessage()
                    + "); Galaxy10 DECals is Galaxy10_DECals.h5", e);
        }
    }

    /** True when the file begins with HDF5's 8-byte signature: an HDF5 file, so an unreadable one is damaged. */
    private static boolean startsLikeHdf5(Path file) {
        byte[] signature = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        try (var in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(signature.length), signature);
        } catch (java.io.IOException e) {
            return false;
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

    /** Image {@code j} of a slice of 0-255 values {@code [n, h, w, 3]}, as a picture of {@code size x size}. */
    private static BufferedImage resized(int[] slice, int j, int h, int w, int size) {
        BufferedImage picture = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int base = j * h * w * 3;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = base + (y * w + x) * 3;
                picture.setRGB(x, y, slice[p] << 16 | slice[p + 1] << 8 | slice[p + 2]);
            }
        }
        return h == size && w == size ? picture : ImageFolder.resize(picture, size, size);
    }
}
