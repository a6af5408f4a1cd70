package convkit.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The kernel launcher's backend decision, on recorded nvidia-smi answers. */
class BackendChoiceTest {

    @Test
    void noNvidiaSmiMeansCpu() {
        BackendChoice c = BackendChoice.decide("auto", true, null);
        assertFalse(c.gpu());
        assertEquals("no NVIDIA GPU found (nvidia-smi absent or silent); using CPU", c.reason());
    }

    @Test
    void ampereRunsOnGpuWhenTheGpuJarsAreThere() {
        BackendChoice c = BackendChoice.decide("auto", true, "NVIDIA GeForce RTX 3090, 8.6\n");
        assertTrue(c.gpu());
        assertEquals("NVIDIA GeForce RTX 3090", c.device());
    }

    @Test
    void adaRunsOnGpu() {
        assertTrue(BackendChoice.decide("", true, "NVIDIA L4, 8.9").gpu());
    }

    @Test
    void usableGpuWithoutGpuJarsSaysHowToGetThem() {
        BackendChoice c = BackendChoice.decide("auto", false, "NVIDIA GeForce RTX 3090, 8.6");
        assertFalse(c.gpu());
        assertTrue(c.reason().contains("make setup GPU=1"), c.reason());
    }

    @Test
    void hopperFallsBackToCpuWithTheReason() {
        BackendChoice c = BackendChoice.decide("auto", true, "NVIDIA H100 80GB HBM3, 9.0");
        assertFalse(c.gpu());
        assertEquals("NVIDIA H100 80GB HBM3 has compute capability 9.0, newer than DL4J 1.0.0-M2.1 supports"
                + " (3.7 to 8.9); using CPU", c.reason());
    }

    @Test
    void keplerBelow37IsTooOld() {
        BackendChoice c = BackendChoice.decide("auto", true, "Tesla K10, 3.0");
        assertFalse(c.gpu());
        assertTrue(c.reason().contains("older than"), c.reason());
    }

    @Test
    void malformedAnswerMeansCpu() {
        BackendChoice c = BackendChoice.decide("auto", true, "Failed to initialize NVML: Driver/library version mismatch");
        assertFalse(c.gpu());
        assertTrue(c.reason().startsWith("could not read nvidia-smi's answer (Failed to initialize NVML"), c.reason());
    }

    @Test
    void secondGpuIsUsedWhenTheFirstIsTooNew() {
        BackendChoice c = BackendChoice.decide("auto", true, "NVIDIA H100 80GB HBM3, 9.0\nNVIDIA A100-SXM4-40GB, 8.0");
        assertTrue(c.gpu());
        assertEquals("NVIDIA A100-SXM4-40GB", c.device());
    }

    @Test
    void cpuOverrideWins() {
        BackendChoice c = BackendChoice.decide("CPU", true, "NVIDIA GeForce RTX 3090, 8.6");
        assertFalse(c.gpu());
        assertEquals("CPU chosen by CONVKIT_BACKEND=cpu", c.reason());
    }

    @Test
    void gpuOverrideOnUnsupportedMachineIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendChoice.decide("gpu", true, "NVIDIA H100 80GB HBM3, 9.0"));
        assertTrue(e.getMessage().startsWith("CONVKIT_BACKEND=gpu but NVIDIA H100 80GB HBM3 has compute capability 9.0"),
                e.getMessage());
    }

    @Test
    void unknownOverrideListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendChoice.decide("tpu", false, null));
        assertEquals("CONVKIT_BACKEND=tpu is not a backend: use auto, cpu or gpu", e.getMessage());
    }
}
