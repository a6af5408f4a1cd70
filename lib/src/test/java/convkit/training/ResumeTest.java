package convkit.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import convkit.data.ImageSet;
import convkit.data.TinyData;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A training with {@code .checkpoint(path)} killed half-way goes on from its last saved epoch and ends exactly where
 * an uninterrupted one ends; a finished one is reloaded, not trained again; {@code .fresh()} starts over.
 */
class ResumeTest {

    static final String WAITING = "waiting to be killed before epoch ";
    static final ImageSet TRAIN = TinyTraining.TRAIN;
    /** Validation labels shifted by one class: validation loss rises after epoch 1, so early stopping acts and restores. */
    static final ImageSet MISLEADING = new ImageSet("classes rotated", TinyData.rows("validation", 30, 2).images(),
            Nd4j.concat(1, TinyData.rows("validation", 30, 2).labels().getColumns(1, 2),
                    TinyData.rows("validation", 30, 2).labels().getColumn(0, true)), TRAIN.classes());

    /** A small network with dropout, so the result depends on the random generator's position as well as on the shuffling. */
    static MultiLayerNetwork withDropout() {
        var conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(0.02)).list()
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(4, 4, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The training both JVMs run: shuffled batches, dropout, early stopping with restore, a checkpoint. */
    static Training training(MultiLayerNetwork network, Path checkpoint) {
        return Training.of(network).epochs(8).batchSize(20).earlyStopping("val_loss", 3)
                .checkpoint(checkpoint, "loss").livePlot(false);
    }

    @Test
    void aTrainingKilledWithKill9GoesOnFromItsLastEpochAndEndsWhereAnUninterruptedOneEnds(@TempDir Path dir) throws Exception {
        MultiLayerNetwork plain = withDropout();
        History uninterrupted = training(plain, dir.resolve("plain/best.zip")).fit(TRAIN, MISLEADING);
        assertTrue(uninterrupted.epochs() >= 4 && uninterrupted.restoredEpoch() > 0, "early stopping acted: " + uninterrupted);

        Path file = dir.resolve("killed/best.zip");
        int exit = runAndKill(file, 3);
        assertEquals(137, exit, "the JVM was killed with SIGKILL (128 + 9)");
        assertEquals(2, Checkpoint.load(ResumeState.fileFor(file)).epoch(), "epochs 1 and 2 were saved before the kill");

        MultiLayerNetwork resumed = withDropout();
        String[] out = new String[1];
        History h = captured(out, () -> training(resumed, file).fit(TRAIN, MISLEADING));
        assertTrue(out[0].contains("resuming at epoch 3: epochs 1-2 were reloaded from " + ResumeState.fileFor(file)), out[0]);
        assertArrayEquals(uninterrupted.get("loss"), h.get("loss"), "the same training loss every epoch: same shuffles, same dropout");
        assertArrayEquals(uninterrupted.get("val_loss"), h.get("val_loss"));
        assertEquals(uninterrupted.stoppedEpoch(), h.stoppedEpoch());
        assertEquals(uninterrupted.restoredEpoch(), h.restoredEpoch());
        assertEquals(plain.params(), resumed.params(), "the same weights at the end (the best epoch's, restored)");
        assertEquals(plain.getIterationCount(), resumed.getIterationCount());
    }

    @Test
    void aFinishedTrainingIsReloadedNotTrainedAgainAndFreshStartsOver(@TempDir Path dir) {
        Path file = dir.resolve("best.zip");
        MultiLayerNetwork first = withDropout();
        History done = training(first, file).fit(TRAIN, MISLEADING);

        AtomicInteger batches = new AtomicInteger();
        Callback counter = new Callback() {
            @Override
            public void onBatchEnd(Run run, Logs logs) {
                batches.incrementAndGet();
            }
        };
        MultiLayerNetwork again = withDropout();
        String[] out = new String[1];
        History reloaded = captured(out, () -> training(again, file).callbacks(counter).fit(TRAIN, MISLEADING));
        assertEquals(0, batches.get(), "not trained again");
        assertTrue(out[0].contains("already trained for " + done.epochs() + " epochs (stopped early), reloaded from"), out[0]);
        assertTrue(out[0].contains(".fresh() trains again"), out[0]);
        assertArrayEquals(done.get("loss"), reloaded.get("loss"));
        assertEquals(done.seconds(), reloaded.seconds(), "the saved history, timings included");
        assertEquals(done.restoredEpoch(), reloaded.restoredEpoch());
        assertEquals(first.params(), again.params(), "the learner's variable holds the trained weights, the best epoch's");

        History fresh = captured(out, () -> training(withDropout(), file).fresh().callbacks(counter).fit(TRAIN, MISLEADING));
        assertTrue(out[0].contains("training from the start, as asked"), out[0]);
        assertTrue(batches.get() > 0);
        assertArrayEquals(done.get("loss"), fresh.get("loss"), "trained again, to the same figures");

        History other = captured(out, () -> training(withDropout(), file).batchSize(30).fit(TRAIN, MISLEADING));
        assertTrue(out[0].contains("is of another training") && out[0].contains("training from the start"), out[0]);
        assertTrue(out[0].contains("epoch 1: loss"), "trained from epoch 1: " + out[0]);
    }

    @Test
    void shortEpochsAreNotAllWrittenButTheLastOneIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("best.zip");
        Path state = ResumeState.fileFor(file);
        Set<FileTime> writes = new HashSet<>();
        History h = Training.of(withDropout()).epochs(12).batchSize(20).checkpoint(file, "loss").livePlot(false)
                .callbacks(Callback.atEpochBegin(run -> {
                    try {
                        if (Files.exists(state)) {
                            writes.add(Files.getLastModifiedTime(state));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })).fit(TRAIN);
        writes.add(Files.getLastModifiedTime(state));
        assertTrue(writes.size() < 6, "epochs of milliseconds: far fewer writes than 12 epochs, " + writes.size());
        assertEquals(12, Checkpoint.load(state).epoch(), "the last epoch is always written");
        assertEquals(12, h.epochs());
    }

    /** Runs {@link InterruptedTraining} in a new JVM with the tests' classpath, kills it with SIGKILL before {@code epoch}. */
    private static int runAndKill(Path file, int epoch) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                InterruptedTraining.class.getName(), file.toString(), String.valueOf(epoch))).redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    log.append(line).append('\n');
                    if (line.equals(WAITING + epoch)) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        try {
            assertTrue(waiting.get(180, TimeUnit.SECONDS), "the child never reached epoch " + epoch + ":\n" + log);
        } finally {
            child.destroyForcibly();
        }
        child.waitFor(60, TimeUnit.SECONDS);
        assertTrue(Files.exists(ResumeState.fileFor(file)), log.toString());
        return child.exitValue();
    }

    /** What {@code fit} printed (the progress lines outside a notebook), into {@code out[0]}. */
    private static History captured(String[] out, Supplier<History> fit) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return fit.get();
        } finally {
            System.setOut(old);
            out[0] = bytes.toString(StandardCharsets.UTF_8);
            old.print(out[0]);
        }
    }
}
