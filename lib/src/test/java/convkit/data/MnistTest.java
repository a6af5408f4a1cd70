package convkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.env.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {

    @Test
    void quickModeLoadsTheBundledBalancedSubset() {
        TrainTest mnist = Mnist.load(Mode.QUICK);
        assertArrayEquals(new long[] {6000, 1, 28, 28}, mnist.train().images().shape());
        assertArrayEquals(new long[] {1000, 10}, mnist.test().labels().shape());
        assertEquals(Mnist.CLASSES, mnist.train().classes());
        int[] perClass = new int[10];
        for (int label : mnist.train().labelIndices()) {
            perClass[label]++;
        }
        for (int count : perClass) {
            assertEquals(600, count);
        }
        assertEquals(0.0, mnist.train().images().minNumber().doubleValue());
        assertEquals(1.0, mnist.train().images().maxNumber().doubleValue());
        assertEquals(1000.0, mnist.test().labels().sumNumber().doubleValue(), "one-hot: one 1 per row");
    }

    @Test
    void bundledSubsetIsTheSeededChoiceFromFullMnist() {
        Assumptions.assumeTrue(Files.isRegularFile(DataFiles.cacheFolder().resolve("mnist/train-images-idx3-ubyte")),
                "full MNIST is not in the cache");
        TrainTest again = Mnist.full()
                .balanced(Mnist.SUBSET_TRAIN_PER_CLASS, Mnist.SUBSET_TEST_PER_CLASS, Mnist.SUBSET_SEED);
        TrainTest bundled = Mnist.small();
        assertEquals(again.train().images(), bundled.train().images());
        assertEquals(again.train().labels(), bundled.train().labels());
        assertEquals(again.test().images(), bundled.test().images());
        assertEquals(again.test().labels(), bundled.test().labels());
    }

    @Test
    void fashionMnistComesFromTheDebianPackageIntoAnEmptyCache(@TempDir Path cache) {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "the Debian package dataset-fashion-mnist is not installed");
        System.setProperty("convkit.data", cache.toString());
        try {
            TrainTest fashion = FashionMnist.load(Mode.QUICK);
            assertEquals("T-shirt/top", fashion.train().classes().get(0));
            assertEquals(6000, fashion.train().size());
            assertEquals(1000, fashion.test().size());
            assertTrue(fashion.toString().startsWith("Fashion-MNIST: 6000 training"), fashion.toString());
            assertTrue(Files.isRegularFile(cache.resolve("fashion-mnist/train-images-idx3-ubyte")));
        } finally {
            System.clearProperty("convkit.data");
        }
    }
}
