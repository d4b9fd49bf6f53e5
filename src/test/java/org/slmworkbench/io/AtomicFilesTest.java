package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> contents(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeStringCreatesAndReplacesLeavingNoTempFiles() throws IOException {
        Path file = dir.resolve("notes.txt");
        AtomicFiles.writeString(file, "first ✓");
        assertEquals("first ✓", Files.readString(file));
        AtomicFiles.writeBytes(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals(List.of("notes.txt"), contents(dir));
    }

    @Test
    void failedWriteKeepsTheOldFile() throws IOException {
        Path file = dir.resolve("config.json");
        AtomicFiles.writeString(file, "{\"old\":true}");
        IOException disk = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[] {'{'}));
            throw disk;
        }));
        assertSame(disk, thrown);
        assertEquals("{\"old\":true}", Files.readString(file));
        assertEquals(List.of("config.json"), contents(dir));
    }

    @Test
    void replaceDirectoryCreatesThenReplaces() throws IOException {
        Path target = dir.resolve("run-1");
        AtomicFiles.replaceDirectory(target, staging -> {
            assertTrue(AtomicFiles.isStagingName(staging));
            assertEquals(dir, staging.getParent());
            Files.writeString(staging.resolve("a.txt"), "v1");
            Files.createDirectories(staging.resolve("sub"));
            Files.writeString(staging.resolve("sub/b.txt"), "v1b");
        });
        assertEquals(List.of("a.txt", "sub"), contents(target));
        assertEquals("v1b", Files.readString(target.resolve("sub/b.txt")));

        AtomicFiles.replaceDirectory(target, staging -> Files.writeString(staging.resolve("c.txt"), "v2"));
        assertEquals(List.of("c.txt"), contents(target));
        assertEquals("v2", Files.readString(target.resolve("c.txt")));
        assertEquals(List.of("run-1"), contents(dir));
    }

    @Test
    void failureInFillLeavesTargetUntouched() throws IOException {
        Path target = dir.resolve("model");
        AtomicFiles.replaceDirectory(target, staging -> Files.writeString(staging.resolve("weights"), "good"));
        IOException failure = new IOException("tokenizer missing");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.replaceDirectory(target, staging -> {
            Files.writeString(staging.resolve("weights"), "half");
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals("good", Files.readString(target.resolve("weights")));
        assertEquals(List.of("model"), contents(dir));

        assertThrows(IllegalStateException.class, () -> AtomicFiles.replaceDirectory(dir.resolve("fresh"), staging -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(List.of("model"), contents(dir));
    }

    @Test
    void recoverAfterCrashBetweenTheTwoRenamesRestoresTheOldVersion() throws IOException {
        // State after a crash: target renamed away, staging complete but not yet moved in.
        Path old = Files.createDirectory(dir.resolve(".model.old-k3x9"));
        Files.writeString(old.resolve("weights"), "previous");
        Path staging = Files.createDirectory(dir.resolve(".model.staging-p0q1"));
        Files.writeString(staging.resolve("weights"), "unconfirmed");
        Path target = dir.resolve("model");

        AtomicFiles.recover(target);
        assertEquals("previous", Files.readString(target.resolve("weights")));
        assertEquals(List.of("model"), contents(dir));
    }

    @Test
    void recoverDeletesLeftoversNextToAnIntactTarget() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model"));
        Files.writeString(target.resolve("weights"), "current");
        Files.writeString(Files.createDirectory(dir.resolve(".model.old-a1")).resolve("w"), "half deleted");
        Files.createDirectory(dir.resolve(".model.staging-b2"));
        Files.writeString(dir.resolve(".model.tmp-c3"), "partial");
        Files.createDirectory(dir.resolve(".model.v2.staging-d4")); // belongs to "model.v2", not to "model"

        AtomicFiles.recover(target);
        assertEquals("current", Files.readString(target.resolve("weights")));
        assertEquals(List.of(".model.v2.staging-d4", "model"), contents(dir));
    }

    @Test
    void recoverRefusesToGuessBetweenSeveralOldVersions() throws IOException {
        Files.createDirectory(dir.resolve(".model.old-a1"));
        Files.createDirectory(dir.resolve(".model.old-b2"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.recover(dir.resolve("model")));
        assertTrue(e.getMessage().contains("several earlier versions"), e.getMessage());
        assertEquals(List.of(".model.old-a1", ".model.old-b2"), contents(dir));
    }

    @Test
    void replaceDirectoryRecoversFirstSoTheOldVersionIsNotLost() throws IOException {
        Files.writeString(Files.createDirectory(dir.resolve(".model.old-zz")).resolve("weights"), "previous");
        Path target = dir.resolve("model");
        AtomicFiles.replaceDirectory(target, staging -> {
            assertEquals("previous", Files.readString(target.resolve("weights")), "recovered before filling");
            Files.writeString(staging.resolve("weights"), "next");
        });
        assertEquals("next", Files.readString(target.resolve("weights")));
        assertEquals(List.of("model"), contents(dir));
    }

    @Test
    void recognisesStagingNames() {
        assertTrue(AtomicFiles.isStagingName(Path.of("models/.tiny.staging-3kq9")));
        assertTrue(AtomicFiles.isStagingName(Path.of(".tiny.old-0")));
        assertTrue(AtomicFiles.isStagingName(Path.of(".model.safetensors.tmp-abc123")));
        assertFalse(AtomicFiles.isStagingName(Path.of("tiny")));
        assertFalse(AtomicFiles.isStagingName(Path.of(".hidden")));
        assertFalse(AtomicFiles.isStagingName(Path.of("tiny.staging-3kq9")));
        assertFalse(AtomicFiles.isStagingName(Path.of(".tiny.staging-")));
        assertFalse(AtomicFiles.isStagingName(Path.of(".tiny.backup-1")));
    }
}
