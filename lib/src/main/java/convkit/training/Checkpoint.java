package convkit.training;

import convkit.data.DataFiles;
import convkit.env.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A saved model (weights, optimizer state) with the {@link History} up to the epoch it was saved at, like the
 * file Keras' {@code ModelCheckpoint(save_best_only=True)} writes. Saving writes a temporary file next to the
 * target and then moves it over the old one, so an interrupted or failed save never destroys a good checkpoint.
 *
 * <pre>{@code
 * Training.of(cnn).checkpoint(Path.of("best.zip"), "val_accuracy").fit(train, test);
 * Checkpoint best = Checkpoint.load(Path.of("best.zip"));
 * best.epoch();          // the epoch with the highest validation accuracy
 * best.model();          // ready to predict or to train on
 * Checkpoint.load(Path.of("vgg16-best.zip")).graph();   // the same for a ComputationGraph (zoo networks)
 * var models = Checkpoint.folder("06-galaxy-classification");   // where a lesson keeps its checkpoints
 * }</pre>
 */
public final class Checkpoint {

    private static final String HISTORY_ENTRY = "convkit-history";
    /** The entry of DL4J's model file that says which kind of network it holds. */
    private static final String CONFIGURATION_ENTRY = "configuration.json";

    private final Model network;
    private final History history;

    private Checkpoint(Model network, History history) {
        this.network = network;
        this.history = history;
    }

    /** Saves the model (with its optimizer state) and its history to {@code path}, replacing the old file only on success. */
    public static void save(Path path, MultiLayerNetwork model, History history) {
        save(path, (Model) model, history);
    }

    /** The same for a {@link ComputationGraph}; {@link #load} gives it back with {@link #graph()}. */
    public static void save(Path path, ComputationGraph model, History history) {
        save(path, (Model) model, history);
    }

    /** Saves either kind; {@link Training} passes the network it trains. */
    static void save(Path path, Model model, History history) {
        Path target = path.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
            ModelSerializer.writeModel(model, temp.toFile(), true);
            ModelSerializer.addObjectToFile(temp.toFile(), HISTORY_ENTRY, history);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw new IllegalStateException("could not save the checkpoint " + target + " (" + e.getMessage()
                    + "); the previous checkpoint, if any, is unchanged", e);
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
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no checkpoint at " + path.toAbsolutePath()
                    + ": train with .checkpoint(path) first, or check the path");
        }
        try {
            Model model = isGraph(path) ? ModelSerializer.restoreComputationGraph(path.toFile(), true)
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

    /** The saved {@link MultiLayerNetwork} (a checkpoint of a {@link ComputationGraph} gives its network with {@link #graph()}). */
    public MultiLayerNetwork model() {
        if (network instanceof MultiLayerNetwork model) {
            return model;
        }
        throw new IllegalStateException("this checkpoint holds a ComputationGraph: use graph()");
    }

    /** The saved {@link ComputationGraph}. */
    public ComputationGraph graph() {
        if (network instanceof ComputationGraph graph) {
            return graph;
        }
        throw new IllegalStateException("this checkpoint holds a MultiLayerNetwork: use model()");
    }

    /** The saved network, whichever kind it is. */
    Model network() {
        return network;
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
