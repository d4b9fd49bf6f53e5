package org.slmworkbench.data;

/**
 * The texts of a dataset file read one record (row, object) at a time, so that a file of any size
 * streams and reading can stop anywhere. Problems are {@link org.slmworkbench.BadInputException}s
 * naming the file and the line or row.
 */
interface Records extends AutoCloseable {
    /** One record longer than this is a malformed file (an unclosed quote, a JSON document on one line), not text. */
    int MAX_RECORD_CHARS = 16 * 1024 * 1024;

    /** The next record's text ("" for a null value), or null after the last record. */
    String next();

    @Override
    void close();
}
