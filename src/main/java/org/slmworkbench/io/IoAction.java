package org.slmworkbench.io;

import java.io.IOException;

/** A step that does I/O on a value, e.g. filling a staging folder or writing to a channel. */
@FunctionalInterface
public interface IoAction<T> {
    void run(T t) throws IOException;
}
