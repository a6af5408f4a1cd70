package convkit.data;

import java.util.concurrent.TimeUnit;

/** For tests of the clean-up of temporary files: a writer process that has ended, and the names it left. */
public final class EndedWriter {

    private EndedWriter() {
    }

    /** The id of a process that has ended. */
    public static long pid() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        long pid = sleeper.pid();
        sleeper.destroyForcibly();
        sleeper.waitFor(30, TimeUnit.SECONDS);
        return pid;
    }

    /** {@code .<target>.<pid>@<this machine>.<n>.part}: what {@link TempFiles} names a temporary file of {@code pid}. */
    public static String tempName(String target, long pid, int n) {
        return "." + target + "." + pid + "@" + TempFiles.HOST + "." + n + ".part";
    }
}
