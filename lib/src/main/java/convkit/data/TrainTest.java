package convkit.data;

/**
 * A data set's training and test images, as the loaders return them.
 *
 * <pre>{@code
 * var mnist = Mnist.load();
 * mnist.train().size();   // 6000 in quick mode, 60000 in full mode
 * mnist.test().size();    // 1000 in quick mode, 10000 in full mode
 * }</pre>
 */
public record TrainTest(String name, ImageSet train, ImageSet test) {

    /** A class-balanced sample of both parts ({@link ImageSet#balanced}), e.g. for quick mode. */
    public TrainTest balanced(int trainPerClass, int testPerClass, long seed) {
        return new TrainTest(name, train.balanced(trainPerClass, seed), test.balanced(testPerClass, seed));
    }

    @Override
    public String toString() {
        return name + ": " + train.size() + " training and " + test.size() + " test images of "
                + java.util.Arrays.toString(train.shape()) + ", " + train.numClasses() + " classes";
    }
}
