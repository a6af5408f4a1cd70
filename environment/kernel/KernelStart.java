import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Set;
import java.util.logging.LogManager;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its own MainApp does, minus two start-up races that leave the kernel
 * silent ("Kernel didn't respond") on a busy machine. Remove this class when the kernel fixes them.
 *
 * <ol>
 * <li>{@code Channels.connect} binds the shell socket and only afterwards creates its map of message handlers.
 *     Jupyter sends {@code kernel_info_request} the moment the socket is bound, so the shell thread could read it
 *     while the map was still null and die of a NullPointerException. An empty map, set before connecting, turns
 *     that first message into an "unhandled message" log line; Jupyter asks again and is answered.</li>
 * <li>{@code LoopThread.start()} sets its {@code running} flag only after {@code Thread.start()}, so a loop thread
 *     scheduled at once sees {@code running == false} and ends before it polls once: the shell, control or
 *     heartbeat channel then never answers. After connecting, every loop thread that ended that way (dead, yet
 *     flagged running) is replaced by a new one whose flag is set before it starts.</li>
 * </ol>
 */
public final class KernelStart {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KernelStart <connection file>");
        }
        Class<?> mainApp = Class.forName("org.rapaio.jupyter.kernel.MainApp");   // its static init builds the kernel
        LogManager.getLogManager().readConfiguration(mainApp.getClassLoader().getResourceAsStream("logging.properties"));
        Class<?> propertiesClass = Class.forName("org.rapaio.jupyter.kernel.core.ConnectionProperties");
        Object properties = Class.forName("org.rapaio.jupyter.kernel.core.Transform")
                .getMethod("fromJson", String.class, Class.class)
                .invoke(null, Files.readString(Path.of(args[0])), propertiesClass);
        Class<?> channelsClass = Class.forName("org.rapaio.jupyter.kernel.channels.Channels");
        Object channels = channelsClass.getConstructor(propertiesClass).newInstance(properties);
        field(channelsClass, "handlers").set(channels, new HashMap<>());   // like connect()'s own: get(null) is fine
        Object kernel = field(mainApp, "kernel").get(null);
        channelsClass.getMethod("connect", kernel.getClass()).invoke(channels, kernel);
        for (int check = 0; check < 3; check++) {
            Thread.sleep(200);   // a loop thread that lost the race ends within microseconds
            restartLostLoops((Set<?>) field(channelsClass, "channels").get(channels));
        }
        channelsClass.getMethod("joinUntilClose").invoke(channels);
    }

    private static void restartLostLoops(Set<?> allChannels) throws Exception {
        Class<?> loopClass = Class.forName("org.rapaio.jupyter.kernel.channels.LoopThread");
        Field running = field(loopClass, "running");
        for (Object channel : allChannels) {
            for (Class<?> c = channel.getClass(); c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getType() != loopClass) {
                        continue;
                    }
                    f.setAccessible(true);
                    Thread loop = (Thread) f.get(channel);
                    if (loop == null || loop.isAlive() || !running.getBoolean(loop)) {
                        continue;
                    }
                    Thread again = (Thread) loopClass.getConstructor(String.class, long.class, Runnable.class)
                            .newInstance(loop.getName(), field(loopClass, "sleep").getLong(loop),
                                    field(loopClass, "loopBody").get(loop));
                    running.setBoolean(again, true);
                    f.set(channel, again);
                    again.start();
                    System.err.println("KernelStart: restarted " + loop.getName() + ", which ended at start-up");
                }
            }
        }
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
