package convkit.data;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** Mini-batches over an {@link ImageSet}, reshuffled at every {@link #reset()} when asked to shuffle. */
final class Batches implements DataSetIterator {

    private final ImageSet set;
    private final INDArray flatImages;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private int[] order;
    private int cursor;
    private int epoch;
    private DataSetPreProcessor preProcessor;

    Batches(ImageSet set, int batchSize, boolean shuffle, long seed) {
        this.set = set;
        this.flatImages = set.images().reshape('c', set.size(), -1);
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        reset();
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        int end = Math.min(order.length, cursor + num);
        int[] rows = java.util.Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        INDArray images = set.images();
        INDArray x = Nd4j.pullRows(flatImages, 1, rows).reshape('c', rows.length, images.size(1), images.size(2), images.size(3));
        INDArray y = Nd4j.pullRows(set.labels(), 1, rows);
        DataSet batch = new DataSet(x, y);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public void reset() {
        if (shuffle) {
            order = Shuffle.order(set.size(), new Random(seed + 1_000_003L * epoch));
        } else {
            order = IntStream.range(0, set.size()).toArray();
        }
        epoch++;
        cursor = 0;
    }

    @Override
    public int inputColumns() {
        return (int) flatImages.size(1);
    }

    @Override
    public int totalOutcomes() {
        return set.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /**
     * No background prefetch: a batch from memory takes a few microseconds, while DL4J's prefetch thread costs a
     * hand-over per batch and competes with ND4J's threads for the cores (MLP training 1.5x faster without it,
     * seed CNN unchanged, on 2 cores; make bench).
     */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return set.classes();
    }
}
