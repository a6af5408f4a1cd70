package convkit.data;

import convkit.env.Mode;
import convkit.env.Require;
import java.util.List;

/**
 * Fashion-MNIST (Zalando), a drop-in replacement for MNIST with clothing: 28x28 grayscale, 10 classes. The files
 * come from the cache, the web, or the Debian package {@code dataset-fashion-mnist}; quick mode keeps a
 * class-balanced subset of the same size as MNIST's.
 *
 * <pre>{@code
 * var fashion = FashionMnist.load();
 * fashion.train().classes();   // [T-shirt/top, Trouser, Pullover, ...]
 * }</pre>
 */
public final class FashionMnist {

    /** The class names in label order. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {
    }

    /** A balanced subset (600 + 100 per class) in quick mode, all 70,000 images in full mode. */
    public static TrainTest load() {
        return load(Mode.current());
    }

    /** A balanced subset for {@link Mode#QUICK}, all images for {@link Mode#FULL}. */
    public static TrainTest load(Mode mode) {
        Require.notNull(mode, "FashionMnist.load(mode)'s mode", "give Mode.QUICK or Mode.FULL, or call FashionMnist.load()");
        TrainTest all = Mnist.fromManifest("fashion-mnist", "Fashion-MNIST", CLASSES);
        return mode.isQuick()
                ? all.balanced(Mnist.SUBSET_TRAIN_PER_CLASS, Mnist.SUBSET_TEST_PER_CLASS, Mnist.SUBSET_SEED)
                : all;
    }
}
