package org.slmworkbench.logs;

/** One line of a log as written: the file it came from, its 1-based line number there, its text. */
public record LogLine(String source, int number, String text) {}
