package org.slmworkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.data.DataOptions;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.TextDataset;
import org.slmworkbench.io.SafetensorsFolder;
import org.slmworkbench.io.SafetensorsReader;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.tokenizer.Tokenizers;

/**
 * Inputs that claim or hold far more than memory: refused or read in bounded memory, measured as
 * the bytes the test's thread allocates. Huge files are sparse (RandomAccessFile.setLength), so
 * they cost neither disk nor time to make.
 */
class ResourceBoundsTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void aTensorClaimingTerabytesInASmallFileIsRefused() throws IOException {
        Path file = safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,4000000000000]}}", 16);
        BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsReader.open(file).close());
        assertTrue(e.getMessage().contains("run past the end of the file"), e.getMessage());
    }

    @Test
    void aTerabyteTensorOpensButIsRefusedBeforeAnyArrayIsMade() throws IOException {
        Path file = safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[274877906944],\"data_offsets\":[0,1099511627776]}}", 1L << 40);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            long allocated = allocatedBy(() -> assertThrows(BadInputException.class, () -> reader.readFloats("w")));
            assertTrue(allocated < MIB, "allocated " + allocated + " bytes");
        }
    }

    @Test
    void aTenGigabyteLogIsReadOnlyUpToTheCap() throws IOException {
        Path log = hugeTextFile("huge.log", "Jan 12 10:00:01 host sshd[4242]: Failed password for root from 10.0.0.7\n");
        assertReadWithinCap(log);
    }

    @Test
    void aTenGigabyteJsonLinesFileIsReadOnlyUpToTheCap() throws IOException {
        Path jsonl = hugeTextFile("huge.jsonl", "{\"text\":\"Jan 12 10:00:01 host sshd[4242]: Failed password\",\"id\":7}\n");
        assertReadWithinCap(jsonl);
    }

    @Test
    void oversizedConfigTokenizerAndShardIndexAreRefusedUnread() throws IOException {
        Path config = sparse(dir.resolve("config.json"), 2 * MIB);
        assertRefusedCheaply(() -> ConfigFile.read(config), "a config file is at most 1 MiB");
        Path tokenizer = sparse(dir.resolve("tokenizer.json"), 200 * MIB);
        assertRefusedCheaply(() -> Tokenizers.load(tokenizer), "a tokenizer.json is at most");
        Path model = Files.createDirectories(dir.resolve("model"));
        sparse(model.resolve(SafetensorsFolder.INDEX), 100 * MIB);
        assertRefusedCheaply(() -> SafetensorsFolder.open(model).close(), "a shard index is at most 64 MiB");
    }

    @Test
    void aConfigWhoseRotaryTablesWouldTakeGigabytesIsRefused() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), "{\"hidden_size\":1024,\"intermediate_size\":64,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":1,\"head_dim\":1024,\"max_position_embeddings\":65536,\"vocab_size\":8}");
        BadInputException e = assertThrows(BadInputException.class, () -> ModelDirectory.parseConfig(ConfigFile.read(config)));
        assertTrue(e.getMessage().contains("max_position_embeddings × head_dim (65536 × 1024) above 16777216"), e.getMessage());
    }

    private static final long CAP = 1_000_000;

    /** A file of 10 GiB: {@code line} repeated over its first 2 MiB (more than the cap), then a sparse rest. */
    private Path hugeTextFile(String name, String line) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, line.repeat((int) (2 * MIB / line.length())));
        return sparse(file, 10 * GIB);
    }

    private static void assertReadWithinCap(Path file) {
        TextDataset[] data = new TextDataset[1];
        long allocated = allocatedBy(() -> data[0] = DatasetLoader.load(List.of(file), 0.1, new DataOptions("text", null, Set.of(), CAP)));
        assertTrue(data[0].truncated(), "stopped at the cap");
        assertTrue(data[0].trainChars() + data[0].heldoutChars() <= CAP);
        // work grows with the cap, not the file: reading all 10 GiB would allocate at least 10 GiB
        assertTrue(allocated < 100 * CAP, "allocated " + allocated + " bytes for a cap of " + CAP + " characters");
    }

    private static void assertRefusedCheaply(Executable read, String expected) {
        BadInputException[] e = new BadInputException[1];
        long allocated = allocatedBy(() -> e[0] = assertThrows(BadInputException.class, read));
        assertTrue(e[0].getMessage().contains(expected), e[0].getMessage());
        assertTrue(allocated < MIB, "allocated " + allocated + " bytes");
    }

    /** Bytes allocated on this thread while {@code action} runs (what the JVM counts, whatever the collector does). */
    private static long allocatedBy(Runnable action) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** A safetensors file with this header, its data area sparse and {@code dataBytes} long. */
    private Path safetensors(String header, long dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("claims.safetensors");
        ByteBuffer prefix = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
        Files.write(file, prefix.array());
        return sparse(file, 8 + json.length + dataBytes);
    }

    private static Path sparse(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
        return file;
    }
}
