package convkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.models.Models;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** Several trainings at once: each model ends as it would beside any other, the thread settings come back, faults are named. */
class SideBySideTest {

    private final ImageSet train = TinyTraining.TRAIN;
    private final ImageSet validation = TinyTraining.VALIDATION;

    @Test
    void eachModelEndsWithTheSameWeightsWhateverTrainsBesideIt() {
        MultiLayerNetwork a = TinyTraining.mlp();
        MultiLayerNetwork sameAsA = TinyTraining.mlp();
        MultiLayerNetwork b = Models.mlp(4, 4, 1, 3, new Adam(0.05));
        MultiLayerNetwork c = TinyTraining.mlp();
        List<History> first = SideBySide.of(Training.of(a).epochs(4).seed(7).livePlot(false),
                Training.of(b).epochs(9).seed(3).livePlot(false)).fit(train, validation);
        List<History> second = SideBySide.of(Training.of(c).epochs(2).seed(1).livePlot(false),
                Training.of(sameAsA).epochs(4).seed(7).livePlot(false)).fit(train, validation);

        assertEquals(a.params(), sameAsA.params(), "the same model, seed and data give the same weights beside another training");
        assertEquals(4, first.get(0).epochs());
        assertEquals(9, first.get(1).epochs(), "histories come back in the order the trainings were given");
        assertEquals(2, second.get(0).epochs());
        assertEquals(first.get(0).last("val_loss"), second.get(1).last("val_loss"));
        assertTrue(first.get(1).last("accuracy") > 0.6, "the model beside it learned too: " + first.get(1).last("accuracy"));
    }

    @Test
    void theTrainingsShareTheThreadsAndGiveThemBack() {
        var env = Nd4j.getEnvironment();
        int threads = env.maxMasterThreads();
        int blas = Nd4j.factory().blas().getMaxThreads();
        AtomicInteger seenInside = new AtomicInteger();
        var pair = SideBySide.of(Training.of(TinyTraining.mlp()).epochs(1).livePlot(false)
                        .callbacks(Callback.atEpochEnd((run, logs) -> seenInside.set(env.maxMasterThreads()))),
                Training.of(TinyTraining.mlp()).epochs(1).livePlot(false));
        pair.fit(train, null);

        assertEquals(Math.max(1, threads / 2), pair.threadsEach());
        assertEquals(pair.threadsEach(), seenInside.get(), "ND4J's threads while the pair trained");
        assertEquals(threads, env.maxMasterThreads(), "ND4J's threads after");
        assertEquals(blas, Nd4j.factory().blas().getMaxThreads(), "OpenBLAS's threads after");
    }

    @Test
    void atMostOneModelPerThreadTrainsAtOnceAndTheRestWaitTheirTurn() {
        var env = Nd4j.getEnvironment();
        int threads = env.maxMasterThreads();
        env.setMaxMasterThreads(2);
        try {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Integer> started = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch bothBegun = new CountDownLatch(2);
            Training[] five = new Training[5];
            for (int i = 0; i < five.length; i++) {
                int number = i + 1;
                five[i] = Training.of(TinyTraining.mlp()).epochs(number % 2 == 0 ? 3 : 1).seed(number).livePlot(false)
                        .callbacks(new Callback() {
                            @Override
                            public void onTrainBegin(Run run) {
                                started.add(number);
                                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                                bothBegun.countDown();
                                try {   // the first two wait for each other, so they surely overlap
                                    bothBegun.await(10, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }

                            @Override
                            public void onTrainEnd(Run run) {
                                running.decrementAndGet();
                            }
                        });
            }
            var race = SideBySide.of(List.of(five));
            List<History> histories = race.fit(train, validation);

            assertEquals(2, race.atOnce());
            assertEquals(1, race.threadsEach());
            assertEquals(2, most.get(), "two models at once on two threads, never more");
            assertEquals(List.of(1, 2, 3, 4, 5), started.stream().sorted().toList(), "every model trained once");
            assertEquals(List.of(1, 3, 1, 3, 1), histories.stream().map(History::epochs).toList(), "histories in the order given");
            assertEquals(2, env.maxMasterThreads(), "ND4J's threads put back");
        } finally {
            env.setMaxMasterThreads(threads);
        }
    }

    @Test
    void aFailingTrainingIsNamedAndStopsTheOthers() {
        AtomicInteger epochsOfTheOther = new AtomicInteger();
        MultiLayerNetwork fourClasses = Models.mlp(4, 4, 1, 4, new Adam(0.01));
        var e = assertThrows(IllegalArgumentException.class, () -> SideBySide.of(
                Training.of(TinyTraining.mlp()).name("long one").epochs(2000).batchSize(8).livePlot(false)
                        .callbacks(Callback.atEpochEnd((run, logs) -> epochsOfTheOther.incrementAndGet())),
                Training.of(fourClasses).name("four-class model").epochs(3).livePlot(false)).fit(train, validation));
        assertTrue(e.getMessage().startsWith("four-class model: the model predicts 4 classes but the labels have 3"), e.getMessage());
        assertTrue(epochsOfTheOther.get() < 2000, "the other training stopped early, after " + epochsOfTheOther.get() + " epochs");

        var env = Nd4j.getEnvironment();
        int threads = env.maxMasterThreads();
        env.setMaxMasterThreads(2);
        try {
            AtomicInteger thirdStarted = new AtomicInteger();
            var waiting = assertThrows(IllegalArgumentException.class, () -> SideBySide.of(
                    Training.of(TinyTraining.mlp()).name("long one").epochs(2000).batchSize(8).livePlot(false),
                    Training.of(Models.mlp(4, 4, 1, 4, new Adam(0.01))).name("four-class model").epochs(3).livePlot(false),
                    Training.of(TinyTraining.mlp()).name("waiting one").epochs(1).livePlot(false)
                            .callbacks(Callback.atEpochBegin(run -> thirdStarted.incrementAndGet()))).fit(train, validation));
            assertTrue(waiting.getMessage().startsWith("four-class model:"), waiting.getMessage());
            assertEquals(0, thirdStarted.get(), "a training still waiting for a free thread does not start after a failure");
        } finally {
            env.setMaxMasterThreads(threads);
        }

        MultiLayerNetwork reused = TinyTraining.mlp();
        var training = Training.of(reused).epochs(1).livePlot(false);
        SideBySide.of(training).fit(train, null);
        assertEquals(2, training.epochs(2).fit(train, null).epochs(), "a training used side by side can be fitted again alone");
    }

    @Test
    void historiesCanBeReadByTheTrainingsNames() {
        AtomicInteger epochsTrained = new AtomicInteger();
        var runs = SideBySide.of(
                Training.of(TinyTraining.mlp()).name("short").epochs(1).seed(5).livePlot(false),
                Training.of(TinyTraining.mlp()).name("long").epochs(3).seed(5).livePlot(false),
                Training.of(TinyTraining.mlp()).name("middle").epochs(2).seed(5).livePlot(false))
            .fitByName(train, validation);
        assertEquals(List.of("short", "long", "middle"), List.copyOf(runs.keySet()), "names in the order given");
        assertEquals(List.of(1, 3, 2), runs.values().stream().map(History::epochs).toList());
        assertEquals(runs.get("short").get("val_loss")[0], runs.get("long").get("val_loss")[0],
                "each history is its own training's: same model and seed, same first epoch");

        var unnamed = assertThrows(IllegalArgumentException.class, () -> SideBySide.of(
                Training.of(TinyTraining.mlp()).name("named").epochs(1).livePlot(false),
                Training.of(TinyTraining.mlp()).epochs(1).livePlot(false)
                        .callbacks(Callback.atEpochBegin(run -> epochsTrained.incrementAndGet()))).fitByName(train, null));
        assertTrue(unnamed.getMessage().startsWith("training 2 of 2 has no name: give each one with .name(\"...\")"), unnamed.getMessage());
        var repeated = assertThrows(IllegalArgumentException.class, () -> SideBySide.of(
                Training.of(TinyTraining.mlp()).name("twin").epochs(1).livePlot(false)
                        .callbacks(Callback.atEpochBegin(run -> epochsTrained.incrementAndGet())),
                Training.of(TinyTraining.mlp()).name("twin").epochs(1).livePlot(false)).fitByName(train, null));
        assertEquals("two trainings are named \"twin\": give each its own name", repeated.getMessage());
        assertEquals(0, epochsTrained.get(), "a bad name is refused before anything trains");
    }

    @Test
    void nothingOrTheSameModelTwiceIsRefused() {
        var none = assertThrows(IllegalArgumentException.class, SideBySide::of);
        assertTrue(none.getMessage().startsWith("give the trainings to run side by side"), none.getMessage());
        var emptyList = assertThrows(IllegalArgumentException.class, () -> SideBySide.of(List.of()));
        assertEquals(none.getMessage(), emptyList.getMessage());
        MultiLayerNetwork net = TinyTraining.mlp();
        var twice = assertThrows(IllegalArgumentException.class, () -> SideBySide.of(Training.of(net), Training.of(net)));
        assertEquals("the same model is given twice: each training needs its own model", twice.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> SideBySide.of(Training.of(net), null));
        assertTrue(missing.getMessage().startsWith("training 2 of 2 is null"), missing.getMessage());
    }
}
