package convkit.galaxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import static convkit.models.SequentialTest.assertSameNetwork;

import convkit.models.RawDl4j;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class GalaxyModelsTest {

    @Test
    void parameterCountsAreTheSeedsKerasCounts() {
        assertEquals(140_707, GalaxyModels.practice1(50).numParams());
        assertEquals(173_731, GalaxyModels.practice2(50).numParams());
        assertEquals(321_827, GalaxyModels.practice3(50).numParams());
        assertEquals(17_572_099, GalaxyModels.practice4(50, 1).numParams());
        assertEquals(17_578_435, GalaxyModels.practice5(50, 1).numParams());
    }

    @Test
    void theLayerListsHaveTheWeightsDl4jsOwnBuildersGive() {
        assertSameNetwork(RawDl4j.galaxyTutorial(), GalaxyModels.tutorial(50));
        assertSameNetwork(RawDl4j.practice(1), GalaxyModels.practice1(50));
        assertSameNetwork(RawDl4j.practice(2), GalaxyModels.practice2(50));
        assertSameNetwork(RawDl4j.practice(3), GalaxyModels.practice3(50));
        assertSameNetwork(RawDl4j.vggLike(50, 8, false), GalaxyModels.practice4(50, 8));
        assertSameNetwork(RawDl4j.vggLike(50, 8, true), GalaxyModels.practice5(50, 8));
        assertSameNetwork(RawDl4j.vgg16At50(8), GalaxyModels.vgg16Transfer(50, 8));
    }

    @Test
    void theVgg16RecipeAt224IsTheSeedsAllTrainableNetwork() {
        // Counted from the configuration, so no 500 MB network is allocated.
        var conf = GalaxyModels.vgg16Layers(224, 1).configuration();
        assertEquals(127_971_139, parameters(conf));
        var types = conf.getLayerActivationTypes(InputType.convolutional(224, 224, 3));
        assertEquals("InputTypeConvolutional(h=7,w=7,c=512,NCHW)", types.get(types.size() - 5).toString(),
                "five poolings: the head reads 7x7x512 = 25,088 numbers");
    }

    @Test
    void at50PixelsTheVgg16HeadStillReadsAGridNotOneNumberPerChannel() {
        var conf = GalaxyModels.vgg16Layers(50, 4).configuration();
        var types = conf.getLayerActivationTypes(InputType.convolutional(50, 50, 3));
        assertEquals("InputTypeConvolutional(h=6,w=6,c=128,NCHW)", types.get(types.size() - 5).toString(),
                "50 -> 25 -> 12 -> 6, the last two poolings skipped");
        assertEquals(parameters(conf), GalaxyModels.vgg16Transfer(50, 4).numParams());
        assertEquals(6L * 6 * 128 * 1024 + 1024, conf.getConf(conf.getConfs().size() - 4).getLayer().initializer()
                .numParams(conf.getConf(conf.getConfs().size() - 4)), "Flatten(4,608) -> Dense 1024");
    }

    private static long parameters(MultiLayerConfiguration conf) {
        long total = 0;
        for (var layer : conf.getConfs()) {
            total += layer.getLayer().initializer().numParams(layer);
        }
        return total;
    }

    @Test
    void tutorialModelAndReducedWidthsProduceThreeProbabilities() {
        var out = GalaxyModels.tutorial(50).output(Nd4j.rand(2, 3, 50, 50));
        assertArrayEquals(new long[] {2, 3}, out.shape());
        assertEquals(2.0, out.sumNumber().doubleValue(), 1e-4);
        assertArrayEquals(new long[] {1, 3}, GalaxyModels.practice5(50, 8).output(Nd4j.rand(1, 3, 50, 50)).shape());
    }
}
