package org.slmworkbench.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;
import org.slmworkbench.model.ConfigFile;

/**
 * Any bytes as {@code config.json} (read as the architecture it declares) and as
 * {@code generation_config.json}. A config that is accepted has no problems left.
 */
class ConfigFuzzTest {
    private static Path dir;

    @BeforeAll
    static void folder() {
        dir = FuzzFiles.folder(ConfigFuzzTest.class);
    }

    @FuzzTest(maxDuration = "4s")
    @DictionaryEntries({"\"architectures\"", "\"model_type\"", "LlamaForCausalLM", "GPT2LMHeadModel", "GPTBigCodeForCausalLM",
            "\"gpt2\"", "\"gpt_bigcode\"", "\"llama\"", "\"hidden_size\"", "\"intermediate_size\"", "\"num_hidden_layers\"",
            "\"num_attention_heads\"", "\"num_key_value_heads\"", "\"head_dim\"", "\"max_position_embeddings\"", "\"vocab_size\"",
            "\"n_embd\"", "\"n_layer\"", "\"n_head\"", "\"n_inner\"", "\"n_positions\"", "\"eos_token_id\"", "\"rope_theta\"",
            "\"rms_norm_eps\"", "\"multi_query\"", "\"activation_function\"", "\"hidden_act\"", "\"tie_word_embeddings\"", "1e400", "2147483648"})
    void readConfigAndGenerationConfig(byte[] input) throws Exception {
        Path config = FuzzFiles.write(dir.resolve(ModelDirectory.CONFIG), input);
        FuzzFiles.readOrRefuse(config, () -> {
            ConfigFile file = ConfigFile.read(config);
            Architecture architecture = Architecture.of(file);
            List<String> problems = architecture == Architecture.LLAMA
                    ? LlamaConfigJson.parse(file).problems()
                    : GptConfigJson.parse(file, architecture.gptFamily()).problems();
            assertEquals(List.of(), problems);
        });
        Path generation = FuzzFiles.write(dir.resolve(ModelDirectory.GENERATION), input);
        FuzzFiles.readOrRefuse(generation, () -> CheckpointLoader.eosId(dir, 0));
    }
}
