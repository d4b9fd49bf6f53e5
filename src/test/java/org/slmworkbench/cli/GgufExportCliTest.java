package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.GptFolders;
import org.slmworkbench.checkpoint.TestCheckpoints;
import org.slmworkbench.io.GgufReader;
import org.slmworkbench.io.GgufTensorInfo;
import org.slmworkbench.io.GgufType;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

/** What {@code export --format gguf} writes (keys, tensors, layouts, Modelfile, card) and what it refuses, without llama.cpp. */
class GgufExportCliTest {
    private static final Path LOGLM = Path.of("models", "loglm-tiny");
    @TempDir Path tmp;

    private CliRun export(Path model, Path out, String... more) {
        String[] args = {"export", "--model", model.toString(), "--out", out.toString(), "--format", "gguf"};
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void writesTheGgufFileAModelfileAndACardNamingEveryTensorType() throws IOException {
        Path out = tmp.resolve("logs-q4");
        CliRun run = export(LOGLM, out, "--outtype", "q4_0", "--compression", "prune=0.3:magnitude,share=16");
        assertEquals(0, run.exit(), run.err());
        assertEquals("FROM ./logs-q4.gguf\nTEMPLATE \"\"\"{{ .Prompt }}\"\"\"\nPARAMETER num_ctx 128\nPARAMETER stop \"<|endoftext|>\"\n",
                Files.readString(out.resolve("Modelfile")));
        String card = Files.readString(out.resolve("README.md"));
        assertTrue(card.contains("Tensor types: Q4_0 token_embd, blk.*.attn_q, blk.*.attn_k, blk.*.attn_v, blk.*.attn_output,"
                + " blk.*.ffn_gate, blk.*.ffn_up, blk.*.ffn_down; F32 blk.*.attn_norm, blk.*.ffn_norm, output_norm."), card);
        assertTrue(card.contains("Shared weights (16 clusters per matrix) have no palette type in GGUF"), card);
        assertTrue(card.contains("Pruned weights are stored as zeros"), card);
        ByteBpeTokenizer tokenizer = ByteBpeTokenizer.load(LOGLM.resolve("tokenizer.json"));
        try (GgufReader gguf = GgufReader.open(out.resolve("logs-q4.gguf"))) {
            var kv = gguf.metadata();
            assertEquals("llama", kv.get("general.architecture").asString());
            assertEquals("gpt2", kv.get("tokenizer.ggml.model").asString());
            assertEquals("starcoder", kv.get("tokenizer.ggml.pre").asString(), "individual digits, then GPT-2's regex");
            assertEquals(2048, kv.get("tokenizer.ggml.tokens").asList().size());
            assertEquals("Ġpublickey", kv.get("tokenizer.ggml.tokens").asList().get(tokenizer.encode(" publickey")[0]));
            assertEquals(3L, kv.get("tokenizer.ggml.token_type").asList().get(2047), "end of text is a control token");
            assertEquals(tokenizer.mergeCount(), kv.get("tokenizer.ggml.merges").asList().size());
            assertEquals(2047, kv.get("tokenizer.ggml.eos_token_id").asLong());
            assertEquals(4, kv.get("llama.block_count").asLong());
            assertEquals(32, kv.get("llama.attention.key_length").asLong());
            assertArrayEquals(new long[] {192, 192}, gguf.get("blk.0.attn_q.weight").dims(), "(out, in) goes in as [in, out]");
            assertArrayEquals(new long[] {192, 2048}, gguf.get("token_embd.weight").dims());
            assertFalse(gguf.find("output.weight").isPresent(), "the tied head is the embedding in llama.cpp's llama");
            assertEquals(GgufType.F32, gguf.get("blk.3.ffn_norm.weight").type());
            assertEquals(GgufType.Q4_0, gguf.get("blk.3.ffn_down.weight").type());
        }
    }

    /** llama.cpp's llama rotates adjacent pairs; ours rotates i with i + head_dim/2, so q and k rows move within each head. */
    @Test
    void queryAndKeyRowsAreReorderedForLlamaCppsRotaryPairs() throws IOException {
        Path out = tmp.resolve("f32");
        assertEquals(0, export(LOGLM, out, "--outtype", "f32").exit());
        Map<String, float[]> hf = TestCheckpoints.read(LOGLM);
        try (GgufReader gguf = GgufReader.open(out.resolve("f32.gguf"))) {
            for (String[] pair : List.of(new String[] {"q_proj", "attn_q"}, new String[] {"k_proj", "attn_k"}, new String[] {"v_proj", "attn_v"})) {
                float[] ours = hf.get("model.layers.1.self_attn." + pair[0] + ".weight");
                float[] theirs = gguf.readFloats("blk.1." + pair[1] + ".weight");
                int head = 1;
                int i = 5;
                boolean reordered = !pair[0].equals("v_proj");
                for (int half = 0; half < 2; half++) {
                    int from = head * 32 + half * 16 + i;
                    int to = reordered ? head * 32 + 2 * i + half : from;
                    assertArrayEquals(Arrays.copyOfRange(ours, from * 192, from * 192 + 192), Arrays.copyOfRange(theirs, to * 192, to * 192 + 192),
                            pair[0] + " row " + from);
                }
            }
            assertArrayEquals(hf.get("model.layers.1.mlp.down_proj.weight"), gguf.readFloats("blk.1.ffn_down.weight"));
        }
    }

    /** GPTBigCode with multi-query attention, 21 wide: no row is a whole block of 32, so a q8_0 export keeps every tensor F32. */
    @Test
    void rowsThatAreNotWholeBlocksStayF32() throws IOException {
        Path model = tmp.resolve("bigcode");
        GptFolders.write(model, GptFolders.bigCode(true), TensorDType.F32, 3);
        Path out = tmp.resolve("bc");
        CliRun run = export(model, out, "--outtype", "q8_0");
        assertEquals(0, run.exit(), run.err());
        try (GgufReader gguf = GgufReader.open(out.resolve("bc.gguf"))) {
            assertEquals("starcoder", gguf.metadata().get("general.architecture").asString());
            assertEquals(1, gguf.metadata().get("starcoder.attention.head_count_kv").asLong());
            assertTrue(gguf.tensors().stream().map(GgufTensorInfo::type).allMatch(t -> t == GgufType.F32));
            assertArrayEquals(new long[] {21, 21 + 2 * 7}, gguf.get("blk.0.attn_qkv.weight").dims());
        }
        assertTrue(Files.readString(out.resolve("README.md")).contains("so is any matrix whose rows are not whole blocks of 32"));
    }

    @Test
    void whatGgufCannotExpressIsRefusedWithTheReasonAndNothingIsWritten() throws IOException {
        Path out = tmp.resolve("never");
        assertRefused(export(LOGLM, out, "--compression", "exit=2@0.9"), "a fixed early exit");
        assertRefused(CliRun.of("export", "--model", LOGLM.toString(), "--out", out.toString(), "--outtype", "q8_0"),
                "--outtype goes with --format gguf");
        assertRefused(export(LOGLM, out, "--outtype", "q5_k"), "must be one of f32, f16, bf16, q8_0, q4_0");
        Path gpt = tmp.resolve("gpt2");
        GptFolders.write(gpt, GptFolders.gpt2(), TensorDType.F32, 3);
        assertRefused(export(gpt, out, "--compression", "prune=0.4:structured"), "heads were pruned");
        Path exact = tmp.resolve("gpt2-exact-gelu");
        GptFolders.write(exact, GptFolders.gpt2Untied(), TensorDType.F32, 3);
        assertRefused(export(exact, out), "scale_attn_weights false");
        Path normalized = tmp.resolve("normalized");
        Files.createDirectories(normalized);
        for (String f : List.of("config.json", "model.safetensors", "generation_config.json")) {
            Files.copy(LOGLM.resolve(f), normalized.resolve(f));
        }
        JsonObject tokenizer = JsonParser.parseString(Files.readString(LOGLM.resolve("tokenizer.json"))).getAsJsonObject();
        tokenizer.add("normalizer", JsonParser.parseString("{\"type\": \"NFC\"}"));
        Files.writeString(normalized.resolve("tokenizer.json"), tokenizer.toString());
        CliRun run = export(normalized, out);
        assertRefused(run, "a GGUF export describes the tokenizer to llama.cpp as a byte-level BPE");
        assertTrue(run.err().contains(normalized.resolve("tokenizer.json").toString()), run.err());
    }

    private void assertRefused(CliRun run, String reason) {
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains(reason), run.err());
        assertEquals(1, run.err().strip().lines().filter(l -> !l.startsWith("compressed")).count(), "one line: " + run.err());
        assertFalse(Files.exists(tmp.resolve("never")), "nothing written");
    }
}
