package org.slmworkbench.ui;

import java.nio.file.Path;
import javafx.util.StringConverter;

/** Shows a path in a picker by its last one or two names ("train/syslog.log"). */
final class PathNames {
    static final StringConverter<Path> CONVERTER = new StringConverter<>() {
        @Override
        public String toString(Path p) {
            if (p == null) {
                return "";
            }
            Path parent = p.getParent();
            return parent != null && parent.getFileName() != null && !p.toFile().isDirectory()
                    ? parent.getFileName() + "/" + p.getFileName() : p.getFileName().toString();
        }

        @Override
        public Path fromString(String s) {
            return null;
        }
    };

    private PathNames() {}
}
