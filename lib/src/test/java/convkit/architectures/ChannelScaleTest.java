package convkit.architectures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class ChannelScaleTest {

    /** Two images, two channels of 2x2, and one weight per image and channel. */
    private static final double[][][][] MAPS = {
        {{{1, 2}, {3, 4}}, {{-1, 0}, {0.5, 2}}},
        {{{0, 1}, {1, 0}}, {{2, 2}, {2, 2}}}};
    private static final double[][] WEIGHTS = {{0.5, 2}, {-1, 0.25}};

    @Test
    void forwardMultipliesEachChannelByItsWeightAndBackwardFollowsTheProductRule() {
        var vertex = new ChannelScaleVertex(null, "scale", 0, DataType.DOUBLE);
        INDArray x = Nd4j.create(MAPS);
        INDArray s = Nd4j.create(WEIGHTS);
        vertex.setInputs(new INDArray[] {x, s});
        INDArray y = vertex.doForward(false, LayerWorkspaceMgr.noWorkspaces());
        INDArray error = Nd4j.linspace(DataType.DOUBLE, 1, 16, 1).reshape(2, 2, 2, 2);
        vertex.setEpsilon(error);
        INDArray[] gradients = vertex.doBackward(false, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        double[][] weightGradient = new double[2][2];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 2; c++) {
                for (int h = 0; h < 2; h++) {
                    for (int w = 0; w < 2; w++) {
                        double e = error.getDouble(n, c, h, w);
                        assertEquals(MAPS[n][c][h][w] * WEIGHTS[n][c], y.getDouble(n, c, h, w), 1e-12, "forward");
                        assertEquals(e * WEIGHTS[n][c], gradients[0].getDouble(n, c, h, w), 1e-12, "dL/dx");
                        weightGradient[n][c] += e * MAPS[n][c][h][w];
                    }
                }
            }
        }
        assertArrayEquals(weightGradient[0], gradients[1].getRow(0).toDoubleVector(), 1e-12, "dL/ds, image 0");
        assertArrayEquals(weightGradient[1], gradients[1].getRow(1).toDoubleVector(), 1e-12, "dL/ds, image 1");
        assertEquals(30.0, weightGradient[0][0], 1e-12, "errors 1, 2, 3, 4 times maps 1, 2, 3, 4");
    }

    @Test
    void squeezeAndExcitationPassesDl4jsGradientCheck() {
        ComputationGraph net = new ComputationGraph(tinySqueezeExcite());
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 5);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        for (int i = 0; i < 3; i++) {
            labels.putScalar(i, i, 1);
        }
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);   // the check refuses single precision
        try {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                    .inputs(new INDArray[] {x}).labels(new INDArray[] {labels})
                    .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)));
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void aSqueezeAndExcitationNetworkSavesAndLoads() throws Exception {
        ComputationGraph net = new ComputationGraph(tinySqueezeExcite());
        net.init();
        var file = java.nio.file.Files.createTempFile("se", ".zip").toFile();
        file.deleteOnExit();
        ModelSerializer.writeModel(net, file, false);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(file, false);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5);
        assertEquals(net.outputSingle(x), back.outputSingle(x));
    }

    @Test
    void dl4jsOwnVerticesCannotDoIt() {
        InputType maps = InputType.convolutional(2, 2, 2);
        InputType weights = InputType.feedForward(2);
        assertThrows(RuntimeException.class, () -> new ElementWiseVertex(ElementWiseVertex.Op.Product).getOutputType(-1, maps, weights));
    }

    @Test
    void badInputsSayWhatTheyShouldBe() {
        var wrongCount = assertThrows(RuntimeException.class,
                () -> new ChannelScale().getOutputType(-1, InputType.convolutional(4, 4, 8), InputType.feedForward(4)));
        assertEquals("ChannelScale: the maps have 8 channels but there are 4 weights: the excitation layer needs nOut = 8",
                wrongCount.getMessage());
        var swapped = assertThrows(RuntimeException.class,
                () -> new ChannelScale().getOutputType(-1, InputType.feedForward(8), InputType.convolutional(4, 4, 8)));
        assertTrue(swapped.getMessage().contains("connect the maps first, the weights second"), swapped.getMessage());
    }

    /** conv 3x3 (tanh) -> squeeze (global average) -> dense 2 -> dense 3 sigmoid -> scale -> global average -> softmax. */
    private static ComputationGraphConfiguration tinySqueezeExcite() {
        return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder()
                .addInputs("in")
                .addLayer("maps", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("squeeze", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "maps")
                .addLayer("reduce", new DenseLayer.Builder().nOut(2).activation(Activation.TANH).build(), "squeeze")
                .addLayer("excite", new DenseLayer.Builder().nOut(3).activation(Activation.SIGMOID).build(), "reduce")
                .addVertex("scale", new ChannelScale(), "maps", "excite")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "scale")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(5, 5, 2)).build();
    }
}
