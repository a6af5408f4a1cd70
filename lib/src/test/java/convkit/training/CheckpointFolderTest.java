package convkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFolderTest {

    @AfterEach
    void forget() {
        System.clearProperty("convkit.data");
        System.clearProperty("convkit.mode");
    }

    @Test
    void aLessonKeepsItsCheckpointsInOneFolderPerModeInTheCache(@TempDir Path cache) {
        System.setProperty("convkit.data", cache.toString());
        System.setProperty("convkit.mode", "quick");
        Path quick = Checkpoint.folder("06-galaxy-classification");
        assertEquals(cache.resolve("checkpoints/quick/06-galaxy-classification").toAbsolutePath(), quick);
        assertTrue(Files.isDirectory(quick));
        assertEquals(quick, Checkpoint.folder("06-galaxy-classification"), "the same folder on every run");
        System.setProperty("convkit.mode", "full");
        assertEquals(cache.resolve("checkpoints/full/06-galaxy-classification").toAbsolutePath(),
                Checkpoint.folder("06-galaxy-classification"));
    }

    @Test
    void aNameThatIsNotOnePlainFolderIsRefused(@TempDir Path cache) {
        System.setProperty("convkit.data", cache.toString());
        for (String bad : new String[] {"", "..", "../elsewhere", "a/b", "my models"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.folder(bad), bad);
            assertTrue(e.getMessage().contains("one plain word"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.folder(null));
        assertEquals(0, cache.toFile().list().length, "nothing was created: " + String.join(",", cache.toFile().list()));
    }
}
