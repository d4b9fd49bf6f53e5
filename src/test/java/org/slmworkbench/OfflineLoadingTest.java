package org.slmworkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.data.DataFiles;
import org.slmworkbench.data.DatasetLoader;

/**
 * Loading reaches for nothing outside the machine. Every connection Java code opens, HTTP or a raw
 * socket, first asks the default ProxySelector, so one that records and refuses sees any attempt.
 */
class OfflineLoadingTest {
    @TempDir
    Path dir;

    @Test
    void loadingAModelItsTokenizerAndAParquetDatasetConnectsNowhere() throws Exception {
        assertEquals("true", System.getProperty("ai.djl.offline"), "the build runs DJL offline, as the jar's Main does");
        List<URI> attempts = new CopyOnWriteArrayList<>();
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                attempts.add(uri);
                throw new IllegalStateException("loading tried to connect to " + uri);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                attempts.add(uri);
            }
        });
        try (NDManager manager = NDManager.newBaseManager(); LoadedLm model = CheckpointLoader.load(Path.of("models/loglm-tiny"), manager)) {
            assertTrue(model.tokenizer().encode("Jan 12 sshd[4]: Accepted").length > 0);
            Path parquet = DataFiles.parquet(dir.resolve("logs.parquet"), "SELECT 'line ' || i AS text FROM range(20) r(i)");
            assertEquals(18, DatasetLoader.load(List.of(parquet), 0.1).train().size());
        } finally {
            ProxySelector.setDefault(previous);
        }
        assertEquals(List.of(), attempts);
    }
}
