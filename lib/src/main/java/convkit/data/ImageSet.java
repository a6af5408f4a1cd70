package convkit.data;

import convkit.env.Require;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Labelled images in memory, the way every lesson passes data around: images as {@code [n, channels, height, width]}
 * floats in [0, 1] (already divided by 255), labels one-hot {@code [n, classes]}, and the class names.
 *
 * <pre>{@code
 * ImageSet train = Mnist.load().train();
 * train.size();                      // 60000
 * train.batches(64, true, 42);       // a DataSetIterator for DL4J's fit
 * }</pre>
 */
public record ImageSet(String name, INDArray images, INDArray labels, List<String> classes) {

    public ImageSet {
        Require.notNull(images, name + ": the images array", "give an array [n, channels, height, width]");
        Require.notNull(labels, name + ": the labels array", "give one-hot labels [n, classes]");
        Require.notNull(classes, name + ": the class list", "give one name per label column");
        if (images.rank() != 4) {
            throw new IllegalArgumentException(name + ": images must be [n, channels, height, width], got rank " + images.rank());
        }
        if (labels.rank() != 2 || labels.size(0) != images.size(0)) {
            throw new IllegalArgumentException(name + ": " + images.size(0) + " images but labels of shape "
                    + java.util.Arrays.toString(labels.shape()) + " (need [" + images.size(0) + ", classes])");
        }
        if (labels.size(1) != classes.size()) {
            throw new IllegalArgumentException(name + ": labels have " + labels.size(1) + " columns but there are "
                    + classes.size() + " class names");
        }
        classes = List.copyOf(classes);
    }

    /** Number of images. */
    public int size() {
        return (int) images.size(0);
    }

    /** {@code {height, width, channels}} of one image, the order of Keras' {@code input_shape} and {@code Shape}. */
    public int[] shape() {
        return new int[] {(int) images.size(2), (int) images.size(3), (int) images.size(1)};
    }

    /** Number of classes. */
    public int numClasses() {
        return classes.size();
    }

    /** The class index of image {@code i}. */
    public int label(int i) {
        return labels.getRow(Require.index(i, size(), name + ".label(n)")).argMax().getInt(0);
    }

    /** Image {@code i} as {@code [channels, height, width]}. */
    public INDArray image(int i) {
        return images.get(org.nd4j.linalg.indexing.NDArrayIndex.point(Require.index(i, size(), name + ".image(n)"))).dup();
    }

    /** The first {@code n} images (a view, no copy); the whole set when {@code n} is at least its size. */
    public ImageSet first(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(name + ": asked for the first " + n + " images; n must be positive");
        }
        if (n >= size()) {
            return this;
        }
        return new ImageSet(name + " (first " + n + ")",
                images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)),
                labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)), classes);
    }

    /** The class index of every image, in order. */
    public int[] labelIndices() {
        return labels.argMax(1).toIntVector();
    }

    /** How many images each class has, in the order of {@link #classes()}, like pandas' {@code value_counts()}. */
    public Map<String, Integer> classCounts() {
        int[] count = countPerClass(labelIndices());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int c = 0; c < count.length; c++) {
            counts.put(classes.get(c), count[c]);
        }
        return Collections.unmodifiableMap(counts);
    }

    private int[] countPerClass(int[] labelOf) {
        int[] count = new int[numClasses()];
        for (int label : labelOf) {
            count[label]++;
        }
        return count;
    }

    /** The images at {@code rows}, in that order (a copy). */
    public ImageSet subset(String subsetName, int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException(name + ": a subset needs at least one row");
        }
        for (int row : rows) {
            if (row < 0 || row >= size()) {
                throw new IllegalArgumentException(name + ": row " + row + " is outside 0.." + (size() - 1));
            }
        }
        INDArray flat = images.reshape('c', size(), -1);
        INDArray x = org.nd4j.linalg.factory.Nd4j.pullRows(flat, 1, rows)
                .reshape('c', rows.length, images.size(1), images.size(2), images.size(3));
        return new ImageSet(subsetName, x, org.nd4j.linalg.factory.Nd4j.pullRows(labels, 1, rows), classes);
    }

    /**
     * Only the images of the named classes, relabelled in the order given: {@code mnist.train().only("5", "6", "7",
     * "8", "9")} is a 5-class set whose label 0 is the digit 5 (a new task for transfer learning).
     */
    public ImageSet only(String... classNames) {
        int[] newIndex = new int[numClasses()];
        java.util.Arrays.fill(newIndex, -1);
        for (int k = 0; k < classNames.length; k++) {
            int c = classes.indexOf(classNames[k]);
            if (c < 0) {
                throw new IllegalArgumentException(name + " has no class '" + classNames[k] + "'; its classes are " + classes);
            }
            newIndex[c] = k;
        }
        int[] labelOf = labelIndices();
        int[] rows = java.util.stream.IntStream.range(0, size()).filter(i -> newIndex[labelOf[i]] >= 0).toArray();
        if (rows.length == 0) {
            throw new IllegalArgumentException(name + " has no images of " + java.util.Arrays.toString(classNames));
        }
        INDArray oneHot = org.nd4j.linalg.factory.Nd4j.zeros(labels.dataType(), rows.length, classNames.length);
        for (int r = 0; r < rows.length; r++) {
            oneHot.putScalar(r, newIndex[labelOf[rows[r]]], 1);
        }
        ImageSet picked = subset(name + " " + java.util.Arrays.toString(classNames), rows);
        return new ImageSet(picked.name(), picked.images(), oneHot, java.util.List.of(classNames));
    }

    /**
     * A class-balanced sample: {@code perClass} images of every class, drawn with {@code seed}, kept in their
     * original order (so the same seed always gives the same images).
     */
    public ImageSet balanced(int perClass, long seed) {
        int[] labelOf = labelIndices();
        int[] count = countPerClass(labelOf);
        for (int c = 0; c < count.length; c++) {
            if (count[c] < perClass) {
                throw new IllegalArgumentException(name + ": asked for " + perClass + " images per class but class "
                        + classes.get(c) + " has only " + count[c]);
            }
        }
        java.util.Random random = new java.util.Random(seed);
        boolean[] chosen = new boolean[size()];
        for (int c = 0; c < count.length; c++) {
            int[] members = new int[count[c]];
            int m = 0;
            for (int i = 0; i < labelOf.length; i++) {
                if (labelOf[i] == c) {
                    members[m++] = i;
                }
            }
            Shuffle.pickFirst(members, perClass, random);
            for (int i = 0; i < perClass; i++) {
                chosen[members[i]] = true;
            }
        }
        int[] rows = new int[perClass * count.length];
        int r = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i]) {
                rows[r++] = i;
            }
        }
        return subset(name + " (" + perClass + " per class, seed " + seed + ")", rows);
    }

    /** All images and labels as one DL4J {@link DataSet}. */
    public DataSet toDataSet() {
        return new DataSet(images, labels);
    }

    /**
     * Mini-batches for training or evaluation, like Keras' {@code flow(x, y, batch_size, shuffle)}:
     * shuffled with {@code seed} at every epoch when {@code shuffle} is true, in order otherwise.
     */
    public DataSetIterator batches(int batchSize, boolean shuffle, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (size() == 0) {
            throw new IllegalStateException(name + " has no images: nothing to train or evaluate on");
        }
        return new Batches(this, batchSize, shuffle, seed);
    }
}
