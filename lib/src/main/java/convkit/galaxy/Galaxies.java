package convkit.galaxy;

import convkit.data.DataFiles;
import convkit.data.ImageFolder;
import convkit.data.ImageSet;
import convkit.data.Shuffle;
import convkit.data.TempFiles;
import convkit.display.Display;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Synthetic galaxy images standing in for the seed's DAFIT data (not public): three classes, edge, smooth and
 * spiral, 50x50 RGB, 10,249 training / 600 validation / 600 test images, written once to the data cache as
 * class folders of PNGs and read back with {@link ImageFolder} exactly as real data would be.
 *
 * <pre>{@code
 * var galaxies = Galaxies.synthetic();          // seed 2021, the seed's sizes
 * Galaxies.Data data = galaxies.load();         // generates on first use (seconds), then reads the PNGs
 * data.train().size();                          // 10249
 * }</pre>
 *
 * What is drawn (all sizes in pixels of a 50x50 image, each value drawn at random per image):
 * <ul>
 * <li>smooth: a Sersic profile, index 1.5-5.5, axis ratio 0.25-1 (round, in-between, cigar), effective radius
 * 1.8-7.5; 30% also have a faint exponential disk (lenticulars);</li>
 * <li>spiral: an exponential disk (scale length 1.5-6.5) at axis ratio 0.25-1, a red Sersic bulge of 5-60% of the light,
 * 1 to 4 logarithmic arms of pitch 8-35 degrees and contrast 0.05-1, a bar in 30%;</li>
 * <li>edge: a disk (scale length 2.2-8) seen at axis ratio 0.07-0.4 with a sech&sup2; vertical profile, a bulge in 55%, a dust lane that
 * dims blue more than red in 50%.</li>
 * </ul>
 * All get class-typical colours (red bulges and ellipticals, blue disks and arms) in three bands, a centre offset up to
 * 4.5 pixels, total flux from 120 to 7000 times the sky noise, Gaussian seeing of 0.7-1.4 pixels, sky noise, photon
 * noise and an asinh stretch; a quarter have a neighbour galaxy, a third have foreground stars. Small faint galaxies,
 * weak arms, thick edge-on disks and inclined spirals make the classes overlap, as in real surveys; version 2 of
 * the generator made these cases commoner so that the seed's practice model 1 lands in the seed's range (validation
 * accuracy 83.5% after 4 epochs; version 1 gave 92.8% after 3, too easy). The training
 * set's class shares follow the seed's (training accuracy stuck at 0.449 = the share of its largest class);
 * validation and test sets are balanced.
 */
public final class Galaxies {

    /** The three classes, in the alphabetical order {@code flow_from_directory} gives them. */
    public enum Kind {
        EDGE, SMOOTH, SPIRAL;

        /** The class folder's name. */
        public String folder() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Class names as folder names: edge, smooth, spiral. */
    public static final List<String> CLASSES = List.of("edge", "smooth", "spiral");

    /** Training set of the seed: 44.9% smooth (its collapsed network's training accuracy), the rest split. */
    private static final int[] TRAIN = {2077, 4602, 3570};

    private final long seed;
    private final int size;
    private final int[] train;
    private final int[] validation;
    private final int[] test;

    private Galaxies(long seed, int size, int[] train, int[] validation, int[] test) {
        this.seed = seed;
        this.size = size;
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    /** The seed's data set in synthetic form: seed 2021, 50x50, 10,249 / 600 / 600 images. */
    public static Galaxies synthetic() {
        return new Galaxies(2021, 50, TRAIN, new int[] {200, 200, 200}, new int[] {200, 200, 200});
    }

    /** The same generator with another random seed (a different but equally hard data set). */
    public Galaxies seed(long seed) {
        return new Galaxies(seed, size, train, validation, test);
    }

    /** The same generator drawing {@code pixels x pixels} images (the galaxies scale with the frame). */
    public Galaxies imageSize(int pixels) {
        if (pixels < 16) {
            throw new IllegalArgumentException("image size must be at least 16 pixels, got " + pixels);
        }
        return new Galaxies(seed, pixels, train, validation, test);
    }

    /** The same generator with other numbers of images per class (edge, smooth, spiral) in each split. */
    public Galaxies counts(int[] train, int[] validation, int[] test) {
        for (int[] counts : new int[][] {train, validation, test}) {
            if (counts.length != 3 || IntStream.of(counts).anyMatch(c -> c < 0)) {
                throw new IllegalArgumentException("counts are three non-negative numbers (edge, smooth, spiral), got "
                        + java.util.Arrays.toString(counts));
            }
        }
        return new Galaxies(seed, size, train.clone(), validation.clone(), test.clone());
    }

    /** The three splits, read from the class folders. */
    public record Data(ImageSet train, ImageSet validation, ImageSet test) {
    }

    /**
     * The seed's test figure: {@code n} images drawn from the shuffled test split (it evaluated 30 batches of 16 =
     * 480 of its 600 shuffled test images).
     */
    public static ImageSet shuffledSample(ImageSet test, int n, long seed) {
        int[] order = shuffled(test.size(), seed);
        return test.subset(test.name() + " (" + Math.min(n, order.length) + " shuffled)",
                java.util.Arrays.copyOf(order, Math.min(n, order.length)));
    }

    /** 0..n-1 in an order drawn with {@code seed} (Fisher-Yates). */
    static int[] shuffled(int n, long seed) {
        return Shuffle.order(n, new java.util.Random(seed));
    }

    /** Writes the images if the cache does not have them yet, then reads the three splits (see {@link #folder()}). */
    public Data load() {
        Path folder = write();
        return new Data(ImageFolder.at(folder.resolve("train")).read(),
                ImageFolder.at(folder.resolve("validation")).read(),
                ImageFolder.at(folder.resolve("test")).read());
    }

    /**
     * Where this data set lives: {@code <cache>/galaxies/synthetic-...} with one folder per split and per class,
     * the cache being {@code CONVKIT_DATA} or {@code ~/.cache/convkit}.
     */
    public Path folder() {
        return DataFiles.cacheFolder().resolve("galaxies").resolve(String.format(Locale.ROOT, "synthetic-v2-seed%d-%dpx-%d-%d-%d",
                seed, size, IntStream.of(train).sum(), IntStream.of(validation).sum(), IntStream.of(test).sum()));
    }

    /**
     * Generates the data set into {@link #folder()} unless it is already there, and returns the folder. The images
     * go to a temporary folder that is renamed only once complete, so an interrupted run never leaves half a data set.
     */
    public Path write() {
        Path folder = folder();
        if (Files.isDirectory(folder)) {
            return folder;
        }
        try {
            Files.createDirectories(folder.getParent());
            TempFiles.clean(folder.getParent());     // the folders of earlier runs that were killed while drawing
            Path temporary = TempFiles.folderBeside(folder);
            long start = System.nanoTime();
            int n;
            try {
                n = writeTo(temporary);
            } catch (RuntimeException e) {
                TempFiles.deleteTree(temporary);
                throw e;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            try {
                Files.move(temporary, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                TempFiles.deleteTree(temporary);
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
                // another process finished the same data set first; theirs is identical
            }
            Display.text(String.format(Locale.ROOT, "Generated %d synthetic galaxy images in %.1f s (%.0f images/s) into %s",
                    n, seconds, n / seconds, folder));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthetic galaxies to " + folder
                    + " (set CONVKIT_DATA to a writable folder)", e);
        }
    }

    /** Draws every image into {@code target}/split/class/ as PNGs, in parallel, and returns how many it wrote. */
    public int writeTo(Path target) {
        String[] splits = {"train", "validation", "test"};
        int[][] counts = {train, validation, test};
        for (String split : splits) {
            for (String name : CLASSES) {
                try {
                    Files.createDirectories(target.resolve(split).resolve(name));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create " + target.resolve(split).resolve(name), e);
                }
            }
        }
        int total = 0;
        for (int s = 0; s < splits.length; s++) {
            Path splitFolder = target.resolve(splits[s]);
            int splitIndex = s;
            int[] perClass = counts[s];
            int n = IntStream.of(perClass).sum();
            IntStream.range(0, n).parallel().forEach(i -> {
                int c = 0;
                int j = i;
                while (j >= perClass[c]) {
                    j -= perClass[c];
                    c++;
                }
                Kind kind = Kind.values()[c];
                BufferedImage picture = paint(kind, imageSeed(splitIndex, i));
                Path file = splitFolder.resolve(kind.folder()).resolve(String.format(Locale.ROOT, "%05d.png", j));
                try {
                    ImageIO.write(picture, "png", file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
            });
            total += n;
        }
        return total;
    }

    /** One synthetic galaxy of the given class, the same picture for the same {@code imageSeed}. */
    public BufferedImage paint(Kind kind, long imageSeed) {
        return new GalaxyPainter(size).paint(kind, new SplittableRandom(imageSeed));
    }

    private long imageSeed(int split, int index) {
        long h = seed * 0x9E3779B97F4A7C15L + split * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

}
