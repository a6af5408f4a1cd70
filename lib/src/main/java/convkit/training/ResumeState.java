package convkit.training;

import convkit.models.Network;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a fit with {@code .checkpoint(path)} writes after its epochs so that an interrupted training (a killed kernel,
 * a closed laptop) goes on where it stopped, like Keras' {@code BackupAndRestore}: the network with its optimizer
 * state, the history, the random generator's position (dropout), and early stopping's best weights, next to the
 * checkpoint as {@code <name>.resume.zip}, written atomically as {@link Checkpoint} writes. It is only used by a fit of
 * the same architecture, starting weights and settings; anything else starts afresh.
 *
 * <p>It is written after every epoch that took long enough: the time since the last write must be at least
 * {@code 1 / writeShare} (20) times what that write took, so writing costs at most about 5% of the training. Epochs
 * of minutes are saved every time; epochs of a second (lesson 05 trains on 50 images) about every 20 seconds instead
 * of every second. The last epoch, and the one early stopping ends on, are always written. An interruption goes back to the
 * last written epoch and trains the ones after it again, to the same weights.
 */
final class ResumeState implements Callback {

    private static final String ENTRY = "convkit-resume";

    /** The saved position: which training it belongs to, the random generator's state, early stopping's best weights. */
    record Saved(String settings, long randomRoot, long randomNode, Map<Integer, Kept> bestWeights) implements Serializable {
    }

    /** One early stopping's kept weights (ND4J's own bytes, so they come back exactly) and their epoch. */
    record Kept(byte[] weights, int epoch) implements Serializable {
    }

    /** The largest share of the training's time the writes may take (a test that needs every epoch written raises it). */
    static double writeShare = 0.05;

    private final Path file;
    private final String settings;
    private final List<Callback> callbacks;
    /** What {@link #load} found, until {@link #onTrainBegin} hands early stopping its part. */
    private Saved position;
    /** When the last write ended (System.nanoTime) and how long it took, in seconds; 0 before the first. */
    private long lastWriteEnd;
    private double lastWriteSeconds;

    /**
     * Keeps the state of {@code network}'s training with {@code settings}; {@code callbacks} are the fit's, in order.
     * The network counts as the same when its architecture and its weights before training are.
     */
    ResumeState(Path checkpoint, Network network, String settings, List<Callback> callbacks) {
        this.file = fileFor(checkpoint);
        INDArray params = network.params();
        this.settings = String.join(" ", network.kind(), sha256(network.architecture()), String.format(Locale.ROOT, "%d:%.6g:%.6g",
                network.numParams(), params.sumNumber().doubleValue(), params.norm2Number().doubleValue()), settings);
        this.callbacks = callbacks;
    }

    /** {@code cnn-best.zip} keeps its resumable state in {@code cnn-best.resume.zip}. */
    static Path fileFor(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        String stem = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return checkpoint.resolveSibling(stem + ".resume.zip");
    }

    Path file() {
        return file;
    }

    @Override
    public void onEpochEnd(Run run, Logs logs) {
        long now = System.nanoTime();
        boolean last = run.epoch() >= run.epochs() || run.stopping();
        if (!last && lastWriteEnd != 0 && (now - lastWriteEnd) / 1e9 * writeShare < lastWriteSeconds) {
            return;
        }
        write(run);
        lastWriteEnd = System.nanoTime();
        lastWriteSeconds = (lastWriteEnd - now) / 1e9;
    }

    private void write(Run run) {
        Map<Integer, Kept> kept = new HashMap<>();
        for (int i = 0; i < callbacks.size(); i++) {
            if (callbacks.get(i) instanceof EarlyStopping stopper && stopper.bestWeights() != null) {
                kept.put(i, new Kept(bytes(stopper.bestWeights()), stopper.bestWeightsEpoch()));
            }
        }
        Random random = Nd4j.getRandom();
        Checkpoint.save(file, run.network(), run.history(), ENTRY, new Saved(settings, random.rootState(), random.nodeState(), kept));
    }

    /**
     * Loads the saved state into {@code network} (weights, optimizer state, counters) and the random generator, and
     * returns its history; null when there is none for this training, with the reason in {@code note} when one was found.
     */
    History load(Network network, StringBuilder note) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Checkpoint saved;
        Saved position;
        try {
            saved = Checkpoint.load(file);
            position = ModelSerializer.getObjectFromFile(file.toFile(), ENTRY);
        } catch (RuntimeException e) {
            note.append("the saved state ").append(file).append(" cannot be read (").append(e.getMessage())
                    .append("): training from the start; it will be replaced");
            return null;
        }
        if (!position.settings().equals(settings)) {
            note.append("the saved state ").append(file).append(" is of another training (other network, starting weights or"
                    + " settings): training from the start; it will be replaced");
            return null;
        }
        History history = saved.loadInto(network, file);
        Nd4j.getRandom().setStates(position.randomRoot(), position.randomNode());
        this.position = position;
        return history;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    private static byte[] bytes(INDArray array) {
        try {
            return Nd4j.toByteArray(array);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy early stopping's best weights for the resumable state", e);
        }
    }

    /** After the callbacks started (early stopping replayed the saved epochs), gives early stopping back its best weights. */
    @Override
    public void onTrainBegin(Run run) {
        if (position == null) {
            return;
        }
        position.bestWeights().forEach((i, kept) -> {
            if (callbacks.get(i) instanceof EarlyStopping stopper) {
                stopper.resumeWith(Nd4j.fromByteArray(kept.weights()), kept.epoch());
            }
        });
    }
}
