package org.slmworkbench.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model family's shape as compression sees it: its tensors in the model's layout (every
 * projection held (out, in)), how each layer's matrices divide into attention heads and MLP
 * neurons, the same shape with fewer layers, heads or neurons, and the model built on given
 * weights. Pruning, weight sharing, exits, saving and recovery fine-tuning work through it, so they
 * are written once for every family.
 */
public interface ModelConfig {
    /** Position tables, rotary tables and caches are allocated per position; this cap keeps a typo from asking for gigabytes. */
    int MAX_POSITIONS = 1 << 16;

    /** Hugging Face architecture name, e.g. {@code LlamaForCausalLM}. */
    String architecture();

    int layers();

    int vocabSize();

    int maxContext();

    long parameterCount();

    int heads();

    int kvHeads();

    int headDim();

    /** Neurons of each layer's MLP. */
    int mlpWidth();

    /** Every tensor with the shape the model holds it in, in file order. */
    Map<String, Shape> tensorShapes();

    /** The width of the residual stream, from the token table (vocabulary × width): pruning heads or neurons leaves it. */
    default long residualWidth() {
        return tensorShapes().values().stream().filter(s -> s.dimension() == 2 && s.get(0) == vocabSize()).findFirst()
                .orElseThrow().get(1);
    }

    /** The rows and columns of layer {@code layer}'s tensors that belong to each head and neuron. */
    List<UnitSlice> slices(int layer);

    /** The input scalings of layer {@code layer} that leave the function unchanged; none where the family has not said. */
    default List<InputScaling> inputScalings(int layer) {
        return List.of();
    }

    /** The same model cut to its first {@code layers} blocks (a static early exit). */
    ModelConfig withLayers(int layers);

    /** The same with fewer query heads, key/value heads and MLP neurons in every layer; heads keep their size. */
    ModelConfig withWidths(int heads, int kvHeads, int mlpWidth);

    /** Why this family's Hugging Face config cannot describe this shape, or empty when it can. */
    Optional<String> hfLimitation();

    /** The model of this shape on weights from {@code weights}, whose arrays live in {@code manager}. */
    CausalLm newModel(NDManager manager, WeightSource weights);

    /** Whether a Hugging Face checkpoint of this family stores tensor {@code name} in the model's layout, so its bytes are copied as they are. */
    default boolean keepsFileLayout(String name) {
        return true;
    }

    /** Values of tensor {@code name} as a Hugging Face checkpoint of this family stores them. */
    default float[] toFile(String name, float[] modelValues) {
        return modelValues;
    }

    /** The prunable matrices of every layer: those that heads and neurons run through, held (out, in). */
    default List<String> projections() {
        Map<String, Shape> shapes = tensorShapes();
        Set<String> names = new LinkedHashSet<>();
        for (int layer = 0; layer < layers(); layer++) {
            slices(layer).stream().map(UnitSlice::tensor).filter(t -> shapes.get(t).dimension() == 2).forEach(names::add);
        }
        return new ArrayList<>(names);
    }
}
