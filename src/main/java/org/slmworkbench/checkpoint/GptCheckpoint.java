package org.slmworkbench.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slmworkbench.BadInputException;
import org.slmworkbench.io.SafetensorsFolder;
import org.slmworkbench.io.TensorInfo;
import org.slmworkbench.model.Weight;
import org.slmworkbench.model.WeightPolicy;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptModel;
import org.slmworkbench.model.gpt2.GptTensors;

/**
 * Reads GPT-2 and GPTBigCode weights from a checkpoint folder. Files written by transformers name
 * tensors with or without the {@code transformer.} prefix (openai-community/gpt2 has none) and may
 * carry the causal-mask buffers {@code attn.bias} / {@code attn.masked_bias}, which are skipped; a
 * {@code lm_head.weight} beside tied embeddings is skipped too, as transformers ties it.
 */
final class GptCheckpoint {
    private GptCheckpoint() {}

    static GptModel load(Path dir, GptConfig config, NDManager manager, WeightPolicy policy) {
        Map<String, Shape> expected = GptTensors.fileShapes(config);
        Map<String, Shape> modelShapes = GptTensors.modelShapes(config);
        Map<String, Weight> weights = new LinkedHashMap<>();
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            Map<String, String> fileNames = fileNames(folder, expected, config);
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                String name = e.getKey();
                String inFile = fileNames.getOrDefault(name, name);
                // the embeddings, the largest tensors, go straight to native memory; only transformed ones pass the heap
                Shape modelShape = modelShapes.get(name);
                weights.put(name, config.keepsFileLayout(name)
                        ? ModelDirectory.readNative(folder, dir, inFile, e.getValue(), manager, policy)
                        : Weight.fromFloats(manager, modelShape, ModelDirectory.heldPrecision(folder, inFile, modelShape, policy),
                                GptTensors.toModel(config, name, ModelDirectory.readChecked(folder, dir, inFile, e.getValue()))));
            }
        } catch (IOException e) {
            throw new BadInputException(dir, "weights cannot be read: " + e.getMessage());
        }
        return new GptModel(config, manager, weights::get);
    }

    /** Canonical name → name in the file, for every tensor the model uses; refuses tensors it has no place for. */
    private static Map<String, String> fileNames(SafetensorsFolder folder, Map<String, Shape> expected, GptConfig config) {
        Map<String, String> names = new HashMap<>();
        for (TensorInfo t : folder.tensors()) {
            String canonical = t.name().startsWith(GptTensors.PREFIX) || t.name().equals(GptTensors.HEAD)
                    ? t.name() : GptTensors.PREFIX + t.name();
            if (expected.containsKey(canonical)) {
                String earlier = names.put(canonical, t.name());
                if (earlier != null) {
                    throw new BadInputException(folder.fileOf(t.name()), "holds both '" + earlier + "' and '" + t.name() + "'");
                }
            } else if (!isSkipped(canonical, config)) {
                throw new BadInputException(folder.fileOf(t.name()), "unexpected tensor '" + t.name() + "' for a "
                        + config.architecture() + " with this config.json");
            }
        }
        return names;
    }

    private static boolean isSkipped(String name, GptConfig config) {
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias") || (config.tieWordEmbeddings() && name.equals(GptTensors.HEAD));
    }
}
