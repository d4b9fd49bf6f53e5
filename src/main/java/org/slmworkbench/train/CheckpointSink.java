package org.slmworkbench.train;

import java.io.IOException;
import org.slmworkbench.model.CausalLm;

/** Where the trainer hands a model and its optimizer state every {@code checkpointEvery} steps. */
@FunctionalInterface
public interface CheckpointSink {
    void save(int step, CausalLm model, AdamW optimizer, TrainResult soFar) throws IOException;
}
