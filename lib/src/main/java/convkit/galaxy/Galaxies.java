package convkit.galaxy;

import convkit.data.DataFiles;
import convkit.data.ImageFolder;
import convkit.data.ImageSet;
import convkit.display.Display;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
 * <li>smooth: a Sersic profile, index 1.5-5.5, axis ratio 0.28-1 (round, in-between, cigar), effective radius
 * 1.8-7.5; a fifth also have a faint exponential disk (lenticulars);</li>
 * <li>spiral: an exponential disk (scale length 2-6.5) at axis ratio 0.28-1, a red Sersic bulge of 5-45% of the light,
 * 1 to 4 logarithmic arms of pitch 8-35 degrees and contrast 0.15-1, a bar in 30%;</li>
 * <li>edge: a disk seen at axis ratio 0.07-0.38 with a sech&sup2; vertical profile, a bulge in 55%, a dust lane that
 * dims blue more than red in 50%.</li>
 * </ul>
 * All get class-typical colours (red bulges and ellipticals, blue disks and arms) in three bands, a centre offset up to
 * 4.5 pixels, total flux from 250 to 9000 times the sky noise, Gaussian seeing of 0.7-1.4 pixels, sky noise, photon
 * noise and an asinh stretch; a quarter have a neighbour galaxy, a third have foreground stars. Small faint galaxies,
 * weak arms, thick edge-on disks and inclined spirals make the classes overlap, as in real surveys. The training
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
        return DataFiles.cacheFolder().resolve("galaxies").resolve(String.format(Locale.ROOT, "synthetic-v1-seed%d-%dpx-%d-%d-%d",
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
            Path temporary = Files.createTempDirectory(folder.getParent(), folder.getFileName() + ".part-");
            long start = System.nanoTime();
            int n;
            try {
                n = writeTo(temporary);
            } catch (IOException | RuntimeException e) {
                deleteTree(temporary);
                throw e;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            try {
                Files.move(temporary, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(temporary);
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
    public int writeTo(Path target) throws IOException {
        String[] splits = {"train", "validation", "test"};
        int[][] counts = {train, validation, test};
        for (String split : splits) {
            for (String name : CLASSES) {
                Files.createDirectories(target.resolve(split).resolve(name));
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

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
