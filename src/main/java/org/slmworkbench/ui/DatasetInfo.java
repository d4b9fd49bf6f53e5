package org.slmworkbench.ui;

import java.util.List;

/** What the dataset picker shows: the first lines, the split, and a real prefix to prompt with. */
record DatasetInfo(String name, List<String> preview, int trainFiles, long trainChars, int heldoutFiles, long heldoutChars,
        boolean labelled, String promptPrefix) {}
