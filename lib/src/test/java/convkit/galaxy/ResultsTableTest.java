package convkit.galaxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.data.TinyData;
import convkit.evaluation.Evaluation;
import convkit.models.Models;
import convkit.training.Checkpoint;
import convkit.training.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

class ResultsTableTest {

    private final ImageSet train = TinyData.rows("train", 90, 1);
    private final ImageSet validation = TinyData.rows("validation", 30, 2);
    private final ImageSet test = TinyData.rows("test", 30, 3);

    @Test
    void aTrainedRowIsTheReloadedBestEpochScoredOnTheTestSet(@TempDir Path folder) {
        var table = ResultsTable.of("00", train, validation, test, folder);
        var model = Models.mlp(4, 4, 1, 3, new Adam(0.01));
        double accuracy = table.train("Model 1", "85.62%", Training.of(model).epochs(3).batchSize(30).livePlot(false));
        var row = table.row("Model 1");
        assertEquals(folder.resolve("model-1.zip"), row.checkpoint());
        assertTrue(Files.isRegularFile(row.checkpoint()));
        assertEquals(Evaluation.of(Checkpoint.load(row.checkpoint()).model(), test).accuracy(), accuracy, 1e-12);
        assertEquals(3, row.history().epochs());
        assertEquals("85.62%", row.seed());

        double asTrained = Evaluation.of(model, test).accuracy();
        table.add("Model 2", null, row.history(), asTrained);
        assertNull(table.row("Model 2").checkpoint());
        assertEquals(List.of("Model 1", "Model 2"), table.names());
        assertTrue(table.trainingSeconds() >= 2 * row.history().seconds(), "the fit's time on the clock and the added row's");
    }

    @Test
    void namesAreUniqueAndAMissingRowListsTheOthers(@TempDir Path folder) {
        var table = ResultsTable.of("00", train, validation, test, folder);
        var history = Training.of(Models.mlp(4, 4, 1, 3)).epochs(1).batchSize(30).livePlot(false).fit(train, validation);
        table.add("Tutorial model", "76.50%", history, 0.5);
        var twice = assertThrows(IllegalArgumentException.class, () -> table.add("Tutorial model", null, history, 0.5));
        assertTrue(twice.getMessage().contains("has a row \"Tutorial model\" already"), twice.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> table.row("Tutorial"));
        assertEquals("no row \"Tutorial\": the table has [Tutorial model]", missing.getMessage());
    }

    @Test
    void modelsTrainedSideBySideGetTheirRowsInTheOrderGiven(@TempDir Path folder) {
        var table = ResultsTable.of("00", train, validation, test, folder);
        var first = Models.mlp(4, 4, 1, 3, new Adam(0.01));
        var second = Models.mlp(4, 4, 1, 3, new Adam(0.02));
        List<Double> accuracies = table.sideBySide()
                .model("Model 1", "85.62%", Training.of(first).epochs(2).batchSize(30).livePlot(false))
                .model("Model 2", null, Training.of(second).epochs(4).batchSize(30).livePlot(false))
                .train();
        assertEquals(List.of("Model 1", "Model 2"), table.names());
        assertEquals(2, table.row("Model 1").history().epochs());
        assertEquals(4, table.row("Model 2").history().epochs());
        assertTrue(table.trainingSeconds() >= table.row("Model 2").history().seconds(), "side by side, the longer one's time at least");
        assertEquals(Evaluation.of(Checkpoint.load(folder.resolve("model-2.zip")).model(), test).accuracy(), accuracies.get(1), 1e-12);

        var again = assertThrows(IllegalArgumentException.class, () -> table.sideBySide()
                .model("Model 3", null, Training.of(Models.mlp(4, 4, 1, 3)))
                .model("Model 1", null, Training.of(Models.mlp(4, 4, 1, 3))));
        assertTrue(again.getMessage().contains("has a row \"Model 1\" already"), again.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> table.sideBySide().train());
        assertTrue(none.getMessage().startsWith("no models to train"), none.getMessage());
    }
}
