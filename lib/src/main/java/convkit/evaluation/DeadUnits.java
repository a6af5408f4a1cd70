package convkit.evaluation;

import convkit.data.ImageSet;
import convkit.display.Tables;
import convkit.env.Require;
import convkit.models.Network;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How many units of each dense ReLU layer still answer to some image. A unit whose output is 0 for every image is
 * dead: no gradient reaches its weights, so training cannot bring it back. When nearly all units of a layer are
 * dead the network's answer stops depending on the image: the collapse of lesson 06.
 *
 * <pre>{@code
 * DeadUnits.of(vgg, validation).show("VGG16 recipe after training");
 * DeadUnits.of(vgg, validation).alive(0);   // live units in the first dense layer, e.g. 239 of 1024
 * }</pre>
 */
public final class DeadUnits {

    /** One dense layer: its index in the network, its units, and how many gave a positive output to some image. */
    public record Layer(int index, int units, int alive) {

        /** Share of the layer's units that are dead. */
        public double deadShare() {
            return 1 - (double) alive / units;
        }
    }

    private final List<Layer> layers;
    private final int images;

    private DeadUnits(List<Layer> layers, int images) {
        this.layers = layers;
        this.images = images;
    }

    /** Runs the network over the set (inference mode) and counts, per dense layer, the units that ever output more than 0. */
    public static DeadUnits of(NeuralNetwork network, ImageSet set) {
        if (!(Network.of(network).network() instanceof MultiLayerNetwork net)) {
            throw new IllegalArgumentException("DeadUnits reads the layers of a MultiLayerNetwork in order; this is a"
                    + " ComputationGraph: count its units with graph.feedForward(images, false) per dense vertex");
        }
        Require.notNull(set, "the images to run the network on", "pass an ImageSet, e.g. validation");
        if (set.size() == 0) {
            throw new IllegalArgumentException(set.name() + " has no images: nothing to run the network on");
        }
        List<Integer> dense = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i).conf().getLayer() instanceof DenseLayer) {
                dense.add(i);
            }
        }
        if (dense.isEmpty()) {
            throw new IllegalArgumentException("the network has no dense layers: DeadUnits counts the units of dense layers");
        }
        INDArray[] highest = new INDArray[dense.size()];
        // feedForward keeps every layer's activations, so large images go through a few at a time, as in Evaluation.
        int batch = Evaluation.imagesPerPass(set);
        for (int start = 0; start < set.size(); start += batch) {
            INDArray x = set.images().get(NDArrayIndex.interval(start, Math.min(set.size(), start + batch)));
            List<INDArray> activations = net.feedForward(x, false);
            for (int k = 0; k < dense.size(); k++) {
                // activations.get(0) is the input, so layer i's output is at i + 1.
                INDArray batchMax = activations.get(dense.get(k) + 1).max(0);
                highest[k] = highest[k] == null ? batchMax : Transforms.max(highest[k], batchMax, false);
            }
        }
        List<Layer> result = new ArrayList<>();
        for (int k = 0; k < dense.size(); k++) {
            result.add(new Layer(dense.get(k), (int) highest[k].length(), highest[k].gt(0).castTo(DataType.INT).sumNumber().intValue()));
        }
        return new DeadUnits(result, set.size());
    }

    /** The dense layers, in order. */
    public List<Layer> layers() {
        return layers;
    }

    /** Live units in the {@code k}-th dense layer (0 = the first one after the convolutions). */
    public int alive(int k) {
        return layers.get(k).alive();
    }

    /** Shows a table: layer, units, alive, dead share. */
    public void show(String title) {
        List<List<?>> rows = new ArrayList<>();
        for (Layer layer : layers) {
            rows.add(List.of("layer " + layer.index(), layer.units(), layer.alive(), String.format("%.1f%%", 100 * layer.deadShare())));
        }
        Tables.show(title + " (" + images + " images)", List.of("dense layer", "units", "alive", "dead"), rows);
    }
}
