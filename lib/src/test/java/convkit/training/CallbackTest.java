package convkit.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.models.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

/** Callbacks as a learner writes them in a cell: a rule that stops training, a learning-rate schedule, early stopping. */
class CallbackTest {

    private final ImageSet train = TinyTraining.TRAIN;
    private final ImageSet validation = TinyTraining.VALIDATION;

    @Test
    void aStopAt99PercentRuleEndsTrainingAtTheFirstEpochThatReachesIt() {
        var stopAt99 = Callback.atEpochEnd((run, logs) -> {
            if (logs.get("val_accuracy") >= 0.99) {
                run.stop();
            }
        });
        History plain = Training.of(TinyTraining.mlp()).epochs(8).batchSize(30).fit(train, validation);
        int first = 1 + IntStream.range(0, 8).filter(i -> plain.get("val_accuracy")[i] >= 0.99).findFirst().orElseThrow();
        assertTrue(first < 8, "the tiny model reaches 99% before epoch 8: " + plain);

        History stopped = Training.of(TinyTraining.mlp()).epochs(8).batchSize(30).callbacks(stopAt99).fit(train, validation);
        assertEquals(first, stopped.epochs());
        assertEquals(first, stopped.stoppedEpoch());
        assertArrayEquals(java.util.Arrays.copyOf(plain.get("val_loss"), first), stopped.get("val_loss"), "the same epochs up to the stop");
    }

    @Test
    void aLearningRateScheduleSetsTheRateBeforeEachEpoch() {
        List<Double> seen = new ArrayList<>();
        var halve = Callback.atEpochBegin(run -> {
            run.learningRate(0.01 / (1 << (run.epoch() - 1)));
            seen.add(run.learningRate());
        });
        MultiLayerNetwork scheduled = TinyTraining.mlp();
        Training.of(scheduled).epochs(3).batchSize(30).callbacks(halve).fit(train);
        assertEquals(List.of(0.01, 0.005, 0.0025), seen);
        assertEquals(0.0025, scheduled.getLearningRate(0), 1e-12);

        // a rate of 0 from epoch 2 on: the weights stay those of epoch 1
        MultiLayerNetwork oneEpoch = TinyTraining.mlp();
        Training.of(oneEpoch).epochs(1).batchSize(30).fit(train);
        MultiLayerNetwork frozenAfterOne = TinyTraining.mlp();
        var stopLearning = Callback.atEpochBegin(run -> {
            if (run.epoch() > 1) {
                run.learningRate(0);
            }
        });
        Training.of(frozenAfterOne).epochs(3).batchSize(30).callbacks(stopLearning).fit(train);
        assertEquals(oneEpoch.params(), frozenAfterOne.params());
        assertNotEquals(oneEpoch.params(), scheduled.params());
    }

    @Test
    void aScheduleByEpochSetsEachEpochsRateAndRejectsANegativeOne() {
        List<Double> seen = new ArrayList<>();
        var record = Callback.atEpochBegin(run -> seen.add(run.learningRate()));
        MultiLayerNetwork net = TinyTraining.mlp();
        Training.of(net).epochs(4).batchSize(30)
                .callbacks(Callback.learningRateSchedule(epoch -> epoch <= 2 ? 1e-2 : 1e-3), record).fit(train);
        assertEquals(List.of(1e-2, 1e-2, 1e-3, 1e-3), seen);
        assertEquals(1e-3, net.getLearningRate(0), 1e-12);

        var negative = Callback.learningRateSchedule(epoch -> -1);
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Training.of(TinyTraining.mlp()).epochs(1).batchSize(30).callbacks(negative).fit(train));
        assertTrue(error.getMessage().contains("0 or more"), error.getMessage());
    }

    @Test
    void theCallbacksAreToldEveryStepWithTheValuesByName() {
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override
            public void onTrainBegin(Run run) {
                events.add("begin");
            }

            @Override
            public void onEpochBegin(Run run) {
                events.add("epoch " + run.epoch());
            }

            @Override
            public void onBatchEnd(Run run, Logs logs) {
                events.add("batch " + run.batch() + "/" + run.batchesPerEpoch());
            }

            @Override
            public void onEpochEnd(Run run, Logs logs) {
                events.add("end " + run.epoch() + " " + logs.asMap().keySet());
                assertEquals(logs.get("val_loss"), run.history().last("val_loss"), "History has kept this epoch's values by name");
                assertEquals(logs.get("val_acc"), run.history().last("val_accuracy"));
            }

            @Override
            public void onTrainEnd(Run run) {
                events.add("done " + run.history().epochs());
            }
        };
        Training.of(TinyTraining.mlp()).epochs(2).batchSize(45).callbacks(recorder).fit(train, validation);
        assertEquals(List.of("begin", "epoch 1", "batch 1/2", "batch 2/2",
                "end 1 [loss, accuracy, val_loss, val_accuracy, seconds, images_per_second]", "epoch 2", "batch 1/2", "batch 2/2",
                "end 2 [loss, accuracy, val_loss, val_accuracy, seconds, images_per_second]", "done 2"), events);
    }

    @Test
    void anEarlyStoppingObjectIsPassedToTrainingAndStartsAfreshEachFit() {
        EarlyStopping patience2 = EarlyStopping.on("val_loss", 2).restoreBestWeights(false);
        MultiLayerNetwork still = Models.mlp(4, 4, 1, 3, new Sgd(0));
        for (int fit = 0; fit < 2; fit++) {
            History h = Training.of(still).epochs(10).batchSize(45).earlyStopping(patience2).fit(train, validation);
            assertEquals(3, h.epochs(), "epoch 1 is best, epochs 2 and 3 do not improve");
            assertEquals(3, patience2.stoppedEpoch());
            assertEquals(1, patience2.bestEpoch());
            assertEquals(0, h.restoredEpoch(), "restoreBestWeights(false)");
        }
    }

    @Test
    void logsExplainAnUnknownName() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Training.of(TinyTraining.mlp()).epochs(1)
                .callbacks(Callback.atEpochEnd((run, logs) -> logs.get("val_acuracy"))).fit(train, validation));
        assertTrue(e.getMessage().contains("no value called 'val_acuracy'") && e.getMessage().contains("val_accuracy"), e.getMessage());
    }
}
