package org.slmworkbench.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A piece of training or evaluation text and the file it came from. A file split by fraction
 * gives two documents with the same source.
 */
public record Document(Path source, String text) {
    public Document {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
    }
}
