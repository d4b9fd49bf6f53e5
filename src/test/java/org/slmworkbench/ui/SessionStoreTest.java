package org.slmworkbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
    @Test
    void savesAndRestoresTheSession(@TempDir Path tmp) throws Exception {
        SessionStore store = new SessionStore(tmp.resolve("sub/session.properties"));
        assertNull(store.load());
        SessionStore.Saved saved = new SessionStore.Saved("models/loglm-tiny", "models/loglm-tiny-ft/adapter", "sample-logs",
                "prune=0.5:wanda,share=16", "Mar  8 01:09:28 web-01 sshd[\n=\u00e9");
        store.save(saved);
        assertEquals(saved, store.load());
        SessionStore.Saved plain = new SessionStore.Saved("models/loglm-tiny", null, "sample-logs", "none", "");
        store.save(plain);
        assertEquals(plain, store.load(), "no adapter is remembered as none");
        try (var files = Files.list(tmp.resolve("sub"))) {
            assertEquals(1, files.count(), "no staging file left behind");
        }
    }

    @Test
    void anUnreadableSessionIsAFreshStart(@TempDir Path tmp) throws Exception {
        Path file = Files.write(tmp.resolve("session.properties"), new byte[] {'m', 'o', 'd', 'e', 'l', '=', '\\', 'u', 'Z', 'Z'});
        assertNull(new SessionStore(file).load());
    }
}
