package convkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class TransferTest {

    @TempDir
    Path folder;

    @AfterEach
    void clear() {
        System.clearProperty("convkit.zoo.url");
        System.clearProperty("convkit.data");
    }

    /** The seed CNN on 12x12x1 images: layers 0-6 are the convolutional base, 7-10 the old head. */
    private static MultiLayerNetwork pretrained() {
        return Models.seedCnn(12, 12, 1, 10);
    }

    private static DataSet batch(int classes) {
        INDArray x = Nd4j.rand(8, 1, 12, 12);
        INDArray y = Nd4j.zeros(8, classes);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % classes, 1);
        }
        return new DataSet(x, y);
    }

    @Test
    void frozenBaseStaysAsTrainedWhileTheNewHeadLearns() {
        MultiLayerNetwork base = pretrained();
        INDArray originalFirst = base.getLayer(0).params().dup();
        MultiLayerNetwork tuned = Transfer.from(base, 12, 12, 1).keepUpTo(6).freeze().head(5).learningRate(1e-2).build();
        assertEquals(7, Transfer.frozenLayers(tuned));
        assertArrayEquals(new long[] {8, 5}, tuned.output(batch(5).getFeatures()).shape());
        INDArray frozenBefore = tuned.getLayer(4).params().dup();
        INDArray headBefore = tuned.getLayer(7).params().dup();
        for (int i = 0; i < 3; i++) {
            tuned.fit(batch(5));
        }
        assertEquals(frozenBefore, tuned.getLayer(4).params(), "frozen conv layer unchanged");
        assertNotEquals(headBefore, tuned.getLayer(7).params(), "head trained");
        assertEquals(originalFirst, base.getLayer(0).params(), "the pretrained network is untouched");
        assertEquals(tuned.numParams() - Transfer.trainableParams(tuned),
                java.util.stream.IntStream.range(0, 7).mapToLong(i -> tuned.getLayer(i).numParams()).sum());
    }

    @Test
    void fineTuningWithoutFreezeChangesTheBaseAndKeepsItsWeightsAsStart() {
        MultiLayerNetwork base = pretrained();
        MultiLayerNetwork tuned = Transfer.from(base, 12, 12, 1).keepUpTo(6).head(5).build();
        assertEquals(0, Transfer.frozenLayers(tuned));
        assertEquals(base.getLayer(0).params(), tuned.getLayer(0).params(), "starts from the pretrained weights");
        tuned.fit(batch(5));
        assertNotEquals(base.getLayer(0).params(), tuned.getLayer(0).params());
    }

    @Test
    void aHeadWithGlobalPoolingNeedsNoFlatten() {
        MultiLayerNetwork tuned = Transfer.from(pretrained(), 12, 12, 1).keepUpTo("layer5").freezeUpTo(2)
                .head(new GlobalPoolingLayer.Builder(PoolingType.MAX).build(),
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
        assertEquals(3, Transfer.frozenLayers(tuned));
        assertEquals(64 * 3 + 3, tuned.getLayer(7).numParams(), "64 channels pooled into the 3-way softmax");
    }

    @Test
    void badCutsAndHeadsAreExplained() {
        MultiLayerNetwork base = pretrained();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Transfer.from(base, 12, 12, 1).keepUpTo(10))
                .getMessage().contains("up to 0..9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Transfer.from(base, 12, 12, 1).keepUpTo("block5_pool"))
                .getMessage().contains("no layer called 'block5_pool'"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Transfer.from(base, 12, 12, 1).build())
                .getMessage().contains("no head"));
    }

    @Test
    void weightsOfTheSameArchitectureLoadAndOthersAreRefusedByName() throws Exception {
        MultiLayerNetwork trained = pretrained();
        trained.fit(batch(10));
        Path file = folder.resolve("cnn.zip");
        ModelSerializer.writeModel(trained, file.toFile(), false);
        MultiLayerNetwork fresh = Models.seedCnn(12, 12, 1, 10);
        Transfer.loadWeights(fresh, file);
        assertEquals(trained.params(), fresh.params());

        MultiLayerNetwork other = Models.seedCnn(12, 12, 1, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transfer.loadWeights(other, file));
        assertTrue(e.getMessage().contains("layer 10") && e.getMessage().contains("[256, 10]")
                && e.getMessage().contains("[256, 5]"), e.getMessage());

        Path junk = folder.resolve("junk.zip");
        Files.writeString(junk, "not a network");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Transfer.loadWeights(fresh, junk))
                .getMessage().contains("is not a saved DL4J network"));
    }

    @Test
    void zooWeightsThatCannotBeReachedGiveAMessageWithTheFixAndLeaveNoFile() throws Exception {
        System.setProperty("convkit.data", folder.toString());
        System.setProperty("convkit.zoo.url", "http://127.0.0.1:9/");
        assertTrue(!Pretrained.cached("vgg16"));
        IllegalStateException e = assertThrows(IllegalStateException.class, Pretrained::vgg16);
        assertTrue(e.getMessage().contains("ImageNet weights for vgg16 are not available")
                && e.getMessage().contains("http://127.0.0.1:9/models/vgg16_dl4j_inference.zip")
                && e.getMessage().contains(Pretrained.file("vgg16").getParent().toString())
                && e.getMessage().contains(Pretrained.URL_VARIABLE), e.getMessage());
        try (var left = Files.list(Pretrained.file("vgg16").getParent())) {
            assertEquals(0, left.count(), "no partial file in the cache");
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pretrained.load("alexnet")).getMessage()
                .contains("vgg16 or resnet50"));
    }
}
