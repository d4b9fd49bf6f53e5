package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.TinyModels;

class BenchCliTest {
    @TempDir Path tmp;

    @Test
    void writesEveryResultFileWithMeasuredValues() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 2);
        Path data = Files.createDirectories(tmp.resolve("logs/heldout"));
        Files.createDirectories(tmp.resolve("logs/train"));
        Files.writeString(tmp.resolve("logs/train/app.log"), TinyModels.logText(50));
        List<String> lines = new java.util.ArrayList<>(TinyModels.logText(40).lines().toList());
        lines.set(20, "kernel: BUG: unable to handle page fault ### Oops");
        Files.write(data.resolve("app.log"), lines);
        Files.writeString(data.resolve("labels.tsv"), "file\tline\tkind\napp.log\t21\trare-template\n");
        Path configs = Files.writeString(tmp.resolve("configs.json"),
                "[{\"name\": \"Base\", \"config\": \"none\"}, {\"name\": \"Small\", \"config\": \"prune=0.5:structured,share=8\"}]");
        Path out = tmp.resolve("bench");
        CliRun r = CliRun.of("bench", "--model", model.toString(), "--data", tmp.resolve("logs").toString(), "--configs", configs.toString(),
                "--out", out.toString(), "--max-eval-tokens", "300", "--decode-tokens", "6", "--repeats", "1", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        for (String f : List.of("results.md", "results.csv", "results.json", "latency.png", "quality-vs-size.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String md = Files.readString(out.resolve("results.md"));
        for (String column : List.of("| Model | Technique | Latency (ms) | Throughput (samples/s) | Memory (MB) |", "Compact file (MB)",
                "Top-1 agreement", "Anomaly AUC")) {
            assertTrue(md.contains(column), column);
        }
        JsonArray json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonArray();
        assertEquals(2, json.size());
        JsonObject base = json.get(0).getAsJsonObject();
        JsonObject small = json.get(1).getAsJsonObject();
        for (String key : List.of("name", "config", "prefill_ms", "decode_ms_per_token_p50", "decode_ms_per_token_p95", "tokens_per_s",
                "weights_bytes", "rss_bytes", "dense_file_bytes", "compact_file_bytes", "perplexity", "top1_agreement", "mean_kl",
                "anomaly_auc")) {
            assertTrue(base.has(key) && !base.get(key).isJsonNull(), key);
        }
        assertEquals(1.0, base.get("top1_agreement").getAsDouble(), 1e-9, "the base agrees with itself");
        assertEquals(0.0, base.get("mean_kl").getAsDouble(), 1e-6);
        assertTrue(small.get("weights_bytes").getAsLong() < base.get("weights_bytes").getAsLong());
        assertTrue(small.get("compact_file_bytes").getAsLong() < base.get("compact_file_bytes").getAsLong());
        assertTrue(small.get("mean_kl").getAsDouble() > 0);
    }
}
