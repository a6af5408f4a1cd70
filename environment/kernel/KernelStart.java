import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.logging.LogManager;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its own MainApp does, minus two start-up races that leave Jupyter
 * waiting for an answer (Notebook: 60 s, then "Timeout waiting for kernel_info reply"; nbclient: "Kernel didn't
 * respond"). A workaround for 3.0.1: remove this class when the kernel fixes them.
 *
 * <ol>
 * <li>{@code Channels.connect} binds the shell and control sockets, which starts their reading threads, and only
 *     afterwards fills its map of message handlers. Jupyter sends {@code kernel_info_request} before the kernel
 *     is up, so it is waiting in the socket the moment the socket is bound: a reading thread that got to it before
 *     the map was filled logged "Unhandled message: kernel_info_request" and dropped it, and Notebook waited its
 *     60 s for the answer. The reading threads take each message inside the channel's {@code synchronized
 *     readMessage}, so holding both channels' locks while {@code connect} runs makes them wait until every handler
 *     is in place: the first message is answered like any other.</li>
 * <li>{@code LoopThread.start()} sets its {@code running} flag only after {@code Thread.start()}, so a loop
 *     thread scheduled at once sees {@code running == false} and ends before it polls once: the shell, control or
 *     heartbeat channel then never answers. After connecting, each loop thread is watched until it is seen
 *     inside its loop (sleeping between polls, or waiting for a lock) or ended; one that ended that way is
 *     replaced by a new one whose flag is set before it starts.</li>
 * </ol>
 */
public final class KernelStart {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KernelStart <connection file>");
        }
        var kernel = MainApp.kernel;   // MainApp's static init builds the kernel (JShell and the classpath)
        LogManager.getLogManager().readConfiguration(MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        var properties = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        var channels = new Channels(properties);
        synchronized (field(Channels.class, "shell").get(channels)) {
            synchronized (field(Channels.class, "control").get(channels)) {
                channels.connect(kernel);
            }
        }
        restartLostLoops((Set<?>) field(Channels.class, "channels").get(channels));
        channels.joinUntilClose();
    }

    private static void restartLostLoops(Set<?> allChannels) throws Exception {
        Field running = field(LoopThread.class, "running");
        for (Object channel : allChannels) {
            for (Class<?> c = channel.getClass(); c != AbstractChannel.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getType() != LoopThread.class) {
                        continue;
                    }
                    f.setAccessible(true);
                    LoopThread loop = (LoopThread) f.get(channel);
                    if (loop == null || !endedAtStart(loop) || !running.getBoolean(loop)) {
                        continue;
                    }
                    var again = new LoopThread(loop.getName(), field(LoopThread.class, "sleep").getLong(loop),
                            (Runnable) field(LoopThread.class, "loopBody").get(loop));
                    running.setBoolean(again, true);
                    f.set(channel, again);
                    again.start();
                    System.err.println("KernelStart: restarted " + channel.getClass().getSimpleName() + "'s thread "
                            + loop.getName() + ", which ended at start-up");
                }
            }
        }
    }

    /**
     * Whether a loop thread ended without looping. Before its loop it only reads the flag, so a thread seen sleeping
     * or waiting is inside the loop for good; one still runnable after 10 s is busy in its loop (a thread that lost
     * the race ends as soon as it is scheduled).
     */
    private static boolean endedAtStart(Thread loop) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            switch (loop.getState()) {
                case TERMINATED:
                    return true;
                case TIMED_WAITING, WAITING, BLOCKED:
                    return false;
                default:
                    Thread.sleep(5);
            }
        }
        return false;
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
