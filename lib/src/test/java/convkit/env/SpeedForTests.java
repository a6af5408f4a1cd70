package convkit.env;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Gives the tests the natives and helpers lessons get, by configuring {@link Speed} before any test loads ND4J. */
public class SpeedForTests implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Speed.configure();
    }
}
