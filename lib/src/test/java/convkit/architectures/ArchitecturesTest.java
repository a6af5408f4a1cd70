package convkit.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.architectures.Blocks.Shortcut;
import convkit.layers.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;

class ArchitecturesTest {

    @Test
    void depthCountsTheLayersWithWeightsOnTheLongestPath() {
        assertEquals(5, Architectures.lenet5(28, 1, 10, 1.0).depth());
        assertEquals(8, Architectures.alexnet(224, 3, 1000, 1.0).depth());
        Architecture vgg16 = Architectures.vgg(16, 224, 3, 1000, 1.0);
        assertEquals(16, vgg16.depth());
        assertEquals(16, vgg16.weightLayers(), "VGG16: 13 convolutions + 3 dense layers");
        assertEquals(13, vgg16.convolutionLayers());
        assertEquals(3, vgg16.denseLayers());
        assertEquals(22, Architectures.googlenet(224, 3, 1000, 1.0).depth());
        assertEquals(18, Architectures.resnet(18, 224, 3, 1000, 1.0).depth());
        assertEquals(50, Architectures.resnet(50, 224, 3, 1000, 1.0).depth());
        assertEquals(121, Architectures.densenet(121, 224, 3, 1000, 1.0).depth());
        assertEquals(20, Architectures.deepStack(20, true, 28, 1, 10, 1.0).depth());
    }

    @Test
    void leNetAndThePaperGoogLeNet() {
        assertEquals(61_706, Architectures.lenet5(28, 1, 10, 1.0).learnedParameters());
        assertEquals(7_005_832, Architectures.googlenet(224, 3, 1000, 1.0).learnedParameters());
    }

    @Test
    void dl4jStoresBatchNormStatisticsAsParameters() {
        Architecture small = Architectures.resnet(18, 32, 1, 10, 0.125);
        ComputationGraph net = small.build();
        assertEquals(net.numParams(), small.parameters(), "counted from the configuration = allocated");
        assertEquals(small.parameters(), small.summary().totalParams(), "the kit's Summary agrees");
        long channelsNormalised = 0;
        for (var layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                channelsNormalised += layer.numParams() / 4;
            }
        }
        assertEquals(small.parameters() - 2 * channelsNormalised, small.learnedParameters());
    }

    @Test
    void smallVersionsRunOnTheirInput() {
        for (Architecture a : new Architecture[] {
            Architectures.lenet5(28, 1, 10, 0.5), Architectures.alexnet(64, 1, 10, 0.125), Architectures.vgg(11, 32, 1, 10, 0.125),
            Architectures.googlenet(32, 1, 10, 0.125), Architectures.resnet(18, 32, 1, 10, 0.125),
            Architectures.resnet(50, 32, 1, 10, 0.125), Architectures.densenet(121, 32, 1, 10, 0.25),
            Architectures.efficientnetB0(32, 1, 10, 0.25), Architectures.deepStack(8, false, 28, 1, 10, 0.5)}) {
            ComputationGraph net = a.build();
            var out = net.outputSingle(false, Nd4j.rand(2, 1, a.input().height(), a.input().width()));
            assertEquals(2, out.size(0), a.name());
            assertEquals(10, out.size(1), a.name());
            assertEquals(1.0, out.getRow(0).sumNumber().doubleValue(), 1e-4, a.name() + " softmax");
        }
    }

    @Test
    void widthScalesTheChannels() {
        assertEquals(Architectures.vgg(16, 32, 3, 10, 0.5).summary().rows().get(1).shape(), "32x32x32");
        assertEquals(8, Architectures.divisible(4), "EfficientNet keeps at least 8 channels");
        assertEquals(40, Architectures.divisible(40));
        assertEquals(24, Architectures.divisible(21.5));
    }

    @Test
    void aVanishingMapNamesTheLayerAndTheSmallestInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> Architectures.alexnet(32, 3, 10, 1.0));
        assertTrue(e.getMessage().contains("layer 'pool5'"), e.getMessage());
        assertTrue(e.getMessage().contains("1x1x256 map, smaller than its 3x3 window"), e.getMessage());
        assertTrue(e.getMessage().contains("The smallest input AlexNet takes is 63x63"), e.getMessage());
        var vgg = assertThrows(IllegalArgumentException.class, () -> Architectures.vgg(16, 28, 1, 10, 0.25));
        assertTrue(vgg.getMessage().contains("layer 'pool5'") && vgg.getMessage().contains("32x32"), vgg.getMessage());
        var dense = assertThrows(IllegalArgumentException.class, () -> Architectures.densenet(121, 28, 1, 10, 0.25));
        assertTrue(dense.getMessage().contains("transition3_pool"), dense.getMessage());
    }

    @Test
    void aDepthOutsideTheFamilyListsTheDepthsItHas() {
        var e = assertThrows(IllegalArgumentException.class, () -> Architectures.resnet(20, 224, 3, 1000, 1.0));
        assertEquals("ResNet has no depth 20: the family has [18, 34, 50, 101, 152] layers", e.getMessage());
        var v = assertThrows(IllegalArgumentException.class, () -> Architectures.vgg(17, 224, 3, 1000, 1.0));
        assertTrue(v.getMessage().contains("[11, 13, 16, 19]"), v.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> Architectures.deepStack(21, true, 28, 1, 10, 1.0));
        assertTrue(s.getMessage().contains("6n + 2"), s.getMessage());
        var w = assertThrows(IllegalArgumentException.class, () -> Architectures.resnet(18, 224, 3, 1000, 0));
        assertTrue(w.getMessage().contains("width"), w.getMessage());
    }

    @Test
    void anIdentityShortcutThatCannotMatchSaysToProject() {
        Blocks b = Blocks.start("test net", Shape.of(56, 56, 64));
        var e = assertThrows(IllegalArgumentException.class, () -> b.residual("layer2.0", b.input(), 128, 2, Shortcut.IDENTITY));
        assertEquals("test net: block 'layer2.0' turns 56x56x64 into 28x28x128, so its identity shortcut cannot be added"
                + " (y = F(x) + x needs equal shapes): use Shortcut.PROJECTION, a 1x1 convolution with stride 2 to 128 channels",
                e.getMessage());
        String ok = b.residual("layer2.0b", b.input(), 128, 2, Shortcut.PROJECTION);
        assertEquals(Shape.of(28, 28, 128), b.shape(ok));
    }

    @Test
    void blocksGrowAsTheirPapersSay() {
        Blocks b = Blocks.start("blocks", Shape.of(28, 28, 192));
        assertEquals(Shape.of(28, 28, 256), b.shape(b.inception("3a", b.input(), 64, 96, 128, 16, 32, 32)));
        assertEquals(Shape.of(28, 28, 192 + 6 * 32), b.shape(b.denseBlock("dense", b.input(), 6, 32)));
        assertEquals(Shape.of(14, 14, 96), b.shape(b.transition("transition", b.input())));
        assertEquals(Shape.of(14, 14, 40), b.shape(b.mbconv("mb", b.input(), 6 * 192, 5, 2, 40)));
        Blocks one = Blocks.start("one block", Shape.of(28, 28, 192));
        Architecture inception = one.end(one.inception("3a", one.input(), 64, 96, 128, 16, 32, 32));
        long byHand = 192 * 64 + 192 * 96 + 9 * 96 * 128 + 192 * 16 + 25 * 16 * 32 + 192 * 32 + 2L * (64 + 96 + 128 + 16 + 32 + 32);
        assertEquals(byHand, inception.learnedParameters(), "convolutions without bias, batch norm's scale and shift");
        assertEquals(28L * 28 * (192 * 64 + 192 * 96 + 9 * 96 * 128 + 192 * 16 + 25 * 16 * 32 + 192 * 32), inception.multiplyAdds());
    }

    @Test
    void aPlainStackHasTheSameLayersAsTheResidualOneButNoAdditions() {
        Architecture plain = Architectures.deepStack(20, false, 28, 1, 10, 1.0);
        Architecture residual = Architectures.deepStack(20, true, 28, 1, 10, 1.0);
        assertEquals(plain.depth(), residual.depth());
        // the two projections (1x1 conv + batch norm where the map shrinks) are the only extra weights
        assertEquals(16 * 32 + 2 * 32 + 32 * 64 + 2 * 64, residual.learnedParameters() - plain.learnedParameters());
        assertTrue(plain.configuration().getVertices().keySet().stream().noneMatch(n -> n.endsWith("_add")));
    }

    @Test
    void leNetTakesTheActivationToCompare() {
        var tanh = Architectures.lenet5(28, 1, 10, 1.0, Activation.TANH);
        assertTrue(tanh.summary().toString().contains("tanh"), tanh.summary().toString());
    }
}
