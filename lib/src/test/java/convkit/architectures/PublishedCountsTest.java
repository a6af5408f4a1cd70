package convkit.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The published networks at their published input (224x224x3, 1000 classes), counted from the configuration (no weight
 * is allocated), against torchvision's parameter counts and its published multiply-adds (GFLOPS column of the
 * torchvision model table, which counts one multiply-add as one operation).
 */
class PublishedCountsTest {

    private static void published(Architecture net, long torchvisionParameters, double torchvisionGiga, long multiplyAdds) {
        assertEquals(torchvisionParameters, net.learnedParameters(), net.name() + " learned parameters");
        assertEquals(multiplyAdds, net.multiplyAdds(), net.name() + " multiply-adds");
        assertEquals(torchvisionGiga, net.multiplyAdds() / 1e9, 0.006 * torchvisionGiga + 0.005, net.name() + " against torchvision");
    }

    @Test
    void alexnet() {
        published(Architectures.alexnet(224, 3, 1000, 1.0), 61_100_840, 0.71, 714_188_480);
    }

    @Test
    void vgg() {
        published(Architectures.vgg(16, 224, 3, 1000, 1.0), 138_357_544, 15.47, 15_470_264_320L);
        published(Architectures.vgg(19, 224, 3, 1000, 1.0), 143_667_240, 19.63, 19_632_062_464L);
        assertEquals(132_863_336, Architectures.vgg(11, 224, 3, 1000, 1.0).learnedParameters());
    }

    @Test
    void googlenet() {
        published(Architectures.googlenet(224, 3, 1000, 1.0, 3), 6_624_904, 1.5, 1_498_376_192);
    }

    @Test
    void resnet() {
        published(Architectures.resnet(18, 224, 3, 1000, 1.0), 11_689_512, 1.81, 1_814_073_344);
        published(Architectures.resnet(50, 224, 3, 1000, 1.0), 25_557_032, 4.09, 4_089_184_256L);
        assertEquals(21_797_672, Architectures.resnet(34, 224, 3, 1000, 1.0).learnedParameters());
    }

    @Test
    void densenet() {
        published(Architectures.densenet(121, 224, 3, 1000, 1.0), 7_978_856, 2.83, 2_834_161_664L);
    }

    @Test
    void efficientnet() {
        published(Architectures.efficientnetB0(224, 3, 1000, 1.0), 5_288_548, 0.39, 385_814_752);
        assertEquals(7_794_184, Architectures.efficientnet(240, 3, 1000, 1.0, 1.1).learnedParameters(), "b1");
        assertEquals(9_109_994, Architectures.efficientnet(260, 3, 1000, 1.1, 1.2).learnedParameters(), "b2");
        assertEquals(12_233_232, Architectures.efficientnet(300, 3, 1000, 1.2, 1.4).learnedParameters(), "b3");
    }
}
