package convkit.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.data.TinyData;
import convkit.evaluation.Evaluation;
import convkit.galaxy.Galaxies;
import convkit.models.Models;
import convkit.models.TinyGraphs;
import convkit.models.Transfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/** Training, checkpoints and resuming for a {@link ComputationGraph}, the kind of network DL4J's model zoo gives. */
class GraphTrainingTest {

    private final ImageSet train = TinyData.rows("train", 90, 1);
    private final ImageSet validation = TinyData.rows("validation", 30, 2);

    @AfterEach
    void forgetCache() {
        System.clearProperty("convkit.data");
    }

    private static ComputationGraph tiny() {
        return TinyGraphs.rows(new Adam(0.01));
    }

    @Test
    void aGraphTrainsLikeAMultiLayerNetwork() {
        History h = Training.of(tiny()).epochs(4).batchSize(30).fit(train, validation);
        assertEquals(4, h.epochs());
        double[] loss = h.get("loss");
        assertTrue(loss[3] < loss[0], Arrays.toString(loss));
        assertTrue(h.last("val_accuracy") > 0.9, h.toString());
    }

    @Test
    void trainingAccuracyIsCountedFromTheGraphsOwnForwardPass() {
        ComputationGraph graph = tiny();
        var ds = train.first(30).toDataSet();
        int expected = BatchAccuracy.matches(graph.outputSingle(false, ds.getFeatures()), ds.getLabels());
        BatchAccuracy accuracy = new BatchAccuracy();
        graph.setListeners(accuracy);
        accuracy.expect(ds.getLabels());
        graph.fit(ds);
        assertEquals(expected, accuracy.correct(), "counted before the update, with no second forward pass");

        ComputationGraph still = TinyGraphs.rows(new Sgd(0));
        History h = Training.of(still).epochs(1).batchSize(30).fit(train);
        assertEquals(Evaluation.of(still, train).accuracy(), h.last("accuracy"), 1e-9);
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        ImageSet misleading = new ImageSet("classes rotated", validation.images(),
                Nd4j.concat(1, validation.labels().getColumns(1, 2), validation.labels().getColumn(0, true)), validation.classes());
        ComputationGraph graph = TinyGraphs.rows(new Adam(0.05));
        History h = Training.of(graph).epochs(8).batchSize(30).earlyStopping("val_loss", 2).fit(train, misleading);
        assertTrue(h.stoppedEarly() && h.restoredEpoch() < h.epochs(), h.toString());
        double best = Arrays.stream(h.get("val_loss")).min().orElseThrow();
        assertEquals(h.get("val_loss")[h.restoredEpoch() - 1], best);
        assertEquals(best, Evaluation.of(graph, misleading).loss(), 1e-5);
    }

    @Test
    void aCheckpointGivesBackTheSameGraph(@TempDir Path dir) throws Exception {
        ComputationGraph graph = tiny();
        History h = Training.of(graph).epochs(2).batchSize(30).fit(train);
        Path file = dir.resolve("graph.zip");
        Checkpoint.save(file, graph, h);
        Checkpoint saved = Checkpoint.load(file);
        INDArray x = validation.images();
        ComputationGraph loaded = (ComputationGraph) saved.model();
        assertEquals(graph.outputSingle(false, x), loaded.outputSingle(false, x));
        assertEquals(graph.getUpdater().getStateViewArray(), loaded.getUpdater().getStateViewArray(), "Adam's state");
        assertEquals(2, saved.epoch());

        Path layers = dir.resolve("mlp.zip");
        Checkpoint.save(layers, Models.mlp(4, 4, 1, 3), h);
        assertTrue(Checkpoint.load(layers).model() instanceof org.deeplearning4j.nn.multilayer.MultiLayerNetwork, "each kind comes back as itself");

        Path junk = dir.resolve("junk.zip");
        Files.writeString(junk, "not a network");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(junk)).getMessage()
                .contains("is not a ConvKit checkpoint"));
    }

    @Test
    void theCheckpointHoldsTheBestEpochAndResumeGoesOnFromIt(@TempDir Path dir) {
        Path file = dir.resolve("best.zip");
        History h = Training.of(TinyGraphs.rows(new Adam(0.05))).epochs(5).batchSize(30)
                .checkpoint(file, "val_loss").fit(train, validation);
        Checkpoint saved = Checkpoint.load(file);
        int best = h.bestEpoch("val_loss");
        assertEquals(best, saved.epoch());
        assertEquals(h.get("val_loss")[best - 1], Evaluation.of(saved.model(), validation).loss(), 1e-5);

        ComputationGraph resumed = TinyGraphs.rows(new Adam(0.05));
        History more = Training.of(resumed).resume(file).epochs(best + 2).batchSize(30).fit(train, validation);
        assertEquals(best + 2, more.epochs(), "continues at the saved epoch + 1");
        assertArrayEquals(saved.history().get("val_loss"), Arrays.copyOf(more.get("val_loss"), best));
        assertEquals(2, resumed.getEpochCount() - ((ComputationGraph) saved.model()).getEpochCount());

        var e = assertThrows(IllegalArgumentException.class,
                () -> Training.of(Models.mlp(4, 4, 1, 3)).resume(file).fit(train));
        assertTrue(e.getMessage().contains("holds a ComputationGraph") && e.getMessage().contains("is a MultiLayerNetwork"),
                e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        ComputationGraph a = tiny();
        ComputationGraph b = tiny();
        Training.of(a).epochs(2).batchSize(30).seed(7).fit(train);
        Training.of(b).epochs(2).batchSize(30).seed(7).fit(train);
        assertEquals(a.params(), b.params());
        assertNotEquals(tiny().params(), a.params());
    }

    @Test
    void aGraphWithTwoInputsIsRefusedWithTheReason() {
        ComputationGraph two = TinyGraphs.twoInputs();
        var e = assertThrows(IllegalArgumentException.class, () -> Training.of(two));
        assertTrue(e.getMessage().contains("2 inputs [left, right]") && e.getMessage().contains("one input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Evaluation.of(two, validation));
    }

    /** Lesson 05's last cell (seed 003's recipe on VGG16), on a small random stand-in for the ImageNet network. */
    @Test
    void theLessonsRecipeRunsOnAZooShapedGraph(@TempDir Path dir) {
        System.setProperty("convkit.data", dir.toString());
        var galaxies = Galaxies.synthetic().imageSize(32).counts(new int[] {8, 8, 8}, new int[] {4, 4, 4}, new int[] {11, 11, 10})
                .load();
        ComputationGraph imagenet = TinyGraphs.vgg16Like(32, 16);
        var vgg16 = Transfer.from(imagenet, 32, 32, 3).keepUpTo("block5_pool").freeze().head(3).build();
        Path file = dir.resolve("vgg16-galaxies.zip");
        History h = Training.of(vgg16).name("VGG16 + new head").epochs(2).batchSize(8)
                .checkpoint(file, "val_accuracy").fit(galaxies.train(), galaxies.validation());
        Checkpoint best = Checkpoint.load(file);
        Evaluation answers = Evaluation.of(best.model(), galaxies.test());
        answers.showPredictions(4, 8);
        assertEquals(h.bestEpoch("val_accuracy"), best.epoch());
        assertEquals(h.get("val_accuracy")[best.epoch() - 1], Evaluation.of(best.model(), galaxies.validation()).accuracy(), 1e-9);
        assertEquals(32, answers.size());
        assertEquals(List.of("edge", "smooth", "spiral"), answers.classes());
        assertEquals(imagenet.getLayer("block1_conv1").params(), ((ComputationGraph) best.model()).getLayer("block1_conv1").params(), "frozen base");
    }
}
