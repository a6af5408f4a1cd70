import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.LogManager;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its own MainApp does, minus a start-up race.
 *
 * <p>Its {@code Channels.connect} binds the shell socket and only afterwards creates the map of message handlers.
 * Jupyter sends {@code kernel_info_request} the moment the socket is bound, so on a busy machine the shell thread
 * often reads the message while the map is still null, dies of a NullPointerException, and the kernel never
 * answers ("Kernel didn't respond"). Giving the map an empty value before connecting turns that first message
 * into an "unhandled message" log line; Jupyter asks again and is answered. Remove this class when the kernel
 * creates its handlers before binding.
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
        Field handlers = channelsClass.getDeclaredField("handlers");
        handlers.setAccessible(true);
        handlers.set(channels, new ConcurrentHashMap<>());
        Field kernelField = mainApp.getDeclaredField("kernel");
        kernelField.setAccessible(true);
        Object kernel = kernelField.get(null);
        channelsClass.getMethod("connect", kernel.getClass()).invoke(channels, kernel);
        channelsClass.getMethod("joinUntilClose").invoke(channels);
    }
}
