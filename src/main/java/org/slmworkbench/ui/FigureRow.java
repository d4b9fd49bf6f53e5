package org.slmworkbench.ui;

/** One measured figure of the compression panel: base, compressed, and the change as text. */
record FigureRow(String figure, String base, String compressed, String change) {}
