package convkit.training;

import convkit.data.ImageSet;
import convkit.env.Backend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Trains several models at once, each on its own share of the processor's threads, and returns their histories in
 * the order given. Small models gain little from a second thread inside DL4J (practice model 1 of lesson 06 at batch
 * 16 trained at about 230 images/s on one thread and 200-250 on two, on a 2-core machine), so on 2 cores two of them
 * side by side, one thread each, finish in about 0.55-0.65 of the time one after the other takes.
 * Each model keeps the same number of threads from its first batch to its last, so its figures do not depend on
 * which model finishes first; the models share nothing else (each has its own random stream, data order and files).
 *
 * <pre>{@code
 * List<History> h = SideBySide.of(
 *         Training.of(practice1).name("Practice model 1").epochs(6).batchSize(16),
 *         Training.of(practice2).name("Practice model 2").epochs(6).batchSize(16))
 *     .fit(train, validation);
 * }</pre>
 * At most one model per thread trains at a time (two on a 2-core machine); the rest wait their turn in the order
 * given, so a race of seven networks keeps both cores busy without crowding them. When one training fails, the
 * others stop after their current batch, those not started yet do not start, and the error names the model that failed.
 */
public final class SideBySide {

    private final List<Training> trainings;

    private SideBySide(List<Training> trainings) {
        this.trainings = trainings;
    }

    /** The trainings to run together, as a list (a loop can build it, one training per network). */
    public static SideBySide of(List<Training> trainings) {
        return of(trainings == null ? null : trainings.toArray(Training[]::new));
    }

    /** The trainings to run together (at least one; each describes its own model, epochs and callbacks). */
    public static SideBySide of(Training... trainings) {
        if (trainings == null || trainings.length == 0) {
            throw new IllegalArgumentException("give the trainings to run side by side, e.g. SideBySide.of(Training.of(a).epochs(6),"
                    + " Training.of(b).epochs(6))");
        }
        List<Training> list = new ArrayList<>();
        for (Training t : trainings) {
            if (t == null) {
                throw new IllegalArgumentException("training " + (list.size() + 1) + " of " + trainings.length
                        + " is null: pass Training.of(model)... for every model");
            }
            if (list.stream().anyMatch(other -> other.network().network() == t.network().network())) {
                throw new IllegalArgumentException("the same model is given twice: each training needs its own model");
            }
            list.add(t);
        }
        return new SideBySide(list);
    }

    /** How many models train at once: one per ND4J thread, at most as many as there are trainings. */
    public int atOnce() {
        return Math.max(1, Math.min(trainings.size(), Nd4j.getEnvironment().maxMasterThreads()));
    }

    /** Threads each training gets: ND4J's threads divided among the models training at once, at least one. */
    public int threadsEach() {
        return Math.max(1, Nd4j.getEnvironment().maxMasterThreads() / atOnce());
    }

    /**
     * Trains every model on {@code train}, validating each epoch on {@code validation} (or null); the histories in
     * the order given. At most {@link #atOnce()} models train at the same time; the others wait, in the order given,
     * for one of them to finish.
     */
    public List<History> fit(ImageSet train, ImageSet validation) {
        if (trainings.size() == 1) {   // nothing to share: the calling thread trains, as Training.fit does
            return List.of(trainings.get(0).fit(train, validation));
        }
        int lanes = atOnce();
        int threads = threadsEach();
        boolean cpu = !Backend.current().gpu();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        List<FutureTask<History>> tasks = new ArrayList<>();
        for (Training t : trainings) {
            tasks.add(new FutureTask<>(() -> {
                if (stop.get()) {
                    throw new CancellationException("not started: another training failed or was stopped");
                }
                try {
                    return t.abortWhen(stop::get).fit(train, validation);
                } catch (RuntimeException | Error e) {
                    stop.set(true);   // the others end after their current batch
                    throw e;
                } finally {
                    t.abortWhen(null);
                }
            }));
        }
        ThreadShares saved = ThreadShares.set(threads, cpu);
        try {
            for (int lane = 0; lane < lanes; lane++) {
                Thread worker = new Thread(() -> {
                    if (cpu) {   // this worker's OpenMP threads: oneDNN's layers read them per calling thread
                        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
                    }
                    for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
                        tasks.get(i).run();   // a failure is kept in its task
                    }
                }, "side-by-side-" + (lane + 1));
                worker.setDaemon(true);
                worker.start();
            }
            List<History> histories = new ArrayList<>();
            RuntimeException failure = null;
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    histories.add(waitFor(tasks.get(i), stop));
                } catch (ExecutionException e) {
                    if (failure == null || failure instanceof CancellationException) {
                        failure = named(trainings.get(i), e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return histories;
        } finally {
            stop.set(true);
            saved.restore();
        }
    }

    /**
     * As {@link #fit}, with each history under its training's {@link Training#name name}, in the order given, so that a
     * loop over several networks can read them back by name. Every training needs a name of its own; a missing or
     * repeated name is refused before anything trains.
     * <pre>{@code
     * var runs = SideBySide.of(trainings).fitByName(train, null);
     * runs.get("ResNet-18").last("loss");
     * }</pre>
     */
    public Map<String, History> fitByName(ImageSet train, ImageSet validation) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < trainings.size(); i++) {
            String name = trainings.get(i).name();
            if (name.isBlank()) {
                throw new IllegalArgumentException("training " + (i + 1) + " of " + trainings.size()
                        + " has no name: give each one with .name(\"...\") to read its history by name, or call fit for a list");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("two trainings are named \"" + name + "\": give each its own name");
            }
        }
        List<History> histories = fit(train, validation);
        Map<String, History> byName = new LinkedHashMap<>();
        for (int i = 0; i < trainings.size(); i++) {
            byName.put(trainings.get(i).name(), histories.get(i));
        }
        return Collections.unmodifiableMap(byName);
    }

    /** The task's result; an interruption of the waiting cell (the notebook's stop button) stops every training. */
    private static History waitFor(FutureTask<History> task, AtomicBoolean stop) throws ExecutionException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("stopped: the trainings side by side end after their current batch");
        } catch (Error e) {   // JShell stops a cell by stopping its thread
            stop.set(true);
            throw e;
        }
    }

    private RuntimeException named(Training training, Throwable cause) {
        String name = training.displayName();
        if (cause instanceof CancellationException) {
            return new CancellationException(name + ": " + cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException) {
            return new IllegalArgumentException(name + ": " + cause.getMessage(), cause);
        }
        return new IllegalStateException(name + " failed: " + cause, cause);
    }

    /**
     * ND4J's threads for its own operations and OpenBLAS's, which are per process: set for the trainings, then put
     * back. (ND4J 1.0.0-M2.1 ignores a lower {@code setMaxThreads}; its operations split across the master threads.)
     */
    private record ThreadShares(int masterThreads, int blasThreads, boolean cpu) {

        static ThreadShares set(int threads, boolean cpu) {
            var env = Nd4j.getEnvironment();
            ThreadShares saved = new ThreadShares(env.maxMasterThreads(), cpu ? Nd4j.factory().blas().getMaxThreads() : 0, cpu);
            env.setMaxMasterThreads(threads);
            if (cpu) {
                Nd4j.factory().blas().setMaxThreads(threads);
            }
            return saved;
        }

        void restore() {
            Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
            if (cpu) {
                Nd4j.factory().blas().setMaxThreads(blasThreads);
            }
        }
    }
}
