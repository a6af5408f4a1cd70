package convkit.training;

import convkit.data.DataFiles;
import convkit.data.TempFiles;
import convkit.env.Mode;
import convkit.env.Require;
import convkit.models.Network;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
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
    /** Where ModelSerializer keeps added objects inside its zip. */
    private static final String OBJECTS_FOLDER = "objects/";
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

    /**
     * The same with one more object stored under {@code entry} (a resumable state), in the same atomic write. Both
     * temporary files sit beside the target and carry this process's id, so a kernel killed while saving leaves
     * nothing the next start does not remove.
     */
    static void save(Path path, NeuralNetwork network, History history, String entry, Object extra) {
        Require.notNull(path, "the checkpoint path", "give the .zip file to write, e.g. Checkpoint.folder(\"03-mlp-vs-cnn\").resolve(\"cnn.zip\")");
        Model model = Network.of(Require.notNull(network, "the network to save", "pass the network you trained")).model();
        Path target = path.toAbsolutePath();
        Path folder = target.getParent();
        Path weights = null;
        Path temp = null;
        try {
            TempFiles.clean(folder);
            weights = TempFiles.beside(target);
            ModelSerializer.writeModel(model, weights.toFile(), true);
            temp = TempFiles.beside(target);
            copyWithObjects(weights, history, entry, extra, temp);
            TempFiles.publish(temp, target);
        } catch (IOException | RuntimeException e) {
            IOException io = ioCause(e);
            throw new IllegalStateException("could not save the checkpoint " + target + " ("
                    + (io != null ? TempFiles.why(io, folder) : e.getMessage())
                    + "); the previous checkpoint, if any, is unchanged", e);
        } finally {
            TempFiles.deleteQuietly(weights);
            TempFiles.deleteQuietly(temp);
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
            probe = TempFiles.beside(target);   // creates the folder too
        } catch (IOException | RuntimeException e) {
            IOException io = ioCause(e);
            throw new IllegalArgumentException("cannot write the checkpoint " + target + " ("
                    + (io != null ? TempFiles.why(io, target.getParent()) : e.getMessage())
                    + "): nothing was trained; choose a file in a folder you can write, e.g. "
                    + "Checkpoint.folder(\"my-lesson\").resolve(\"best.zip\")", e);
        } finally {
            TempFiles.deleteQuietly(probe);
        }
    }

    /**
     * DL4J's model file plus the history (and {@code extra} under {@code entry} when given), as
     * {@code ModelSerializer.addObjectToFile} writes them (read back by {@code getObjectFromFile}), but in one pass
     * and without the whole-model copy that method leaves in the system's temp folder, compressed at the fastest level.
     */
    private static void copyWithObjects(Path model, History history, String entry, Object extra, Path out) throws IOException {
        try (ZipFile zip = new ZipFile(model.toFile());
             ZipOutputStream copy = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
            // weights hardly compress: deflating them again at the default level took as long as DL4J's whole
            // write (0.6 s of a 1.2 s save of lesson 03's CNN with Adam's state)
            copy.setLevel(Deflater.BEST_SPEED);
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry file = entries.nextElement();
                copy.putNextEntry(new ZipEntry(file.getName()));
                try (var in = zip.getInputStream(file)) {
                    in.transferTo(copy);
                }
                copy.closeEntry();
            }
            putObject(copy, HISTORY_ENTRY, history);
            if (entry != null) {
                putObject(copy, entry, extra);
            }
        }
    }

    private static void putObject(ZipOutputStream zip, String entry, Object value) throws IOException {
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(serialized)) {
            objects.writeObject(value);
        }
        zip.putNextEntry(new ZipEntry(OBJECTS_FOLDER + entry));
        serialized.writeTo(zip);
        zip.closeEntry();
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
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
        requireLessonSpelledRight(name);
        Path folder = DataFiles.cacheFolder().resolve("checkpoints").resolve(Mode.current().label()).resolve(name);
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint folder " + folder + " ("
                    + TempFiles.why(e, folder.getParent()) + "): set " + DataFiles.CACHE_VARIABLE + " to a writable folder", e);
        }
    }

    /**
     * A name that looks like a lesson's ("06-galaxy-clasification", "galaxy-classification") but is none of the
     * lessons in {@code notebooks/} is a typo: it would quietly start an empty folder and miss the lesson's models.
     * Names far from every lesson ("my-experiments") are the learner's own folders and pass.
     */
    private static void requireLessonSpelledRight(String name) {
        List<String> lessons = lessons();
        if (lessons.isEmpty() || lessons.contains(name)) {
            return;
        }
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String lesson : lessons) {
            String topic = lesson.replaceFirst("^\\d+-", "");
            int distance = Math.min(distance(name, lesson), distance(name.replaceFirst("^\\d+-", ""), topic));
            if (distance < best) {
                best = distance;
                closest = lesson;
            }
        }
        boolean numbered = name.matches("\\d\\d-.*");
        if (numbered || best <= 3) {
            throw new IllegalArgumentException("there is no lesson \"" + name + "\": did you mean \"" + closest
                    + "\"? The lessons are " + String.join(", ", lessons) + ". For a folder of your own, choose a name"
                    + " that is not a lesson's, e.g. \"my-" + closest.replaceFirst("^\\d+-", "") + "\"");
        }
    }

    /** The lessons, the notebooks' names in {@code notebooks/}; none when the kit runs outside its repository. */
    private static List<String> lessons() {
        try (var files = Files.list(DataFiles.home().resolve("notebooks"))) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".ipynb"))
                    .map(f -> f.substring(0, f.length() - ".ipynb".length())).sorted().toList();
        } catch (IOException | IllegalStateException e) {
            return List.of();
        }
    }

    /** Edits (insert, delete, replace one character) that turn {@code a} into {@code b}. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Reads a checkpoint written by {@link #save} (or by training with {@code .checkpoint(path)}). */
    public static Checkpoint load(Path path) {
        return read(path, true, "Checkpoint.load(path)");
    }

    /**
     * The saved network alone, without the optimizer's state (Adam keeps two numbers per weight): enough to evaluate
     * or predict, in a third of the memory {@link #load} takes for a model trained with Adam. Training it again
     * starts the optimizer afresh; to go on from the checkpoint use {@link #load} or Training's {@code resume}.
     */
    public static NeuralNetwork loadModel(Path path) {
        return read(path, false, "Checkpoint.loadModel(path)").model();
    }

    private static Checkpoint read(Path path, boolean withOptimizer, String call) {
        Require.notNull(path, call, "give the .zip file that Training's .checkpoint(path) wrote,"
                + " e.g. Checkpoint.folder(\"03-mlp-vs-cnn\").resolve(\"cnn-best.zip\")");
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no checkpoint at " + path.toAbsolutePath()
                    + ": train with .checkpoint(path) first, or check the path");
        }
        try {
            NeuralNetwork model = isGraph(path) ? ModelSerializer.restoreComputationGraph(path.toFile(), withOptimizer)
                    : ModelSerializer.restoreMultiLayerNetwork(path.toFile(), withOptimizer);
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
}
