package convkit.bench;

import convkit.augment.Augmentation;
import convkit.data.ImageFolder;
import convkit.data.ImageSet;
import convkit.env.Backend;
import convkit.galaxy.GalaxyModels;
import convkit.models.FastAdam;
import convkit.models.Models;
import convkit.training.SideBySide;
import convkit.training.Training;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * DL4J's side of {@code make bench}: trains and runs the course's models through the library the way lessons do,
 * and measures GEMM, the data pipeline and peak memory. Prints {@code key=value} lines (environment/bench.sh
 * collects them with PyTorch's and writes the table).
 *
 * <pre>{@code
 * java -cp ... convkit.bench.Bench speed build/bench/dl4j.txt    // throughput (raw and via Training), BLAS, GEMM, data pipeline
 * java -cp ... convkit.bench.Bench memory build/bench/dl4j-memory.txt   // peak RSS training the seed CNN at batch 128
 * }</pre>
 */
public final class Bench {

    private static final double SECONDS = Double.parseDouble(System.getenv().getOrDefault("BENCH_SECONDS", "6"));
    private final PrintStream out;

    private Bench(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        String what = args[0];
        Path file = Path.of(args[1]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true)) {
            Bench bench = new Bench(out);
            if (what.equals("memory")) {
                bench.memory();
            } else if (what.equals("profile")) {
                bench.profile(args[2]);
            } else {
                bench.speed();
            }
        }
    }

    private void speed() {
        Backend backend = Backend.current();
        put("threads", Nd4j.getEnvironment().maxMasterThreads());
        put("onednn", backend.details().get("oneDNN"));
        put("blas", blas());
        put("gemm_gflops", gemmGflops());
        for (Workload w : Workload.LESSONS) {
            ImageSet data = randomSet(w.batch * w.steps, w.channels, w.size, w.size, w.classes);
            put("lesson_" + w.key + "_raw", trainRate(w.model.get(), data, w.batch));
            put("lesson_" + w.key, trainingRate(w.model.get(), data, w.batch));
        }
        for (String key : Workload.PAIRS) {
            put("pair_" + key, pairRate(Workload.named(key)));
        }
        for (String model : List.of("cnn", "mlp")) {
            for (int batch : new int[] {64, 128}) {
                MultiLayerNetwork net = model.equals("cnn") ? Models.seedCnn(28, 28, 1, 10) : Models.mlp(28, 28, 1, 10);
                ImageSet data = randomSet(batch * 40, 1, 28, 28, 10);
                put(model + "_flops_per_image_train", trainingFlops(net, InputType.convolutional(28, 28, 1)));
                put(model + "_train_b" + batch, trainRate(net, data, batch));
                put(model + "_infer_b" + batch, inferRate(net, data, batch));
            }
        }
        long mlpParameters = Models.mlp(28, 28, 1, 10).numParams();
        put("adam_mlp_steps", adamRate(new FastAdam(1e-3), mlpParameters));
        put("adam_nd4j_mlp_steps", adamRate(new Adam(1e-3), mlpParameters));
        ImageSet mnist = randomSet(60_000, 1, 28, 28, 10);
        put("pipeline_mnist_b128", pipelineRate(mnist, 128));
        MultiLayerNetwork rgb = Models.seedCnn(50, 50, 3, 10);
        put("cnn50rgb_train_b64", trainRate(rgb, randomSet(64 * 20, 3, 50, 50, 10), 64));
        put("pipeline_png50rgb", pngRate(2000));
    }

    /**
     * Trains one lesson workload (a key of {@link Workload#LESSONS}) through {@link Training} for BENCH_SECONDS after two
     * warm-up epochs, with async-profiler recording only the measured part when {@code -Dconvkit.profiler=<agent .so>}
     * and {@code -Dconvkit.profile=<output>} are given (environment/profile.sh), and prints its rate.
     */
    private void profile(String key) {
        Workload w = Workload.named(key);
        ImageSet data = randomSet(w.batch * w.steps, w.channels, w.size, w.size, w.classes);
        String agent = System.getProperty("convkit.profiler"), output = System.getProperty("convkit.profile");
        put("profile_" + w.key, trainingRate(w.model.get(), data, w.batch, () -> profiler(agent,
                "start,event=" + System.getProperty("convkit.profile.event", "cpu") + ",interval=1ms,threads,cstack=vm")));
        if (agent != null) {
            profiler(agent, "dump,file=" + output + ",collapsed");
            profiler(agent, "stop,file=" + output.replace(".collapsed", ".html"));
        }
    }

    /** Runs an async-profiler command through its Java API (from the ap-loader jar on the class path), if asked to. */
    private static void profiler(String agent, String command) {
        if (agent == null) {
            return;
        }
        try {
            Class<?> type = Class.forName("one.profiler.AsyncProfiler");
            Object profiler = type.getMethod("getInstance", String.class).invoke(null, agent);
            type.getMethod("execute", String.class).invoke(profiler, command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("async-profiler: " + command + " failed: " + e.getCause(), e);
        }
    }

    /** Peak resident memory of this process after training the seed CNN at batch 128 for a while. */
    private void memory() throws IOException {
        MultiLayerNetwork net = Models.seedCnn(28, 28, 1, 10);
        ImageSet data = randomSet(128 * 40, 1, 28, 28, 10);
        trainRate(net, data, 128);
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                put("peak_rss_mb_cnn_b128", Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
            }
        }
    }

    /**
     * The lessons' own models at the lessons' batch sizes (issue 13): the same keys, models and sizes as in
     * environment/bench_torch.py. {@code steps} batches make one pass, a few seconds long.
     */
    record Workload(String key, Supplier<MultiLayerNetwork> model, int size, int channels, int classes, int batch, int steps) {
        static final List<Workload> LESSONS = List.of(
                new Workload("cnn_b32", () -> Models.seedCnn(28, 28, 1, 10), 28, 1, 10, 32, 40),
                new Workload("cnn_b256", () -> Models.seedCnn(28, 28, 1, 10), 28, 1, 10, 256, 10),
                new Workload("mlp_b32", () -> Models.mlp(28, 28, 1, 10), 28, 1, 10, 32, 200),
                new Workload("galaxy_tutorial_b3", () -> GalaxyModels.tutorial(50), 50, 3, 3, 3, 50),
                new Workload("galaxy_practice1_b16", () -> GalaxyModels.practice1(50), 50, 3, 3, 16, 30),
                new Workload("galaxy_practice4w4_b16", () -> GalaxyModels.practice4(50, 4), 50, 3, 3, 16, 15));

        /** Lesson 06 trains these side by side ({@link SideBySide}: one model per core at a time, one thread each). */
        static final List<String> PAIRS = List.of("galaxy_practice1_b16", "galaxy_practice4w4_b16");

        static Workload named(String key) {
            return LESSONS.stream().filter(l -> l.key.equals(key)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "no workload " + key + "; the workloads are " + LESSONS.stream().map(Workload::key).toList()));
        }
    }

    /** Epochs each model of a side-by-side pair trains, timed, after a warm-up epoch of one model alone. */
    static final int PAIR_EPOCHS = 3;

    /**
     * Images/s of two models of workload {@code w} trained at once with {@link SideBySide}, as lesson 06 trains its
     * practice models: all images of both over the time until the later one ends.
     */
    static double pairRate(Workload w) {
        ImageSet data = randomSet(w.batch * w.steps, w.channels, w.size, w.size, w.classes);
        Training.of(w.model.get()).epochs(1).batchSize(w.batch).livePlot(false).fit(data);
        long start = System.nanoTime();
        SideBySide.of(Training.of(w.model.get()).epochs(PAIR_EPOCHS).batchSize(w.batch).livePlot(false),
                Training.of(w.model.get()).epochs(PAIR_EPOCHS).batchSize(w.batch).seed(43).livePlot(false)).fit(data, null);
        return 2.0 * PAIR_EPOCHS * data.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Images per second through {@link Training} as lessons call it (live plot off), one epoch per call, after two warm-up epochs. */
    static double trainingRate(MultiLayerNetwork net, ImageSet data, int batch) {
        return trainingRate(net, data, batch, () -> { });
    }

    /** The same, with {@code afterWarmUp} run between the warm-up epochs (two) and the measured ones. */
    static double trainingRate(MultiLayerNetwork net, ImageSet data, int batch, Runnable afterWarmUp) {
        Supplier<Integer> epoch = () -> {
            Training.of(net).epochs(1).batchSize(batch).seed(42).livePlot(false).fit(data);
            return data.size();
        };
        epoch.get();
        epoch.get();
        afterWarmUp.run();
        return rate(epoch);
    }

    /** Which BLAS ND4J calls for GEMM: its vendor and the native library loaded for it. */
    static String blas() {
        String vendor = Nd4j.factory().blas().getBlasVendor().name();
        String libraries = org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("jni") && (e.getKey().contains("openblas") || e.getKey().contains("mkl")))
                .map(e -> Path.of(e.getValue()).getFileName().toString()).sorted().collect(java.util.stream.Collectors.joining(", "));
        return vendor + " (" + (libraries.isEmpty() ? "no BLAS library found loaded" : libraries) + ")";
    }

    /** Images per second over full passes of {@code fit(batches)}, as lessons call it, after one warm-up pass. */
    static double trainRate(MultiLayerNetwork net, ImageSet data, int batch) {
        DataSetIterator it = data.batches(batch, true, 42);
        net.fit(it);
        return rate(() -> {
            net.fit(it);
            return data.size();
        });
    }

    static double inferRate(MultiLayerNetwork net, ImageSet data, int batch) {
        INDArray x = data.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batch)).dup();
        net.output(x);
        return rate(() -> {
            for (int i = 0; i < 10; i++) {
                net.output(x);
            }
            return 10 * batch;
        });
    }

    static double pipelineRate(ImageSet data, int batch) {
        return rate(() -> {
            DataSetIterator it = data.batches(batch, true, 42);
            int n = 0;
            while (it.hasNext()) {
                n += it.next().numExamples();
            }
            return n;
        });
    }

    /**
     * 50x50 RGB PNGs decoded and augmented as lesson 05 does: ImageIO decode, {@link ImageFolder#of} to an ImageSet,
     * then {@link Augmentation} batches of 64 (rotation 15 degrees, zoom, shifts 0.1, horizontal flips).
     */
    static double pngRate(int count) {
        Random random = new Random(1);
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 50; y++) {
                for (int x = 0; x < 50; x++) {
                    image.setRGB(x, y, (x * 5 + i) << 16 | (y * 5) << 8 | random.nextInt(256));
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                ImageIO.write(image, "png", bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            pngs.add(bytes.toByteArray());
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 2;
        }
        Augmentation augment = new Augmentation().rotation(15).zoom(0.1).widthShift(0.1).heightShift(0.1).horizontalFlip();
        return rate(() -> {
            BufferedImage[] pictures = new BufferedImage[count];
            for (int i = 0; i < count; i++) {
                try {
                    pictures[i] = ImageIO.read(new ByteArrayInputStream(pngs.get(i)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            DataSetIterator it = augment.batches(ImageFolder.of("png", pictures, labels, List.of("a", "b")), 64, true, 42);
            int n = 0;
            while (it.hasNext()) {
                n += it.next().numExamples();
            }
            return n;
        });
    }

    /** Best fp32 GEMM rate over square sizes 256 to 2048, in GFLOP/s (2n^3 FLOPs per product). */
    static double gemmGflops() {
        double best = 0;
        for (int n : new int[] {256, 512, 1024, 2048}) {
            INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
            INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
            INDArray c = Nd4j.create(DataType.FLOAT, n, n);
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            int reps = Math.max(1, (int) (2e9 / (2.0 * n * n * n)));
            double products = rate(() -> {
                for (int i = 0; i < reps; i++) {
                    Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                }
                return reps;
            });
            best = Math.max(best, products * 2.0 * n * n * n / 1e9);
        }
        return best;
    }

    /**
     * Multiply-add FLOPs to train on one image: forward conv and dense layers (2 x MACs), and twice that backward
     * (input and weight gradients) except the first layer, which needs no input gradient.
     */
    static double trainingFlops(MultiLayerNetwork net, InputType input) {
        List<InputType> outputs = net.getLayerWiseConfigurations().getLayerActivationTypes(input);
        double total = 0;
        for (int i = 0; i < outputs.size(); i++) {
            var layer = net.getLayerWiseConfigurations().getConf(i).getLayer();
            double forward = 0;
            if (layer instanceof ConvolutionLayer conv) {
                var out = (InputType.InputTypeConvolutional) outputs.get(i);
                forward = 2.0 * out.getHeight() * out.getWidth() * conv.getNOut() * conv.getNIn()
                        * conv.getKernelSize()[0] * conv.getKernelSize()[1];
            } else if (layer instanceof FeedForwardLayer dense) {
                forward = 2.0 * dense.getNIn() * dense.getNOut();
            }
            total += forward * (i == 0 ? 2 : 3);
        }
        return total;
    }

    /** Adam steps per second on {@code parameters} parameters (gradient given), as the network's updater makes them. */
    static double adamRate(Adam adam, long parameters) {
        Nd4j.getRandom().setSeed(1);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 1, parameters).subi(0.5).muli(1e-3);
        GradientUpdater<?> updater = adam.instantiate(Nd4j.zeros(DataType.FLOAT, 1, 2 * parameters), true);
        int[] iteration = {0};
        return rate(() -> {
            updater.applyUpdater(gradient, iteration[0]++, 0);
            return 1;
        });
    }

    /** Repeats {@code work} (which returns how many items it did) for about BENCH_SECONDS; items per second. */
    static double rate(Supplier<Integer> work) {
        long items = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            items += work.get();
            elapsed = System.nanoTime() - start;
        } while (elapsed < SECONDS * 1e9);
        return items / (elapsed / 1e9);
    }

    static ImageSet randomSet(int n, int channels, int height, int width, int classes) {
        Nd4j.getRandom().setSeed(1);
        INDArray images = Nd4j.rand(DataType.FLOAT, n, channels, height, width);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, classes);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class " + c);
        }
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        return new ImageSet("random", images, labels, names);
    }

    private void put(String key, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(value);
        out.println(key + "=" + text);
        System.out.println(key + "=" + text);
    }
}
