package convkit.training;

import convkit.models.Network;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Counts the correct answers of the forward pass that training makes anyway, as Keras' training accuracy does
 * (dropout on, weights before the update), instead of a second forward pass per batch. DL4J hands listeners the
 * activations up to the input of the output layer (a list for a {@link MultiLayerNetwork}, a map by vertex name for
 * a {@link ComputationGraph}); for a dense output layer the class with the largest {@code x W + b} is the one softmax
 * would pick.
 */
final class BatchAccuracy extends BaseTrainingListener implements AutoCloseable {

    private final Network network;
    private final Collection<TrainingListener> previous;
    private INDArray labels;
    private int correct = -1;

    BatchAccuracy() {
        this.network = null;
        this.previous = null;
    }

    private BatchAccuracy(Network network) {
        this.network = network;
        this.previous = new ArrayList<>(network.listeners());
    }

    /** Listens to {@code network}'s training, beside its own listeners, until {@link #close()} puts those back alone. */
    static BatchAccuracy on(Network network) {
        BatchAccuracy accuracy = new BatchAccuracy(network);
        List<TrainingListener> all = new ArrayList<>(accuracy.previous);
        all.add(accuracy);
        network.listeners(all);
        return accuracy;
    }

    @Override
    public void close() {
        network.listeners(previous);
    }

    /**
     * Correct answers in {@code batch}, just fitted: counted from training's forward pass, or, for output layers that
     * cannot be read that way, with a forward pass of its own.
     */
    int correctIn(DataSet batch) {
        return correct >= 0 ? correct : matches(network.output(batch.getFeatures(), false), batch.getLabels());
    }

    /** Sets the labels of the batch about to be fitted and forgets the last count. */
    void expect(INDArray batchLabels) {
        labels = batchLabels;
        correct = -1;
    }

    /** Correct answers in the last fitted batch, or -1 when the model's output layer is not a dense {@link OutputLayer}. */
    int correct() {
        return correct;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        count(net.getOutputLayer(), activations.get(activations.size() - 1),
                net.getLayerWiseConfigurations().getInputPreProcess(net.getnLayers() - 1));
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        ComputationGraph graph = (ComputationGraph) model;
        var conf = graph.getConfiguration();
        String output = conf.getNetworkOutputs().get(0);
        List<String> inputs = conf.getVertexInputs().get(output);
        if (inputs.size() == 1 && conf.getVertices().get(output) instanceof LayerVertex vertex) {
            count(graph.getLayer(output), activations.get(inputs.get(0)), vertex.getPreProcessor());
        }
    }

    private void count(Layer output, INDArray x, InputPreProcessor pre) {
        if (!(output instanceof OutputLayer) || labels == null || x == null) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (pre != null) {
                x = pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
            }
            correct = matches(x.mmul(output.getParam("W")).addiRowVector(output.getParam("b")), labels);
        }
    }

    /** How many rows of {@code scores} have their largest value in the column of the one-hot {@code labels}. */
    static int matches(INDArray scores, INDArray labels) {
        int[] guessed = scores.argMax(1).toIntVector();
        int[] truth = labels.argMax(1).toIntVector();
        int n = 0;
        for (int i = 0; i < truth.length; i++) {
            if (guessed[i] == truth[i]) {
                n++;
            }
        }
        return n;
    }
}
