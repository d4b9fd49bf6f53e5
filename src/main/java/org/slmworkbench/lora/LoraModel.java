package org.slmworkbench.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.LowRankAdapter;
import org.slmworkbench.model.Weight;

/**
 * A frozen base with LoRA adapters on its linear layers: a model of the base's family whose
 * adapted weights share the base's memory, in whatever form it holds them (16-bit, pruned, shared
 * or quantized), and add their adapter's update. Only the adapters train: {@link #parameters}
 * lists them alone, under PEFT's tensor names.
 */
public final class LoraModel implements AutoCloseable {
    private final CausalLm base;
    private final CausalLm model;
    private final LoraConfig config;
    private final Map<String, LowRankAdapter> adapters;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    private LoraModel(CausalLm base, CausalLm model, LoraConfig config, Map<String, LowRankAdapter> adapters) {
        this.base = base;
        this.model = model;
        this.config = config;
        this.adapters = Collections.unmodifiableMap(adapters);
        adapters.forEach((name, a) -> {
            parameters.put(peftName(name, "A"), parameter(peftName(name, "A"), a.a()));
            parameters.put(peftName(name, "B"), parameter(peftName(name, "B"), a.b()));
        });
    }

    /** Fresh adapters (B zero, so the model starts as the base) on every weight {@code config} adapts. */
    public static LoraModel attach(CausalLm base, LoraConfig config, long seed) {
        Random random = new Random(seed);
        return attach(base, config, (name, w, m) -> LowRankAdapter.initial(m, config.rank(), w.shape().get(1), w.shape().get(0),
                config.alpha(), config.dropout(), name, random));
    }

    /**
     * Adapters made by {@code make} for every weight {@code config} adapts, in the base's file order.
     * A weight with none made (null) stays plain.
     */
    static LoraModel attach(CausalLm base, LoraConfig config, AdapterMaker make) {
        NDManager manager = base.manager().newSubManager();
        Map<String, LowRankAdapter> adapters = new LinkedHashMap<>();
        base.weights().forEach((name, w) -> {
            if (config.adapts(name, w.shape().dimension())) {
                LowRankAdapter a = make.make(name, w, manager);
                if (a != null) {
                    adapters.put(name, a);
                }
            }
        });
        if (adapters.isEmpty()) {
            manager.close();
            throw new org.slmworkbench.BadInputException("LoRA targets " + config.targets() + " match no linear layer of this "
                    + base.architecture() + " model");
        }
        CausalLm model = base.config().newModel(manager, name -> {
            LowRankAdapter a = adapters.get(name);
            Weight w = base.weights().get(name);
            return a == null ? w : w.withAdapter(a);
        });
        return new LoraModel(base, model, config, adapters);
    }

    /** Makes the adapter of one base weight in the adapters' manager, or null for none. */
    @FunctionalInterface
    interface AdapterMaker {
        LowRankAdapter make(String name, Weight weight, NDManager manager);
    }

    /** PEFT's name of an adapter factor: {@code base_model.model.<module>.lora_A.weight}. */
    public static String peftName(String weightName, String factor) {
        return "base_model.model." + weightName.substring(0, weightName.length() - ".weight".length()) + ".lora_" + factor + ".weight";
    }

    private static Parameter parameter(String name, NDArray array) {
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optArray(array).build();
    }

    /** The model with the adapters, for training, evaluation and the trainer's checkpoints. */
    public CausalLm model() {
        return model;
    }

    public CausalLm base() {
        return base;
    }

    public LoraConfig config() {
        return config;
    }

    /** Adapters by the Hugging Face name of the weight they adapt, in file order. */
    public Map<String, LowRankAdapter> adapters() {
        return adapters;
    }

    /** The trainable tensors, A and B of every adapter, by PEFT name. */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Trainable values: r·(in + out) per adapted matrix. */
    public long parameterCount() {
        return adapters.values().stream().mapToLong(a -> a.rank() * (a.inFeatures() + a.outFeatures())).sum();
    }

    /**
     * Writes W + s·B·A into every adapted base weight's own memory, at its precision (a quantized
     * one is quantized again): the base is then the merged model, and this one (base plus adapters)
     * must not run again; the adapters stay readable for saving until {@link #close}. With
     * {@code keepZeros}, a weight that is exactly zero (pruned) stays zero, so a pruning mask holds
     * exactly after the merge: an adapter's dense update would otherwise fill every pruned place.
     */
    public CausalLm mergeIntoBase(boolean keepZeros) {
        // two buffers per tensor size, reused: fresh ones per matrix left GBs of garbage that G1 held as heap
        Map<Long, float[][]> buffers = new HashMap<>();
        adapters.forEach((name, a) -> {
            Weight w = base.weights().get(name);
            float[][] pair = buffers.computeIfAbsent(w.shape().size(), n -> new float[2][Math.toIntExact(n)]);
            float[] values = pair[0];
            float[] update = pair[1];
            w.floatsInto(values);
            a.updateInto(update);
            for (int i = 0; i < values.length; i++) {
                if (!keepZeros || values[i] != 0) {
                    values[i] += update[i];
                }
            }
            w.overwrite(values);
        });
        return base;
    }

    /** Frees the adapters; the base stays open. */
    @Override
    public void close() {
        model.manager().close();
    }
}
