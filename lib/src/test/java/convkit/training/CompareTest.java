package convkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.data.TinyData;
import convkit.evaluation.Evaluation;
import convkit.models.Models;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

class CompareTest {

    private final ImageSet train = TinyData.rows("train", 90, 1);
    private final ImageSet test = TinyData.rows("test", 30, 2);

    @Test
    void evaluatesEveryModelOnTheSameTestImages() {
        MultiLayerNetwork trained = Models.mlp(4, 4, 1, 3, new Adam(0.01));
        MultiLayerNetwork untrained = Models.mlp(4, 4, 1, 3, new Sgd(0));
        History trainedHistory = Training.of(trained).epochs(4).batchSize(30).fit(train, test);
        History untrainedHistory = Training.of(untrained).epochs(2).batchSize(30).fit(train, test);

        Compare compared = Compare.on(test).model("Adam", trained, trainedHistory).model("learning rate 0", untrained, untrainedHistory)
                .show();

        assertEquals(Evaluation.of(trained, test).accuracy(), compared.result("Adam").accuracy(), 1e-12);
        assertEquals(Evaluation.of(untrained, test).loss(), compared.result("learning rate 0").loss(), 1e-9);
        assertTrue(compared.result("Adam").accuracy() > compared.result("learning rate 0").accuracy());
    }

    @Test
    void saysWhatIsWrongWithTheComparison() {
        MultiLayerNetwork model = Models.mlp(4, 4, 1, 3);
        History history = Training.of(model).epochs(1).batchSize(30).fit(train);
        Compare compared = Compare.on(test).model("MLP", model, history);

        var twice = assertThrows(IllegalArgumentException.class, () -> compared.model("MLP", model, history));
        assertTrue(twice.getMessage().contains("already in the comparison"), twice.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> compared.result("CNN"));
        assertTrue(unknown.getMessage().contains("[MLP]"), unknown.getMessage());
        var untrained = assertThrows(IllegalArgumentException.class, () -> compared.model("new", model, new History()));
        assertTrue(untrained.getMessage().contains("no training history"), untrained.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> Compare.on(null));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }
}
