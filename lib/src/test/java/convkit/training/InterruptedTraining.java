package convkit.training;

import java.nio.file.Path;

/**
 * {@link ResumeTest}'s training in a JVM of its own, so that the test can kill it with {@code kill -9} between two
 * epochs, as a crashed kernel or a closed laptop would: it announces the epoch it is about to train, then waits.
 */
public final class InterruptedTraining {

    private InterruptedTraining() {
    }

    /** {@code args}: the checkpoint file, and the epoch before which to wait to be killed. */
    public static void main(String[] args) throws Exception {
        int killBefore = Integer.parseInt(args[1]);
        ResumeState.writeShare = Double.POSITIVE_INFINITY;     // every epoch written, however short: epochs 1-2 are on disk
        ResumeTest.training(ResumeTest.withDropout(), Path.of(args[0])).callbacks(Callback.atEpochBegin(run -> {
            if (run.epoch() == killBefore) {
                System.out.println(ResumeTest.WAITING + killBefore);
                System.out.flush();
                sleep();
            }
        })).fit(ResumeTest.TRAIN, ResumeTest.MISLEADING);
        System.out.println("not killed: the test should have stopped this JVM");
    }

    private static void sleep() {
        try {
            Thread.sleep(300_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
