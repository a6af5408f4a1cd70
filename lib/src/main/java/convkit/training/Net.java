package convkit.training;

import convkit.data.ImageSet;
import convkit.evaluation.Evaluation;
import convkit.models.Models;
import java.util.Collection;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A {@link MultiLayerNetwork} or a single-input, single-output {@link ComputationGraph} seen through the few operations
 * {@link Training} and {@link Checkpoint} use, so that each of them is written once for both kinds of network.
 */
sealed interface Net permits Net.Layers, Net.Graph {

    /** Wraps {@code model}; a graph must have one input and one output. */
    static Net of(Model model) {
        if (model instanceof MultiLayerNetwork layers) {
            return new Layers(layers);
        }
        if (model instanceof ComputationGraph graph) {
            return new Graph(Models.singleInputOutput(graph));
        }
        throw new IllegalArgumentException(model == null ? "model is null: build one first, e.g. Models.seedCnn(28, 28, 1, 10)"
                : "cannot train a " + model.getClass().getSimpleName() + ": use a MultiLayerNetwork or a ComputationGraph");
    }

    /** The DL4J network. */
    Model model();

    /** "MultiLayerNetwork" or "ComputationGraph", for messages. */
    String kind();

    /** One update on one batch. */
    void fit(DataSet batch);

    /** The network's output for {@code features}, with dropout when {@code train}. */
    INDArray output(INDArray features, boolean train);

    /** Number of layers (vertices with parameters or not, excluding inputs). */
    int layers();

    Collection<TrainingListener> listeners();

    /** The optimizer's state (Adam's moments...), one flat view; null when the optimizer keeps none. */
    INDArray updaterState();

    int epochCount();

    void epochCount(int epochs);

    int iterationCount();

    void iterationCount(int iterations);

    void incrementEpochCount();

    Evaluation evaluate(ImageSet set);

    Evaluation evaluate(DataSetIterator batches);

    default double score() {
        return model().score();
    }

    default INDArray params() {
        return model().params();
    }

    default void setParams(INDArray params) {
        model().setParams(params);
    }

    default long numParams() {
        return model().numParams();
    }

    default void listeners(Collection<TrainingListener> listeners) {
        model().setListeners(listeners);
    }

    /** A {@link MultiLayerNetwork}. */
    record Layers(MultiLayerNetwork model) implements Net {
        public String kind() {
            return "MultiLayerNetwork";
        }

        public void fit(DataSet batch) {
            model.fit(batch);
        }

        public INDArray output(INDArray features, boolean train) {
            return model.output(features, train);
        }

        public int layers() {
            return model.getnLayers();
        }

        public Collection<TrainingListener> listeners() {
            return model.getListeners();
        }

        public INDArray updaterState() {
            return model.getUpdater().getStateViewArray();
        }

        public int epochCount() {
            return model.getEpochCount();
        }

        public void epochCount(int epochs) {
            model.setEpochCount(epochs);
        }

        public int iterationCount() {
            return model.getIterationCount();
        }

        public void iterationCount(int iterations) {
            model.setIterationCount(iterations);
        }

        public void incrementEpochCount() {
            model.incrementEpochCount();
        }

        public Evaluation evaluate(ImageSet set) {
            return Evaluation.of(model, set);
        }

        public Evaluation evaluate(DataSetIterator batches) {
            return Evaluation.of(model, batches);
        }
    }

    /** A {@link ComputationGraph} with one input and one output. */
    record Graph(ComputationGraph model) implements Net {
        public String kind() {
            return "ComputationGraph";
        }

        public void fit(DataSet batch) {
            model.fit(batch);
        }

        public INDArray output(INDArray features, boolean train) {
            return model.outputSingle(train, features);
        }

        public int layers() {
            return model.getNumLayers();
        }

        public Collection<TrainingListener> listeners() {
            return model.getListeners();
        }

        public INDArray updaterState() {
            return model.getUpdater().getStateViewArray();
        }

        public int epochCount() {
            return model.getEpochCount();
        }

        public void epochCount(int epochs) {
            model.getConfiguration().setEpochCount(epochs);
        }

        public int iterationCount() {
            return model.getIterationCount();
        }

        public void iterationCount(int iterations) {
            model.getConfiguration().setIterationCount(iterations);
        }

        public void incrementEpochCount() {
            model.incrementEpochCount();
        }

        public Evaluation evaluate(ImageSet set) {
            return Evaluation.of(model, set);
        }

        public Evaluation evaluate(DataSetIterator batches) {
            return Evaluation.of(model, batches);
        }
    }
}
