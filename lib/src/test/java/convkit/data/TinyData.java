package convkit.data;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small synthetic image sets for tests: 4x4 gray images whose bright row pair tells the class. */
public final class TinyData {

    private TinyData() {
    }

    /** {@code n} images of 3 classes: class k lights up rows k and k+1, plus noise drawn from {@code seed}. */
    public static ImageSet rows(String name, int n, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * 16];
        float[] labels = new float[n * 3];
        for (int i = 0; i < n; i++) {
            int k = i % 3;
            for (int p = 0; p < 16; p++) {
                int row = p / 4;
                float base = row == k || row == k + 1 ? 0.7f : 0.1f;
                pixels[i * 16 + p] = Math.min(1, Math.max(0, base + 0.3f * (random.nextFloat() - 0.5f)));
            }
            labels[i * 3 + k] = 1;
        }
        INDArray images = Nd4j.create(pixels, new long[] {n, 1, 4, 4}, 'c');
        return new ImageSet(name, images, Nd4j.create(labels, new long[] {n, 3}, 'c'), List.of("top", "middle", "bottom"));
    }
}
