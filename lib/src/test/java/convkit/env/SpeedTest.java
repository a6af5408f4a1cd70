package convkit.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Which ND4J natives {@link Speed} picks, and that the tests run with oneDNN on as lessons do. */
class SpeedTest {

    @Test
    void avx2ProcessorGetsTheAvx2Build() {
        assertEquals("-onednn-avx2", Speed.nativesFor("linux-x86_64", Set.of("sse4_2", "avx2", "fma"), folder -> true));
    }

    @Test
    void olderProcessorGetsTheGenericBuild() {
        assertEquals("-onednn", Speed.nativesFor("linux-x86_64", Set.of("sse4_2", "avx"), folder -> true));
    }

    @Test
    void avx2ProcessorFallsBackToTheGenericBuildWhenTheAvx2OneIsMissing() {
        assertEquals("-onednn", Speed.nativesFor("linux-x86_64", Set.of("avx2"), "linux-x86_64-onednn"::equals));
    }

    @Test
    void platformWithoutOneDnnBuildsKeepsTheDefault() {
        assertNull(Speed.nativesFor("macosx-arm64", Set.of(), folder -> folder.equals("linux-x86_64-onednn")));
    }

    @Test
    void linuxRunsOnOneDnnWithHelpersEnabled() {
        Assumptions.assumeTrue(Loader.getPlatform().equals("linux-x86_64"), "oneDNN natives are on the classpath for linux-x86_64 only");
        assertTrue(Speed.oneDnnActive(), Speed.describe());
        assertTrue(Speed.natives().startsWith("linux-x86_64-onednn"), Speed.natives());
        assertEquals("false", System.getProperty(Speed.HELPERS_PROPERTY));
        assertTrue(Backend.current().details().get("oneDNN").startsWith("on: natives linux-x86_64-onednn"));
    }

    @Test
    void dl4jsOwnOneDnnCheckPasses() {
        Assumptions.assumeTrue(Loader.getPlatform().equals("linux-x86_64"), "oneDNN natives are on the classpath for linux-x86_64 only");
        assertTrue(org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled());
    }
}
