package org.slmworkbench.lora;

import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slmworkbench.BadInputException;
import org.slmworkbench.io.SafetensorsReader;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;
import org.slmworkbench.io.TensorInfo;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.LowRankAdapter;

/**
 * A LoRA adapter folder in Hugging Face PEFT's layout: {@code adapter_config.json} and {@code
 * adapter_model.safetensors} with PEFT's tensor names ({@code
 * base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight} …), which PEFT's {@code
 * PeftModel.from_pretrained} loads over the base. The config also records the compression setting
 * the adapter was trained on, under a key of this project's, which PEFT ignores.
 */
public final class PeftAdapter {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    /** The subfolder of a LoRA run's output that holds its adapter alone, beside the merged model. */
    public static final String RUN_FOLDER = "adapter";
    private static final String COMPRESSION_KEY = "slm_workbench_compression";

    /** What a folder holds: the setting, the compression it was trained on ("" for none) and its tensors by PEFT name. */
    public record Saved(LoraConfig config, String compression, Map<String, float[]> tensors, Path directory) {}

    private PeftAdapter() {}

    public static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG));
    }

    /**
     * Writes {@code lora}'s adapters into {@code dir} (an existing folder, e.g. a save's staging one).
     *
     * @param baseModel the base's folder as PEFT's {@code base_model_name_or_path} gives it
     * @param compression the setting applied to the base before training, "" for none
     */
    public static void writeInto(Path dir, LoraModel lora, String baseModel, String compression) throws IOException {
        LoraConfig c = lora.config();
        JsonObject o = new JsonObject();
        o.addProperty("peft_type", "LORA");
        o.addProperty("task_type", "CAUSAL_LM");
        o.addProperty("base_model_name_or_path", baseModel);
        o.addProperty("r", c.rank());
        o.addProperty("lora_alpha", c.alpha());
        o.addProperty("lora_dropout", c.dropout());
        JsonArray modules = new JsonArray();
        Set<String> seen = new HashSet<>();
        lora.adapters().keySet().stream().map(LoraConfig::module).filter(seen::add).forEach(modules::add);
        o.add("target_modules", modules);
        o.addProperty("bias", "none");
        // GPT-2 keeps its matrices as Conv1D (in × out); the factors' shapes are the same either way
        o.addProperty("fan_in_fan_out", lora.base().architecture().equals("GPT2LMHeadModel"));
        o.addProperty("inference_mode", true);
        o.addProperty("init_lora_weights", true);
        o.addProperty("use_rslora", false);
        o.addProperty("use_dora", false);
        o.add("modules_to_save", JsonNull.INSTANCE);
        o.addProperty(COMPRESSION_KEY, compression);
        Files.writeString(dir.resolve(CONFIG), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n");
        List<TensorEntry> entries = new ArrayList<>();
        lora.adapters().forEach((name, a) -> {
            entries.add(TensorEntry.floats(LoraModel.peftName(name, "A"), TensorDType.F32, a.a().getShape().getShape(), a.a()::toFloatArray));
            entries.add(TensorEntry.floats(LoraModel.peftName(name, "B"), TensorDType.F32, a.b().getShape().getShape(), a.b()::toFloatArray));
        });
        SafetensorsWriter.write(dir.resolve(WEIGHTS), entries, Map.of("format", "pt"));
    }

    /** Reads an adapter folder, checking it is a LoRA adapter this project can apply. */
    public static Saved read(Path dir) {
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new BadInputException(dir, "is not a LoRA adapter folder: it has no " + CONFIG);
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(configFile)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(configFile, "is not readable JSON: " + e.getMessage());
        }
        if (!"LORA".equals(string(o, "peft_type"))) {
            throw new BadInputException(configFile, "describes a " + string(o, "peft_type") + " adapter; only LORA adapters apply here");
        }
        if (o.has("use_rslora") && o.get("use_rslora").getAsBoolean() || o.has("use_dora") && o.get("use_dora").getAsBoolean()) {
            throw new BadInputException(configFile, "uses rsLoRA or DoRA, whose scaling differs from LoRA's alpha / r; not supported");
        }
        LoraConfig config;
        try {
            List<String> targets = new ArrayList<>();
            JsonElement t = o.get("target_modules");
            if (t != null && t.isJsonArray()) {
                t.getAsJsonArray().forEach(e -> targets.add(e.getAsString()));
            }
            // PEFT's default when absent; it only acts while training (a resume), never on inference
            double dropout = o.has("lora_dropout") ? o.get("lora_dropout").getAsDouble() : 0;
            config = new LoraConfig(o.get("r").getAsInt(), o.get("lora_alpha").getAsDouble(), dropout, targets);
        } catch (BadInputException e) {
            throw new BadInputException(configFile, e.getMessage());
        } catch (RuntimeException e) {
            throw new BadInputException(configFile, "lacks a valid r, lora_alpha, lora_dropout or target_modules");
        }
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new BadInputException(dir, "has no " + WEIGHTS);
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(weights)) {
            for (TensorInfo info : r.tensors()) {
                tensors.put(info.name(), r.readFloats(info.name()));
            }
        } catch (IOException e) {
            throw new BadInputException(weights, "cannot be read: " + e.getMessage());
        }
        String compression = o.has(COMPRESSION_KEY) && !o.get(COMPRESSION_KEY).isJsonNull() ? o.get(COMPRESSION_KEY).getAsString() : "";
        return new Saved(config, compression, tensors, dir);
    }

    /**
     * The saved adapters on {@code base}: every tensor must name a linear layer of the base, A and B
     * must come in pairs of the base weight's shape.
     */
    public static LoraModel apply(Saved saved, CausalLm base) {
        Path file = saved.directory().resolve(WEIGHTS);
        Set<String> used = new HashSet<>();
        LoraConfig all = new LoraConfig(saved.config().rank(), saved.config().alpha(), saved.config().dropout(), List.of());
        LoraModel lora = LoraModel.attach(base, all, (name, w, m) -> {
            float[] a = saved.tensors().get(LoraModel.peftName(name, "A"));
            float[] b = saved.tensors().get(LoraModel.peftName(name, "B"));
            if (a == null && b == null) {
                return null;
            }
            if (a == null || b == null) {
                throw new BadInputException(file, "has only one of lora_A and lora_B for " + name);
            }
            int r = saved.config().rank();
            if (a.length != r * w.shape().get(1) || b.length != w.shape().get(0) * r) {
                throw new BadInputException(file, "holds rank-" + r + " factors for " + name + " that do not fit its " + w.shape()
                        + " weight (was it trained on another base?)");
            }
            used.add(LoraModel.peftName(name, "A"));
            used.add(LoraModel.peftName(name, "B"));
            return new LowRankAdapter(m.create(a, new Shape(r, w.shape().get(1))),
                    m.create(b, new Shape(w.shape().get(0), r)), saved.config().alpha(), saved.config().dropout(), name);
        });
        List<String> unknown = saved.tensors().keySet().stream().filter(n -> !used.contains(n)).toList();
        if (!unknown.isEmpty()) {
            lora.close();
            throw new BadInputException(file, "has " + unknown.size() + " tensor(s) that adapt nothing in this base, e.g. " + unknown.get(0));
        }
        return lora;
    }

    private static String string(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : "(none)";
    }
}
