package org.slmworkbench;

import java.nio.file.Path;

/**
 * A problem with something the user handed us (a file, a folder, a flag). The message is meant
 * to be shown as is: it names the file and the problem, and front ends print it without a stack
 * trace.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public BadInputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
