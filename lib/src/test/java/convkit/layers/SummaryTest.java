package convkit.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import convkit.models.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

class SummaryTest {

    @Test
    void theSeedCnnLayerForLayer() {
        MultiLayerNetwork cnn = Models.seedCnn(28, 28, 1, 10);
        Summary summary = Summary.of(cnn, Shape.of(28, 28, 1));
        List<String> shapes = summary.rows().stream().map(Summary.Row::shape).toList();
        assertEquals(List.of("28x28x1", "28x28x32", "28x28x32", "14x14x32", "14x14x32", "14x14x64", "14x14x64",
                "7x7x64", "3136", "256", "256", "256", "10"), shapes);
        assertEquals(cnn.numParams(), summary.totalParams());
        assertEquals(936_426, summary.totalParams());
        assertEquals(320, summary.rows().get(1).params());
        assertEquals("5x5", summary.rows().get(2).receptiveField());
        assertEquals("6x6", summary.rows().get(3).receptiveField());
        assertEquals("all", summary.rows().get(9).receptiveField());
    }

    @Test
    void aSingleLayerAgreesWithDl4jOnRandomGeometry() {
        Random random = new Random(7);
        int agreedErrors = 0;
        for (int trial = 0; trial < 400; trial++) {
            int in = 1 + random.nextInt(12);
            int k = 1 + random.nextInt(5);
            int s = 1 + random.nextInt(3);
            int p = random.nextInt(3);
            int d = 1 + random.nextInt(2);
            ConvolutionMode mode = List.of(ConvolutionMode.Strict, ConvolutionMode.Truncate, ConvolutionMode.Same).get(random.nextInt(3));
            boolean pool = random.nextBoolean();
            Padding padding = mode == ConvolutionMode.Same ? Padding.SAME : mode == ConvolutionMode.Strict ? Padding.STRICT : Padding.VALID;
            String what = (pool ? "pool" : "conv") + " in=" + in + " k=" + k + " s=" + s + " p=" + p + " d=" + d + " " + mode;
            if (mode == ConvolutionMode.Same && d > 1 && ConvMath.effectiveKernel(k, d) > in + 2 * p) {
                continue;      // DL4J refuses a dilated kernel wider than the input even in Same mode; Keras does not
            }
            if (mode != ConvolutionMode.Same && (pool ? k : ConvMath.effectiveKernel(k, d)) > in + 2 * p) {
                // DL4J's configuration reports 0, -1 or even 1 here (Java's division rounds -1/2 to 0) and only its
                // convolution refuses at run time; ConvMath refuses at once
                int fixedIn = in;
                int fixedK = k;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ConvMath.size("", fixedIn, fixedK, s, p, pool ? 1 : d, padding), what);
                assertEquals(true, e.getMessage().contains("is larger than the padded input"), e.getMessage());
                agreedErrors++;
                continue;
            }
            Integer ours;
            try {
                ours = ConvMath.size("", in, k, s, p, pool ? 1 : d, padding);
            } catch (IllegalArgumentException e) {
                ours = null;
            }
            Long theirs;
            try {
                Layer layer = pool
                        ? new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(k, k).stride(s, s).padding(p, p).build()
                        : new ConvolutionLayer.Builder(k, k).stride(s, s).padding(p, p).dilation(d, d).nOut(2).build();
                MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().convolutionMode(mode).list()
                        .layer(layer).setInputType(InputType.convolutional(in, in, 1)).build();
                theirs = ((InputType.InputTypeConvolutional) conf.getLayerActivationTypes(InputType.convolutional(in, in, 1)).get(0)).getHeight();
            } catch (RuntimeException e) {
                theirs = null;
            }
            assertEquals(theirs == null, ours == null, what + ": DL4J says " + theirs + ", ConvMath says " + ours);
            if (ours != null) {
                assertEquals((long) theirs, (long) ours, what);
            } else {
                agreedErrors++;
            }
        }
        assertEquals(true, agreedErrors > 20, "the random geometry should include invalid cases, had " + agreedErrors);
    }

    @Test
    void randomNetworksAgreeWithDl4jShapesAndParameters() {
        Random random = new Random(11);
        int checked = 0;
        for (int trial = 0; trial < 150; trial++) {
            int h = 8 + random.nextInt(30);
            int w = 8 + random.nextInt(30);
            int c = 1 + random.nextInt(3);
            ConvolutionMode mode = List.of(ConvolutionMode.Same, ConvolutionMode.Truncate).get(random.nextInt(2));
            NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().convolutionMode(mode).list();
            int layers = 1 + random.nextInt(5);
            for (int i = 0; i < layers; i++) {
                list.layer(randomLayer(random));
            }
            if (random.nextBoolean()) {
                list.layer(new GlobalPoolingLayer(PoolingType.AVG));
            }
            list.layer(new DenseLayer.Builder().nOut(1 + random.nextInt(20)).hasBias(random.nextBoolean()).build());
            list.layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build());
            InputType input = InputType.convolutional(h, w, c);
            MultiLayerConfiguration conf;
            try {
                conf = list.setInputType(input).build();
            } catch (RuntimeException e) {
                continue;      // DL4J rejects the geometry; the single-layer test covers rejections
            }
            List<InputType> expected = conf.getLayerActivationTypes(input);
            Summary summary;
            try {
                summary = Summary.of(conf, input);
            } catch (IllegalArgumentException e) {
                // DL4J's configuration accepts a window wider than its input (see the single-layer test)
                assertEquals(true, e.getMessage().contains("is larger than the padded input"), e.getMessage());
                continue;
            }
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            List<Summary.Row> layerRows = summary.rows().stream()
                    .filter(r -> !r.kind().equals("Input") && !r.kind().equals("Flatten")).toList();
            assertEquals(expected.size(), layerRows.size(), conf.toString());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(Summary.describe(expected.get(i)), layerRows.get(i).shape(), "layer " + i + " of\n" + summary);
                assertEquals(net.getLayer(i).numParams(), layerRows.get(i).params(), "layer " + i + " of\n" + summary);
            }
            assertEquals(net.numParams(), summary.totalParams());
            checked++;
        }
        assertEquals(true, checked > 50, "only " + checked + " random networks were valid");
    }

    private static Layer randomLayer(Random random) {
        int k = 1 + random.nextInt(4);
        int s = 1 + random.nextInt(2);
        int p = random.nextInt(2);
        int n = 1 + random.nextInt(6);
        return switch (random.nextInt(7)) {
            case 0, 1 -> new ConvolutionLayer.Builder(k, k).stride(s, s).padding(p, p).dilation(1 + random.nextInt(2), 1)
                    .nOut(n).hasBias(random.nextBoolean()).activation(Activation.RELU).build();
            case 2 -> new SubsamplingLayer.Builder(random.nextBoolean() ? PoolingType.MAX : PoolingType.AVG)
                    .kernelSize(1 + random.nextInt(3), 1 + random.nextInt(3)).stride(s, 1 + random.nextInt(2)).build();
            case 3 -> new DepthwiseConvolution2D.Builder(k, k).stride(s, s).depthMultiplier(1 + random.nextInt(2))
                    .hasBias(random.nextBoolean()).build();
            case 4 -> new SeparableConvolution2D.Builder(k, k).stride(s, s).depthMultiplier(1 + random.nextInt(2)).nOut(n)
                    .hasBias(random.nextBoolean()).build();
            case 5 -> new BatchNormalization.Builder().lockGammaBeta(random.nextInt(4) == 0).build();
            default -> new DropoutLayer.Builder(0.5).build();
        };
    }

    @Test
    void aGraphWithTwoBranchesAgreesWithDl4j() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("image")
                .addLayer("1x1", new ConvolutionLayer.Builder(1, 1).nOut(8).build(), "image")
                .addLayer("3x3", new ConvolutionLayer.Builder(3, 3).nOut(16).build(), "1x1")
                .addLayer("5x5", new ConvolutionLayer.Builder(5, 5).nOut(4).build(), "image")
                .addVertex("concat", new MergeVertex(), "3x3", "5x5")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "concat")
                .addLayer("out", new OutputLayer.Builder().nOut(5).activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(16, 16, 3))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Summary summary = Summary.of(graph, Shape.of(16, 16, 3));
        Map<String, InputType> expected = conf.getLayerActivationTypes(InputType.convolutional(16, 16, 3));
        for (Summary.Row row : summary.rows()) {
            if (!row.name().isEmpty()) {
                assertEquals(Summary.describe(expected.get(row.name())), row.shape(), row.name());
            }
        }
        assertEquals(graph.numParams(), summary.totalParams());
        Summary.Row concat = summary.rows().stream().filter(r -> r.name().equals("concat")).findFirst().orElseThrow();
        assertEquals("16x16x20", concat.shape());
        assertEquals("5x5", concat.receptiveField());
        assertThrows(IllegalArgumentException.class, () -> Summary.of(graph, Shape.of(16, 16, 3), Shape.of(1, 1, 1)));
    }

    @Test
    void truncationIsNotedNotHidden() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .setInputType(InputType.convolutional(7, 7, 1)).build();
        Summary.Row pool = Summary.of(conf, InputType.convolutional(7, 7, 1)).rows().get(1);
        assertEquals("3x3x1", pool.shape());
        assertEquals("drops the last 1 row(s), 1 column(s)", pool.note());
        List<String> text = new ArrayList<>(List.of(Summary.of(conf, InputType.convolutional(7, 7, 1)).toString().split("\n")));
        assertEquals("Total parameters: 0", text.get(text.size() - 1));
    }
}
