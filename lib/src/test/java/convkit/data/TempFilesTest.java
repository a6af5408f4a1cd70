package convkit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which leftover temporary files the clean-up removes: only those no running writer can still be using. */
class TempFilesTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        System.clearProperty("org.nd4j.tempdir");
    }

    private static Path aged(Path file, Duration age) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    @Test
    void onlyFilesOfEndedOrLongSilentWritersAreRemoved() throws Exception {
        Path mine = TempFiles.beside(dir.resolve("best.zip"));
        assertTrue(mine.getFileName().toString().matches("\\.best\\.zip\\." + ProcessHandle.current().pid()
                + "@[A-Za-z0-9]*\\.\\d+\\.part"), mine.toString());
        Path ended = Files.createFile(dir.resolve(EndedWriter.tempName("best.zip", EndedWriter.pid(), 1)));
        Path otherMachine = Files.createFile(dir.resolve(".best.zip.1@othermachine.2.part"));
        Path otherMachineSilent = aged(Files.createFile(dir.resolve(".best.zip.1@othermachine.3.part")),
                Duration.ofMinutes(11));
        Path mineAbandoned = aged(TempFiles.beside(dir.resolve("old.zip")), Duration.ofDays(2));
        Path notTemporary = aged(Files.createFile(dir.resolve("best.zip")), Duration.ofDays(30));
        assertEquals(Set.of(ended, otherMachineSilent, mineAbandoned), Set.copyOf(TempFiles.clean(dir)));
        assertTrue(Files.exists(mine) && Files.exists(otherMachine) && Files.exists(notTemporary));
    }

    @Test
    void aTemporaryFolderOfAnEndedWriterGoesWithEverythingInIt() throws Exception {
        Path mine = TempFiles.folderBeside(dir.resolve("galaxies"));
        assertTrue(Files.isDirectory(mine) && mine.getFileName().toString().matches("\\.galaxies\\."
                + ProcessHandle.current().pid() + "@[A-Za-z0-9]*\\.\\d+\\.part"), mine.toString());
        long endedPid = EndedWriter.pid();
        Path ended = Files.createDirectories(dir.resolve(EndedWriter.tempName("galaxies", endedPid, 5)));
        Files.createDirectories(ended.resolve("train/edge"));
        Files.write(ended.resolve("train/edge/00001.png"), new byte[] {1});
        Files.createFile(ended.resolve(EndedWriter.tempName("inner.zip", endedPid, 2)));     // a leftover inside a leftover
        Files.write(mine.resolve("00000.png"), new byte[] {1});
        // another machine's drawing: its top folder was made long ago, but a class folder got a picture just now
        Path drawing = Files.createDirectories(dir.resolve(".galaxies.1@othermachine.6.part").resolve("train/edge"));
        aged(drawing.getParent().getParent(), Duration.ofMinutes(30));
        aged(drawing.getParent(), Duration.ofMinutes(30));
        Path stopped = Files.createDirectories(dir.resolve(".galaxies.1@othermachine.7.part").resolve("train/edge"));
        aged(stopped, Duration.ofMinutes(30));
        aged(stopped.getParent(), Duration.ofMinutes(30));
        aged(stopped.getParent().getParent(), Duration.ofMinutes(30));
        // what older versions left: "<set>.part-<random>", removed once a day untouched
        Path oldStyle = Files.createDirectories(dir.resolve("synthetic-v2-seed1.part-123").resolve("train"));
        aged(oldStyle, Duration.ofDays(2));
        aged(oldStyle.getParent(), Duration.ofDays(2));
        Path oldStyleRecent = Files.createDirectories(dir.resolve("synthetic-v2-seed2.part-456"));
        assertEquals(Set.of(ended, stopped.getParent().getParent(), oldStyle.getParent()),
                Set.copyOf(TempFiles.cleanTree(dir, 4)));
        assertTrue(Files.exists(oldStyleRecent));
        assertTrue(Files.exists(mine.resolve("00000.png")) && !Files.exists(ended) && Files.exists(drawing));
    }

    @Test
    void dl4jModelCopiesAreRemovedOnceNothingCanStillReadThem() throws Exception {
        Path temp = Files.createDirectories(dir.resolve("tmp"));
        System.setProperty("org.nd4j.tempdir", temp.toString());
        Path old = aged(Files.createFile(temp.resolve(TempFiles.DL4J_PREFIX + "123bin")), Duration.ofMinutes(11));
        Path fresh = Files.createFile(temp.resolve(TempFiles.DL4J_PREFIX + "456bin"));
        Path other = aged(Files.createFile(temp.resolve("someone-else.bin")), Duration.ofDays(3));
        assertEquals(List.of(old), TempFiles.cleanDl4jTemp());
        assertTrue(Files.exists(fresh) && Files.exists(other));
    }
}
