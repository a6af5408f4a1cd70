package convkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.TempFiles;
import convkit.faults.Child;
import convkit.faults.SmallDisk;
import convkit.models.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saving checkpoints when things go wrong: a full disk, two kernels saving to the same file at once, a kernel killed
 * while saving, a mistyped lesson name, a read-only cache. The previous good checkpoint always survives whole.
 */
class CheckpointFaultsTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        System.clearProperty("convkit.data");
        System.clearProperty("convkit.mode");
        System.clearProperty("org.nd4j.tempdir");
    }

    /** A small MLP whose weights all equal {@code value}, so a loaded checkpoint shows which save it came from. */
    private static MultiLayerNetwork filled(int size, double value) {
        MultiLayerNetwork model = Models.mlp(size, size, 1, 3);
        model.params().assign(value);
        return model;
    }

    private static double weight(Path checkpoint) {
        INDArray params = Checkpoint.load(checkpoint).model().params();
        assertEquals(params.minNumber().doubleValue(), params.maxNumber().doubleValue(), 1e-9, "one whole save, not a mix");
        return params.getDouble(0);
    }

    private static List<Path> parts(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void aFullDiskFailsTheSaveWithTheReasonAndKeepsThePreviousCheckpoint() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), "1m")) {
            Path best = disk.folder().resolve("best.zip");
            Checkpoint.save(best, filled(4, 0.25), new History());
            Path filler = disk.fill("filler");
            var e = assertThrows(IllegalStateException.class, () -> Checkpoint.save(best, filled(4, 0.75), new History()));
            assertTrue(e.getMessage().contains("could not save the checkpoint " + best)
                    && e.getMessage().contains("the disk that holds " + disk.folder() + " is full")
                    && e.getMessage().contains("the previous checkpoint, if any, is unchanged"), e.getMessage());
            assertEquals(0.25, weight(best), 1e-9);
            assertEquals(List.of(), parts(disk.folder()), "no temporary file is left on the full disk");
            Files.delete(filler);
            Checkpoint.save(best, filled(4, 0.75), new History());
            assertEquals(0.75, weight(best), 1e-9, "with space again, saving works");
        }
    }

    @Test
    void twoWritersSavingToTheSameFileAtOnceLeaveOneWholeLoadableCheckpoint() throws Exception {
        Path best = dir.resolve("models/best.zip");
        double[] values = {0.125, 0.625};
        CyclicBarrier start = new CyclicBarrier(values.length);
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> writers = new ArrayList<>();
        for (double value : values) {
            MultiLayerNetwork model = filled(16, value);
            Thread writer = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < 5; round++) {
                        Checkpoint.save(best, model, new History());
                    }
                } catch (Exception | AssertionError e) {
                    errors.add(e);
                }
            });
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertEquals(List.of(), errors);
        double weight = weight(best);
        assertTrue(weight == values[0] || weight == values[1], "one writer's model: " + weight);
        assertEquals(List.of(), parts(best.getParent()));
    }

    @Test
    void savingLeavesNoModelCopyInTheTempFolder() throws Exception {
        Path temp = Files.createDirectories(dir.resolve("tmp"));
        System.setProperty("org.nd4j.tempdir", temp.toString());
        Checkpoint.save(dir.resolve("best.zip"), filled(4, 0.5), new History());
        assertEquals(0.5, weight(dir.resolve("best.zip")), 1e-9);
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(List.of(), left.toList(), "DL4J's addObjectToFile left a whole model here");
        }
    }

    /** The kernel that is killed: saves a 7 MB checkpoint over and over until {@code kill -9}. */
    static final class KilledWhileSaving {
        public static void main(String[] args) {
            MultiLayerNetwork model = filled(48, 0.5);
            for (int round = 0; ; round++) {
                Checkpoint.save(Path.of(args[0]), model, new History());
            }
        }
    }

    @Test
    void aKernelKilledWhileSavingLeavesTheLastCheckpointWholeAndItsTemporaryFilesAreRemoved() throws Exception {
        Path best = dir.resolve("models/best.zip");
        Child killed = Child.start(KilledWhileSaving.class, dir.resolve("killed.txt"), List.of("-Xmx512m"),
                best.toString());
        killed.awaitOrFail(() -> {
            try {
                return Files.exists(best) && !parts(best.getParent()).isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofMinutes(2));
        killed.kill();
        assertFalse(parts(best.getParent()).isEmpty(), "kill -9 while saving leaves a temporary file");
        assertEquals(0.5, weight(best), 1e-9, "the last finished checkpoint is whole");
        Checkpoint.save(dir.resolve("models/other.zip"), filled(4, 0.25), new History());
        assertEquals(List.of(), parts(best.getParent()), "the next save in the folder removed the killed kernel's files");
        assertEquals(List.of(), TempFiles.clean(best.getParent()));
    }

    @Test
    void aMistypedLessonNameIsRefusedWithTheLessonItProbablyMeans(@TempDir Path cache) {
        System.setProperty("convkit.data", cache.toString());
        System.setProperty("convkit.mode", "quick");
        for (String typo : new String[] {"06-galaxy-clasification", "galaxy-classification", "06-galaxy", "03-mlp-vs-cn"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.folder(typo), typo);
            assertTrue(e.getMessage().startsWith("there is no lesson \"" + typo + "\": did you mean \"0"), e.getMessage());
            assertTrue(e.getMessage().contains("The lessons are 00-setup, 01-convolution"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.folder("06-galaxy-clasification"));
        assertTrue(e.getMessage().contains("did you mean \"06-galaxy-classification\""), e.getMessage());
        assertFalse(Files.exists(cache.resolve("checkpoints")), "no folder was created for a typo");
        assertTrue(Files.isDirectory(Checkpoint.folder("my-experiments")), "a name of one's own is fine");
        assertTrue(Files.isDirectory(Checkpoint.folder("05-transfer-learning")));
    }

    @Test
    void aReadOnlyCacheGivesACheckpointFolderMessageNamingTheFix() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("readonly"), "1m")) {
            disk.readOnly();
            System.setProperty("convkit.data", disk.folder().toString());
            var e = assertThrows(java.io.UncheckedIOException.class, () -> Checkpoint.folder("03-mlp-vs-cnn"));
            assertTrue(e.getMessage().contains("is on a read-only file system")
                    && e.getMessage().contains("set CONVKIT_DATA to a writable folder"), e.getMessage());
        }
    }
}
