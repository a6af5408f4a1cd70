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
        assertEquals((64 + 1) * 256, tuned.getLayer(9).numParams(), "seed 003's head: max pooling, dropout, Dense 256");
        INDArray frozenBefore = tuned.getLayer(4).params().dup();
        INDArray headBefore = tuned.getLayer(9).params().dup();
        for (int i = 0; i < 3; i++) {
            tuned.fit(batch(5));
        }
        assertEquals(frozenBefore, tuned.getLayer(4).params(), "frozen conv layer unchanged");
        assertNotEquals(headBefore, tuned.getLayer(9).params(), "head trained");
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
    void flattenKeepsWhereFeaturesAreAndTrains() {
        MultiLayerNetwork tuned = Transfer.from(pretrained(), 12, 12, 1).keepUpTo(6).freeze().flatten().head(5).build();
        assertEquals((3L * 3 * 64 + 1) * 256, tuned.getLayer(8).numParams(), "Dense 256 on the flattened 3x3x64 maps");
        tuned.fit(batch(5));
        assertArrayEquals(new long[] {8, 5}, tuned.output(batch(5).getFeatures()).shape());
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

    @Test
    void aGraphIsCutAtANamedVertexFrozenAndGivenTheSeedsHead() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("input")
                .addLayer("block1_conv", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(4)
                        .activation(Activation.RELU).build(), "input")
                .addLayer("block1_pool", new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder().kernelSize(2, 2)
                        .stride(2, 2).build(), "block1_conv")
                .addLayer("fc1", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(7).build(), "block1_pool")
                .addLayer("predictions", new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX).build(), "fc1")
                .setOutputs("predictions")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(12, 12, 1))
                .build();
        var graph = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        graph.init();
        var tuned = Transfer.from(graph, 12, 12, 1).keepUpTo("block1_pool").freeze().head(3).build();
        assertTrue(tuned.getConfiguration().getVertices().containsKey("output"));
        assertTrue(!tuned.getConfiguration().getVertices().containsKey("fc1"), "old head removed");
        INDArray conv = tuned.getLayer("block1_conv").params().dup();
        INDArray x = Nd4j.rand(4, 1, 12, 12);
        INDArray y = Nd4j.zeros(4, 3);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % 3, 1);
        }
        tuned.fit(new DataSet(x, y));
        assertEquals(conv, tuned.getLayer("block1_conv").params(), "frozen");
        assertArrayEquals(new long[] {4, 3}, tuned.outputSingle(x).shape());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Transfer.from(graph, 12, 12, 1).keepUpTo("block5_pool"))
                .getMessage().contains("no vertex called 'block5_pool'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Transfer.from(graph, 12, 12, 1).keepUpTo(2))
                .getMessage().startsWith("keepUpTo(layer) counts the layers of a MultiLayerNetwork; a ComputationGraph is cut at a"
                        + " named vertex: use keepUpTo(\"block5_pool\")"));
        assertEquals(2, Transfer.frozenLayers(tuned), "one entry point for both kinds: the graph's conv and pooling vertices");

        // a head of one's own on a graph, flattened like Keras' Flatten() in front of the dense layer
        var own = Transfer.from(graph, 12, 12, 1).keepUpTo("block1_pool").freeze().head(
                new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(),
                new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build()).build();
        assertArrayEquals(new long[] {4, 3}, own.outputSingle(x).shape());
        assertEquals(tuned.getLayer("block1_conv").numParams() + 5 * 5 * 4 * 8 + 8 + 8 * 3 + 3, own.numParams());
    }
}
