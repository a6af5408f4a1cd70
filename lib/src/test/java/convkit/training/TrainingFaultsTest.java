package convkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.DataFiles;
import convkit.data.ImageSet;
import convkit.evaluation.Evaluation;
import convkit.models.Transfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.CrashReportingUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/** Training's faults, as a learner or a careless script meets them: each a message saying what is wrong and what to do. */
class TrainingFaultsTest {

    private final ImageSet train = TinyTraining.TRAIN;
    private final ImageSet validation = TinyTraining.VALIDATION;

    @Test
    void aNullCheckpointIsRefusedAtOnce() {
        var e = assertThrows(IllegalArgumentException.class, () -> Training.of(TinyTraining.mlp()).checkpoint(null));
        assertTrue(e.getMessage().startsWith("checkpoint(path) was null: give the .zip file"), e.getMessage());
    }

    @Test
    void aCheckpointThatCannotBeWrittenIsReportedBeforeTheFirstEpoch(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("notes.txt"), "a file, not a folder");
        AtomicInteger begun = new AtomicInteger();
        MultiLayerNetwork net = TinyTraining.mlp();
        INDArray before = net.params().dup();
        var e = assertThrows(IllegalArgumentException.class, () -> Training.of(net).checkpoint(notAFolder.resolve("best.zip"))
                .callbacks(Callback.atEpochBegin(run -> begun.incrementAndGet())).fit(train, validation));
        assertTrue(e.getMessage().startsWith("cannot write the checkpoint " + notAFolder.resolve("best.zip")), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was trained; choose a file in a folder you can write"), e.getMessage());
        assertEquals(0, begun.get(), "no epoch started");
        assertEquals(before, net.params());

        var folder = assertThrows(IllegalArgumentException.class, () -> Training.of(TinyTraining.mlp()).checkpoint(dir).fit(train, validation));
        assertTrue(folder.getMessage().contains("it is a folder"), folder.getMessage());
    }

    /** Fails as DL4J does when a batch's activations do not fit in the memory bounds. */
    private static final class TooLargeBatches extends MultiLayerNetwork {
        TooLargeBatches(MultiLayerNetwork like) {
            super(like.getLayerWiseConfigurations().clone());
            init();
        }

        @Override
        public void fit(DataSet batch) {
            throw new RuntimeException("Error during neural network forward pass",
                    new OutOfMemoryError("Cannot allocate new FloatPointer(2000000000): totalBytes = 1G, physicalBytes = 2G"));
        }
    }

    @Test
    void aBatchTooLargeForTheMemorySaysToLowerTheBatchSize() {
        var e = assertThrows(IllegalStateException.class, () -> Training.of(new TooLargeBatches(TinyTraining.mlp())).batchSize(30).fit(train));
        assertTrue(e.getMessage().startsWith("a batch of 30 images does not fit in memory (bounds: "), e.getMessage());
        assertTrue(e.getMessage().contains("MiB of Java heap") && e.getMessage().contains("for the whole kernel, DL4J's arrays included"), e.getMessage());
        assertTrue(e.getMessage().contains("lower the batch size, e.g. .batchSize(15)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("DL4J said: Error during neural network forward pass"), e.getMessage());
        assertEquals(DataFiles.cacheFolder().resolve("crash-dumps").toFile().getAbsoluteFile(),
                CrashReportingUtil.getCrashDumpRootDirectory().getAbsoluteFile(),
                "DL4J's memory report goes to the cache, not to the notebooks' folder");
        assertTrue(Training.outOfMemory(new IllegalStateException("wrapped", new OutOfMemoryError("Java heap space"))));
        assertTrue(!Training.outOfMemory(new IllegalArgumentException("Invalid input: expected 3 columns")));
    }

    @Test
    void nullArgumentsAreExplained() {
        var training = assertThrows(IllegalArgumentException.class, () -> Training.of(null));
        assertTrue(training.getMessage().startsWith("Training.of(network) was null: build the network first"), training.getMessage());
        var evaluation = assertThrows(IllegalArgumentException.class, () -> Evaluation.of(null, validation));
        assertTrue(evaluation.getMessage().startsWith("Evaluation.of(network, ...) was null: pass a trained network"), evaluation.getMessage());
        var images = assertThrows(IllegalArgumentException.class, () -> Evaluation.of(TinyTraining.mlp(), (ImageSet) null));
        assertTrue(images.getMessage().startsWith("the images to evaluate on was null: pass an ImageSet"), images.getMessage());
        var load = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(null));
        assertTrue(load.getMessage().startsWith("Checkpoint.load(path) was null: give the .zip file"), load.getMessage());
        var transfer = assertThrows(IllegalArgumentException.class, () -> Transfer.from((MultiLayerNetwork) null, 4, 4, 1));
        assertTrue(transfer.getMessage().startsWith("the network to transfer from was null"), transfer.getMessage());
        var stopper = assertThrows(IllegalArgumentException.class, () -> Training.of(TinyTraining.mlp()).earlyStopping((EarlyStopping) null));
        assertTrue(stopper.getMessage().startsWith("earlyStopping(stopper) was null"), stopper.getMessage());
        var data = assertThrows(IllegalArgumentException.class, () -> Training.of(TinyTraining.mlp()).fit((ImageSet) null));
        assertTrue(data.getMessage().startsWith("training data was null: pass an ImageSet"), data.getMessage());
    }
}
