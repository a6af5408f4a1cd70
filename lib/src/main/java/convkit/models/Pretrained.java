package convkit.models;

import convkit.data.DataFiles;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.commons.io.FileUtils;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;

/**
 * ImageNet networks from DL4J's model zoo (VGG16, ResNet50), their weights kept in the course's data cache under
 * {@code zoo/}. The weights come from DL4J's download site, or from a mirror named by {@code CONVKIT_ZOO_URL}; when
 * neither is reachable the message says where to put the file.
 *
 * <pre>{@code
 * if (Pretrained.cached("vgg16")) {
 *     ComputationGraph vgg16 = Pretrained.vgg16();     // 138 M parameters, ImageNet weights
 * }
 * }</pre>
 */
public final class Pretrained {

    /** Environment variable (or system property {@code convkit.zoo.url}) with the base URL of a zoo mirror. */
    public static final String URL_VARIABLE = "CONVKIT_ZOO_URL";

    /** DL4J's own download site, used when no mirror is set. */
    private static final String DL4J_URL = DL4JResources.getBaseDownloadURL();

    private Pretrained() {
    }

    /** VGG16 with ImageNet weights (224x224x3 inputs, Caffe-style preprocessing: BGR minus the ImageNet means). */
    public static ComputationGraph vgg16() {
        return load("vgg16");
    }

    /** ResNet50 with ImageNet weights (224x224x3 inputs). */
    public static ComputationGraph resnet50() {
        return load("resnet50");
    }

    /** True when the ImageNet weights of {@code model} ("vgg16" or "resnet50") are already in the cache. */
    public static boolean cached(String model) {
        return Files.isRegularFile(file(model));
    }

    /** Where the weights of {@code model} are (or would be) cached. */
    public static Path file(String model) {
        ZooModel zoo = zoo(model);
        configure();
        String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
        return DL4JResources.getDirectory(ResourceType.ZOO_MODEL, zoo.modelName()).toPath()
                .resolve(new File(url).getName());
    }

    /** The ImageNet network {@code model}; downloads its weights into the cache first if need be. */
    public static ComputationGraph load(String model) {
        ZooModel zoo = zoo(model);
        Path file = file(model);
        String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
        if (!Files.isRegularFile(file)) {
            download(model, url, file);
        }
        try {
            return (ComputationGraph) zoo.initPretrained(PretrainedType.IMAGENET);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the cached weights " + file + " could not be loaded as " + model + " ("
                    + e.getMessage() + "); DL4J deletes a file that fails its checksum: download it again, or copy a "
                    + "good copy of " + file.getFileName() + " there", e);
        }
    }

    /** Fetches into a temporary file beside the target, so an interrupted download never looks like weights. */
    private static void download(String model, String url, Path file) {
        Path temporary = null;
        try {
            Files.createDirectories(file.getParent());
            temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
            FileUtils.copyURLToFile(new URL(url), temporary.toFile(), 15_000, 60_000);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("ImageNet weights for " + model + " are not available: they are not in the "
                    + "cache (" + file + ") and downloading " + url + " failed (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "). On a machine with internet access, download that file and copy it to "
                    + file.getParent() + ", or set " + URL_VARIABLE + " to the base URL of a mirror of DL4J's zoo.", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a leftover .part file is harmless: it is never taken for the weights
                }
            }
        }
    }

    private static void configure() {
        Path zoo = DataFiles.cacheFolder().resolve("zoo");
        try {
            Files.createDirectories(zoo);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the zoo cache " + zoo + " (" + e.getMessage() + ")", e);
        }
        DL4JResources.setBaseDirectory(zoo.toFile());
        String mirror = System.getProperty("convkit.zoo.url", System.getenv(URL_VARIABLE));
        boolean mirrored = mirror != null && !mirror.isBlank();
        DL4JResources.setBaseDownloadURL(!mirrored ? DL4J_URL : mirror.endsWith("/") ? mirror : mirror + "/");
    }

    private static ZooModel zoo(String model) {
        return switch (model.toLowerCase(Locale.ROOT)) {
            case "vgg16" -> VGG16.builder().build();
            case "resnet50" -> ResNet50.builder().build();
            default -> throw new IllegalArgumentException("no zoo model called '" + model + "': use vgg16 or resnet50");
        };
    }
}
