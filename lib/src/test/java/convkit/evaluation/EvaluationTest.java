package convkit.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.data.TinyData;
import convkit.models.Models;
import convkit.models.TinyGraphs;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    private final ImageSet set = TinyData.rows("tiny", 30, 3);
    private final MultiLayerNetwork untrained = Models.mlp(4, 4, 1, 3);
    private final Evaluation result = Evaluation.of(untrained, set);

    @Test
    void accuracyAndLossComeFromTheProbabilities() {
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < result.size(); i++) {
            loss -= Math.log(result.probability(i, set.label(i)));
            correct += result.predicted(i) == set.label(i) ? 1 : 0;
            assertEquals(set.label(i), result.actual(i));
        }
        assertEquals(loss / 30, result.loss(), 1e-5);
        assertEquals(correct / 30.0, result.accuracy(), 1e-12);
        assertEquals(result.accuracy(), result.confusion().accuracy(), 1e-12);
        assertEquals(set.classes(), result.confusion().classes());
    }

    @Test
    void theWorstMistakesComeFirst() {
        int[] worst = result.mistakes(5);
        assertTrue(worst.length > 0, "an untrained model makes mistakes");
        for (int k = 0; k < worst.length; k++) {
            int i = worst[k];
            assertTrue(result.predicted(i) != result.actual(i));
            if (k > 0) {
                int prev = worst[k - 1];
                assertTrue(result.probability(prev, result.actual(prev)) <= result.probability(i, result.actual(i)));
            }
        }
        assertEquals("GT:top\nPR:" + set.classes().get(result.predicted(0)), result.title(0));
    }

    @Test
    void aGraphIsEvaluatedAsDl4jEvaluatesIt() {
        ComputationGraph graph = TinyGraphs.rows(new org.nd4j.linalg.learning.config.Adam(0.01));
        graph.fit(TinyData.rows("train", 60, 1).batches(20, true, 1), 3);
        Evaluation ours = Evaluation.of(graph, set);
        double dl4j = graph.evaluate(set.batches(7, false, 0)).accuracy();
        assertTrue(dl4j > 0.5, "trained a little: " + dl4j);
        assertEquals(dl4j, ours.accuracy(), 1e-12);
        assertEquals(dl4j, Evaluation.of(graph, set.batches(7, false, 0)).accuracy(), 1e-12);
        assertEquals(set.size(), ours.size());
    }
}
