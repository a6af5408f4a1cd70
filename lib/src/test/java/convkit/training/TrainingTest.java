package convkit.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.data.TinyData;
import convkit.evaluation.Evaluation;
import convkit.models.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

class TrainingTest {

    private final ImageSet train = TinyData.rows("train", 90, 1);
    private final ImageSet validation = TinyData.rows("validation", 30, 2);

    private static MultiLayerNetwork tiny() {
        return Models.mlp(4, 4, 1, 3, new Adam(0.01));
    }

    /** A model whose weights never move (learning rate 0): every epoch scores the same. */
    private static MultiLayerNetwork frozen() {
        return Models.mlp(4, 4, 1, 3, new Sgd(0));
    }

    @Test
    void lossDecreasesAndTheHistoryHasOneValuePerEpoch() {
        History h = Training.of(tiny()).epochs(4).batchSize(30).fit(train, validation);
        assertEquals(4, h.epochs());
        double[] loss = h.get("loss");
        assertTrue(loss[3] < loss[0], Arrays.toString(loss));
        assertTrue(h.last("val_accuracy") > 0.9, h.toString());
        assertEquals(4, h.get("images_per_second").length);
        assertTrue(h.hasValidation());
    }

    @Test
    void trainingAccuracyCountsTheBatchesAsTrained() {
        MultiLayerNetwork model = frozen();
        History h = Training.of(model).epochs(1).batchSize(30).fit(train);
        assertEquals(Evaluation.of(model, train).accuracy(), h.last("accuracy"), 1e-9);
        assertTrue(Double.isNaN(h.last("val_loss")));
    }

    @Test
    void earlyStoppingStopsWhenValidationLossStopsImproving() {
        History h = Training.of(frozen()).epochs(10).batchSize(45).earlyStopping("val_loss", 2).fit(train, validation);
        assertEquals(3, h.epochs(), "epoch 1 is best, epochs 2 and 3 do not improve");
        assertEquals(3, h.stoppedEpoch());
        assertTrue(h.stoppedEarly());
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        MultiLayerNetwork model = Models.mlp(4, 4, 1, 3, new Adam(0.05));
        History h = Training.of(model).epochs(6).batchSize(30).earlyStopping("val_loss", 2).fit(train, validation);
        double best = Arrays.stream(h.get("val_loss")).min().orElseThrow();
        assertEquals(best, Evaluation.of(model, validation).loss(), 1e-5);
    }

    @Test
    void checkpointHoldsTheBestEpoch(@TempDir Path dir) {
        Path file = dir.resolve("best.zip");
        History h = Training.of(Models.mlp(4, 4, 1, 3, new Adam(0.05))).epochs(5).batchSize(30)
                .checkpoint(file, "val_loss").fit(train, validation);
        Checkpoint saved = Checkpoint.load(file);
        int best = h.bestEpoch("val_loss");
        assertEquals(best, saved.epoch());
        assertEquals(h.get("val_loss")[best - 1], Evaluation.of(saved.model(), validation).loss(), 1e-5);
        assertArrayEquals(Arrays.copyOf(h.get("val_loss"), best), saved.history().get("val_loss"));

        MultiLayerNetwork weightsOnly = (MultiLayerNetwork) Checkpoint.loadModel(file);
        assertEquals(saved.model().params(), weightsOnly.params(), "loadModel reads the same weights");
        assertEquals(h.get("val_loss")[best - 1], Evaluation.of(weightsOnly, validation).loss(), 1e-5);
        assertTrue(((MultiLayerNetwork) saved.model()).getUpdater(false).getStateViewArray().sumNumber().doubleValue() != 0,
                "load brings Adam's state");
        assertNull(weightsOnly.getUpdater(false), "loadModel leaves the optimizer's state out");
    }

    /** Fails while writing its weights, like a full disk or an interrupted save. */
    private static final class FailingSave extends MultiLayerNetwork {
        private boolean failing;

        FailingSave(MultiLayerNetwork like) {
            super(like.getLayerWiseConfigurations().clone());
            init();
            failing = true;
        }

        @Override
        public INDArray params() {
            if (failing) {
                throw new IllegalStateException("disk full");
            }
            return super.params();
        }
    }

    @Test
    void aFailedSaveLeavesTheGoodCheckpointInPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("best.zip");
        MultiLayerNetwork good = tiny();
        History h = Training.of(good).epochs(1).batchSize(45).fit(train);
        Checkpoint.save(file, good, h);
        var e = assertThrows(IllegalStateException.class, () -> Checkpoint.save(file, new FailingSave(good), h));
        assertTrue(e.getMessage().contains("unchanged"), e.getMessage());
        assertEquals(good.params(), Checkpoint.load(file).model().params());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void resumeContinuesTheEpochCount(@TempDir Path dir) {
        Path file = dir.resolve("last.zip");
        Training.of(tiny()).epochs(3).batchSize(45).checkpoint(file, "loss").fit(train);
        Checkpoint saved = Checkpoint.load(file);
        MultiLayerNetwork model = tiny();
        History h = Training.of(model).resume(file).epochs(5).batchSize(45).fit(train);
        assertEquals(5, h.epochs());
        assertArrayEquals(saved.history().get("loss"), Arrays.copyOf(h.get("loss"), saved.epoch()));
        assertEquals(5 - saved.epoch(), model.getEpochCount() - ((MultiLayerNetwork) saved.model()).getEpochCount());
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        MultiLayerNetwork a = tiny();
        MultiLayerNetwork b = tiny();
        MultiLayerNetwork c = tiny();
        Training.of(a).epochs(2).batchSize(30).seed(7).fit(train);
        Training.of(b).epochs(2).batchSize(30).seed(7).fit(train);
        Training.of(c).epochs(2).batchSize(30).seed(8).fit(train);
        assertEquals(a.params(), b.params());
        assertNotEquals(a.params(), c.params(), "another seed shuffles differently");
    }

    @Test
    void emptyOrMismatchedDataIsExplained() {
        ImageSet empty = new ImageSet("nothing", Nd4j.create(DataType.FLOAT, 0, 1, 4, 4), Nd4j.create(DataType.FLOAT, 0, 3),
                List.of("a", "b", "c"));
        var e1 = assertThrows(IllegalArgumentException.class, () -> Training.of(tiny()).fit(empty));
        assertTrue(e1.getMessage().contains("no images"), e1.getMessage());

        ImageSet bigger = new ImageSet("5x5", Nd4j.rand(DataType.FLOAT, 6, 1, 5, 5), train.labels().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)), train.classes());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Training.of(tiny()).fit(bigger));
        assertTrue(e2.getMessage().contains("[1, 5, 5]"), e2.getMessage());

        var e3 = assertThrows(IllegalArgumentException.class, () -> Training.of(Models.mlp(4, 4, 1, 5)).fit(train));
        assertTrue(e3.getMessage().contains("5 classes") && e3.getMessage().contains("3"), e3.getMessage());

        var e4 = assertThrows(IllegalArgumentException.class, () -> Training.of(tiny()).fit(train, bigger));
        assertTrue(e4.getMessage().contains("validation"), e4.getMessage());

        var e5 = assertThrows(IllegalArgumentException.class, () -> Training.of(tiny()).earlyStopping("val_loss", 2).fit(train));
        assertTrue(e5.getMessage().contains("needs validation data"), e5.getMessage());
    }
}
