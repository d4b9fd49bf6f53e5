package org.slmworkbench.logs;

/** A time-ordered split with its ground truth; only {@link #split()} is ever given to a scorer. */
public record LabelledLog(LogSplit split, LogTruth truth) {}
