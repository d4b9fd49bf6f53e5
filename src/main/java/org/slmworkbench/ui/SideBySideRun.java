package org.slmworkbench.ui;

import org.slmworkbench.generate.GenerationResult;

/** Both sides of one side-by-side generation, as they ended. */
record SideBySideRun(GenerationResult base, GenerationResult compressed) {}
