package org.slmworkbench.ui;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.slmworkbench.io.AtomicFiles;

/**
 * The last session's model (and the adapter opened over it), dataset, compression setting and
 * prompt, so the window opens where the user left it. A missing or unreadable file just means a fresh start.
 */
final class SessionStore {
    /** @param adapter the adapter folder opened over the model, or null */
    record Saved(String model, String adapter, String dataset, String config, String prompt) {}

    private final Path file;

    SessionStore(Path file) {
        this.file = file;
    }

    /** The default place: a folder in the user's home. */
    static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".slm-workbench", "session.properties");
    }

    Saved load() {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return new Saved(p.getProperty("model"), p.getProperty("adapter"), p.getProperty("dataset"), p.getProperty("config"),
                p.getProperty("prompt"));
    }

    void save(Saved s) throws IOException {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        put(p, "model", s.model());
        put(p, "adapter", s.adapter());
        put(p, "dataset", s.dataset());
        put(p, "config", s.config());
        put(p, "prompt", s.prompt());
        StringWriter w = new StringWriter();
        p.store(w, "SLM Workbench session");
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeString(file, w.toString());
    }

    private static void put(Properties p, String key, String value) {
        if (value != null) {
            p.setProperty(key, value);
        }
    }
}
