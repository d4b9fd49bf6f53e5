package org.slmworkbench.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slmworkbench.BadInputException;

/** Opening a file a reader was handed, with the user's mistakes (a folder, no such file) said as such. */
final class InputFiles {
    private InputFiles() {}

    /** A read channel on {@code file}, which should be a {@code kind} file (e.g. "safetensors"). */
    static FileChannel open(Path file, String kind) throws IOException {
        if (Files.isDirectory(file)) {
            throw new BadInputException(file, "is a folder, not a " + kind + " file");
        }
        if (!Files.exists(file)) {
            throw new BadInputException(file, "no such file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }
}
