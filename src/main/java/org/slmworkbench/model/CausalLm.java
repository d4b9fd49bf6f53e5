package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.slmworkbench.TaskControl;

/** A decoder-only language model as the generator, trainer and meters see it. */
public interface CausalLm extends AutoCloseable {

    /** Hugging Face architecture name, e.g. {@code LlamaForCausalLM}. */
    String architecture();

    int numLayers();

    int vocabSize();

    int maxContext();

    long parameterCount();

    /** The shape of this model, in its family's vocabulary. */
    ModelConfig config();

    /**
     * Logits (B, T, vocab) for token ids (B, T) of type int64.
     *
     * @param cache null for a plain causal pass; otherwise tokens continue at {@code cache.length()}
     *     and the cache is extended
     * @param exitLayer run only the first {@code exitLayer} blocks, then the final norm and head
     */
    NDArray forward(NDArray ids, KvCache cache, int exitLayer);

    default NDArray forward(NDArray ids) {
        return forward(ids, null, numLayers());
    }

    /**
     * A plain causal pass that checks {@code control} between blocks: at a billion parameters one
     * window of 128 tokens takes seconds, and a slider's next move must not wait for it to end.
     */
    NDArray forward(NDArray ids, TaskControl control);

    KvCache newCache(int batch, int capacity);

    /**
     * Logits (B, T, vocab) after each layer 1..L in a plain causal pass, every one through the final
     * norm and the shared head: what an early exit at that layer would predict.
     */
    List<NDArray> exitLogits(NDArray ids);

    /** Logits of one token and the layer (1-based) it left at. */
    record EarlyExitStep(NDArray logits, int exitLayer) {}

    /** One cached decoding step that may leave early once the top-1 probability reaches {@code threshold}. */
    EarlyExitStep forwardEarlyExit(NDArray ids, KvCache cache, double threshold);

    /** A plain causal pass over all layers that shows every projection's input to {@code recorder} (Wanda calibrates on it). */
    void calibrate(NDArray ids, InputRecorder recorder, TaskControl control);

    /** Trainable tensors by Hugging Face name, in file order; a tied head appears once. Training needs every weight in f32. */
    Map<String, Parameter> parameters();

    /** The same tensors as held in memory, with their precision, in file order; a tied head appears once. */
    Map<String, Weight> weights();

    /** Bytes the weights occupy in memory (a tensor shared with another model counts here too). */
    default long weightBytes() {
        return weights().values().stream().mapToLong(Weight::memoryBytes).sum();
    }

    /** The precision of the model's matrices: the largest one's, as the model line shows it. */
    default Precision matrixPrecision() {
        return weights().values().stream().filter(w -> w.shape().dimension() == 2)
                .max(java.util.Comparator.comparingLong(w -> w.shape().size())).map(Weight::precision).orElse(Precision.F32);
    }

    /** The manager that owns the weights. */
    NDManager manager();

    @Override
    void close();
}
