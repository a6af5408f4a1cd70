package convkit.augment;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Another iterator's batches with their images changed at random by an {@link Augmentation}; the random
 * stream continues across epochs, so every epoch sees new variants, and starts over only with a new iterator.
 */
final class AugmentedBatches implements DataSetIterator {

    private final DataSetIterator source;
    private final Augmentation augmentation;
    private final SplittableRandom random;
    private DataSetPreProcessor preProcessor;

    AugmentedBatches(DataSetIterator source, Augmentation augmentation, long seed) {
        this.source = source;
        this.augmentation = augmentation;
        // a stream apart from the one the source shuffles with, though both come from the same seed
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public DataSet next() {
        return augmented(source.next());
    }

    @Override
    public DataSet next(int num) {
        return augmented(source.next(num));
    }

    private DataSet augmented(DataSet batch) {
        if (batch.getFeatures() == null || batch.getFeatures().size(0) == 0) {
            throw new IllegalStateException("the data set iterator gave an empty batch: nothing to train on");
        }
        if (!augmentation.isIdentity()) {
            batch.setFeatures(augmentation.apply(batch.getFeatures(), random));
        }
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public void reset() {
        source.reset();
    }

    @Override
    public int inputColumns() {
        return source.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return source.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return source.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public int batch() {
        return source.batch();
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
        return source.getLabels();
    }
}
