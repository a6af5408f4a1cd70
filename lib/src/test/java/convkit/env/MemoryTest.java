package convkit.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MemoryTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void freedArraysLeaveTheProcessWhenReleased() {
        Nd4j.create(DataType.FLOAT, 1);
        // 4,096 arrays of 64 KiB (below glibc's mmap threshold, so they come from its heap), then one more that stays:
        // it sits above the others, so freeing them leaves 256 MiB of free pages that glibc keeps and cannot trim.
        List<INDArray> arrays = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            arrays.add(Nd4j.ones(DataType.FLOAT, 16 * 1024));
        }
        INDArray kept = Nd4j.ones(DataType.FLOAT, 16 * 1024);
        arrays.forEach(INDArray::close);
        long before = Pointer.physicalBytes();
        assertTrue(Memory.release(), "glibc's malloc_trim ran");
        long after = Pointer.physicalBytes();
        assertTrue(before - after > 128L << 20, String.format("resident %d MiB before, %d MiB after", before >> 20, after >> 20));
        assertEquals(16 * 1024, kept.sumNumber().intValue(), "what is still referenced is untouched");
    }

    @Test
    void collectsOnlyWhenTheKernelHasGrownNearItsBound() {
        long mib = 1 << 20;
        assertTrue(Memory.shouldCollect(1200 * mib, 900 * mib, 1792 * mib), "above half and 300 MiB up since the last");
        assertTrue(!Memory.shouldCollect(1000 * mib, 900 * mib, 1792 * mib), "only 100 MiB up: not yet");
        assertTrue(!Memory.shouldCollect(800 * mib, 0, 1792 * mib), "below half of the bound");
        assertTrue(!Memory.shouldCollect(1200 * mib, 0, 0), "no bound: the collector's own rhythm");
    }
}
