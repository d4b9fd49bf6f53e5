package org.slmworkbench.ui;

/**
 * One generated token as the window shows it: which side, its position, id, the text it adds,
 * how long it took and when (seconds since the run started).
 */
record TokenShown(boolean compressed, int index, int tokenId, String text, double millis, double seconds) {}
