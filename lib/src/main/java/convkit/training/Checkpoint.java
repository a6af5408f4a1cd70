package convkit.training;

import convkit.data.DataFiles;
import convkit.env.Mode;
import convkit.env.Require;
import convkit.models.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A saved model (weights, optimizer state) with the {@link History} up to the epoch it was saved at, like the
 * file Keras' {@code ModelCheckpoint(save_best_only=True)} writes. Saving writes a temporary file next to the
 * target and then moves it over the old one, so an interrupted or failed save never destroys a good checkpoint.
 *
 * <pre>{@code
 * Training.of(cnn).checkpoint(Path.of("best.zip"), "val_accuracy").fit(train, test);
 * Checkpoint best = Checkpoint.load(Path.of("best.zip"));
 * best.epoch();          // the epoch with the highest validation accuracy
 * best.model();          // ready to predict or to train on (a MultiLayerNetwork or a ComputationGraph)
 * Checkpoint.save(Path.of("mine.zip"), cnn, history);  // what training with .checkpoint(path) does
 * var models = Checkpoint.folder("06-galaxy-classification");   // where a lesson keeps its checkpoints
 * }</pre>
 */
public final class Checkpoint {

    private static final String HISTORY_ENTRY = "convkit-history";
    /** The entry of DL4J's model file that says which kind of network it holds. */
    private static final String CONFIGURATION_ENTRY = "configuration.json";

    private final NeuralNetwork network;
    private final History history;

    private Checkpoint(NeuralNetwork network, History history) {
        this.network = network;
        this.history = history;
    }

    /**
     * Saves the network (a MultiLayerNetwork or a ComputationGraph, with its optimizer state) and its history to
     * {@code path}, replacing the old file only on success.
     */
    public static void save(Path path, NeuralNetwork network, History history) {
        save(path, network, history, null, null);
    }

    /** The same with one more object stored under {@code entry} (a resumable state), in the same atomic write. */
    static void save(Path path, NeuralNetwork network, History history, String entry, Object extra) {
        Require.notNull(path, "the checkpoint path", "give the .zip file to write, e.g. Checkpoint.folder(\"03-mlp-vs-cnn\").resolve(\"cnn.zip\")");
        Model model = Network.of(Require.notNull(network, "the network to save", "pass the network you trained")).model();
        Path target = path.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
            ModelSerializer.writeModel(model, temp.toFile(), true);
            ModelSerializer.addObjectToFile(temp.toFile(), HISTORY_ENTRY, history);
            if (entry != null) {
                ModelSerializer.addObjectToFile(temp.toFile(), entry, extra);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw new IllegalStateException("could not save the checkpoint " + target + " (" + e.getMessage()
                    + "); the previous checkpoint, if any, is unchanged", e);
        }
    }

    /**
     * Fails at once, before any training time is spent, when {@code path} cannot be written: its folder cannot be
     * created, or a file cannot be made in it (read-only, no permission), or the path is a folder.
     */
    static void checkWritable(Path path) {
        Path target = path.toAbsolutePath();
        Path probe = null;
        try {
            if (Files.isDirectory(target)) {
                throw new IOException("it is a folder");
            }
            Files.createDirectories(target.getParent());
            probe = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot write the checkpoint " + target + " (" + e.getMessage()
                    + "): nothing was trained; choose a file in a folder you can write, e.g. "
                    + "Checkpoint.folder(\"my-lesson\").resolve(\"best.zip\")", e);
        } finally {
            deleteQuietly(probe);
        }
    }

    /**
     * The folder where a lesson keeps its checkpoints, created if missing: {@code checkpoints/<mode>/<name>} in the
     * data cache (by default {@code ~/.cache/convkit/checkpoints/quick/06-galaxy-classification}). It is the same on
     * every run, so running a lesson again replaces its checkpoints instead of piling up copies, and a model trained
     * earlier can be reloaded without training again; quick and full mode keep theirs apart.
     */
    public static Path folder(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("a checkpoint folder is named by one plain word such as"
                    + " \"06-galaxy-classification\" (letters, digits, '.', '_', '-'); got " + (name == null ? "null" : "\"" + name + "\""));
        }
        Path folder = DataFiles.cacheFolder().resolve("checkpoints").resolve(Mode.current().label()).resolve(name);
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint folder " + folder + " (" + e + "): set "
                    + DataFiles.CACHE_VARIABLE + " to a writable folder", e);
        }
    }

    /** Reads a checkpoint written by {@link #save} (or by training with {@code .checkpoint(path)}). */
    public static Checkpoint load(Path path) {
        Require.notNull(path, "Checkpoint.load(path)", "give the .zip file that Training's .checkpoint(path) wrote,"
                + " e.g. Checkpoint.folder(\"03-mlp-vs-cnn\").resolve(\"cnn-best.zip\")");
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no checkpoint at " + path.toAbsolutePath()
                    + ": train with .checkpoint(path) first, or check the path");
        }
        try {
            NeuralNetwork model = isGraph(path) ? ModelSerializer.restoreComputationGraph(path.toFile(), true)
                    : ModelSerializer.restoreMultiLayerNetwork(path.toFile(), true);
            History history = ModelSerializer.getObjectFromFile(path.toFile(), HISTORY_ENTRY);
            return new Checkpoint(model, history);
        } catch (ZipException e) {
            throw new IllegalArgumentException(path.toAbsolutePath() + " is not a ConvKit checkpoint (not a zip file: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + path.toAbsolutePath(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(path.toAbsolutePath() + " is not a ConvKit checkpoint (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The saved network (a MultiLayerNetwork or a ComputationGraph), ready to evaluate, predict or train on; cast it
     * for what only one kind has, e.g. {@code ((MultiLayerNetwork) best.model()).summary()}.
     */
    public NeuralNetwork model() {
        return network;
    }

    /**
     * Puts the saved weights, optimizer state and epoch and iteration counts into {@code network} (so the learner's
     * variable holds them) and returns the saved history, to go on from; refuses a network of another architecture.
     */
    History loadInto(Network network, Path path) {
        Network from = Network.of(this.network);
        if (!from.kind().equals(network.kind()) || from.numParams() != network.numParams()
                || from.layers().length != network.layers().length) {
            throw new IllegalArgumentException("the checkpoint " + path + " holds a " + from.kind() + " with " + from.layers().length
                    + " layers and " + from.numParams() + " parameters, but this model is a " + network.kind() + " with "
                    + network.layers().length + " layers and " + network.numParams() + ": resume with the same architecture");
        }
        network.setParams(from.params());
        INDArray state = from.updaterState();
        if (state != null) {
            network.updaterState().assign(state);
        }
        network.epochCount(from.epochCount());
        network.iterationCount(from.iterationCount());
        return history;
    }

    /** The history up to and including the saved epoch. */
    public History history() {
        return history;
    }

    /** The epoch (from 1) the checkpoint was saved after. */
    public int epoch() {
        return history.epochs();
    }

    /** DL4J writes both kinds with the same entries; only a graph's configuration lists vertices. */
    private static boolean isGraph(Path path) throws IOException {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            var entry = zip.getEntry(CONFIGURATION_ENTRY);
            if (entry == null) {
                throw new IllegalArgumentException("it has no " + CONFIGURATION_ENTRY);
            }
            try (var in = zip.getInputStream(entry)) {
                return NeuralNetConfiguration.mapper().readTree(in).has("vertices");
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the save already failed; that error is the one to report
        }
    }
}
