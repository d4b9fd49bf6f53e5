package org.slmworkbench.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.checkpoint.TrainingState;
import org.slmworkbench.io.AtomicFiles;

/**
 * Kills the command line with SIGKILL at random points of a fine-tune (which checkpoints every
 * step, so kills land in training and in checkpoint writes alike) and of an export (killed after
 * its staging folder appears, so kills land while files are written and while folders are swapped),
 * then checks that what is on disk is always a complete earlier version and that a resume continues
 * from the last complete checkpoint. The kill points come from a fixed seed, so a failure repeats.
 */
class CrashSafetyTest {
    private static final long SEED = 20261126;
    private static final Pattern CHECKPOINT_LINE = Pattern.compile("checkpoint at step (\\d+) written");

    @TempDir Path tmp;

    @Test
    void aKilledFineTuneLeavesItsLastCheckpointAndResumesFromIt() throws Exception {
        Path base = tmp.resolve("models/base");
        TinyModels.write(base, 1);
        Path data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(3000));
        Path out = tmp.resolve("models/tuned");
        List<String> args = List.of("finetune", "--model", base.toString(), "--data", data.toString(), "--out", out.toString(),
                "--steps", "300", "--batch", "8", "--context", "48", "--checkpoint-every", "1", "--print-every", "1", "--seed", "5",
                "--threads", "1");
        Random random = new Random(SEED);
        int resumable = -1;
        for (int kill = 0; kill < 4; kill++) {
            List<String> run = new ArrayList<>(args);
            if (resumable >= 0) {
                run.add("--resume");
            }
            int printed;
            try (ChildJvm child = ChildJvm.start(run.toArray(String[]::new))) {
                assertTrue(child.awaitLine(l -> CHECKPOINT_LINE.matcher(l).find(), 120_000), child.output());
                if (resumable >= 0) {
                    assertTrue(child.output().contains("resuming at step " + resumable), child.output());
                }
                Thread.sleep(random.nextInt(400));
                child.kill();
                printed = lastCheckpointPrinted(child.output());
            }
            Path complete = completeVersion(out);
            int step = TrainingState.read(complete).step();
            // written at least up to the last step reported; at most the one being written at the kill
            assertTrue(step == printed || step == printed + 1, "state at step " + step + ", last reported " + printed);
            assertLoads(complete);
            onlyHiddenLeftovers(out);
            resumable = step;
        }
        List<String> finish = new ArrayList<>(args);
        finish.add("--resume");
        try (ChildJvm child = ChildJvm.start(finish.toArray(String[]::new))) {
            assertEquals(0, child.waitFor(300_000), child.output());
            assertTrue(child.output().contains("resuming at step " + resumable), child.output());
        }
        assertFalse(TrainingState.existsIn(out), "a finished run leaves no resume state");
        assertLoads(out);
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(Set.of("base", "tuned"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()),
                    "the swap leftovers are cleaned up by the next write");
        }
    }

    @Test
    void aKilledExportLeavesTheEarlierExportWholeOrTheNewOneComplete() throws Exception {
        Path model = tmp.resolve("model");
        Path config = Files.writeString(tmp.resolve("config.json"), """
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 384, "intermediate_size": 1024, "num_hidden_layers": 4,
                 "num_attention_heads": 6, "num_key_value_heads": 2, "vocab_size": 512, "max_position_embeddings": 128,
                 "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": false}
                """);
        try (ChildJvm init = ChildJvm.start("init", "--config", config.toString(), "--out", model.toString())) {
            assertEquals(0, init.waitFor(300_000), init.output());
        }
        Path exports = tmp.resolve("exports");
        String[] dense = {"--prune", "0"};
        String[] pruned = {"--prune", "0.5"};
        String denseHash = export(model, exports.resolve("reference-dense"), dense);
        String prunedHash = export(model, exports.resolve("reference-pruned"), pruned);
        Path out = exports.resolve("exp");
        assertEquals(denseHash, export(model, out, dense));

        Random random = new Random(SEED);
        int killedMidWrite = 0;
        for (int kill = 0; kill < 6; kill++) {
            String[] setting = kill % 2 == 0 ? pruned : dense;
            try (ChildJvm child = ChildJvm.start(exportArgs(model, out, setting))) {
                if (awaitStaging(out, child)) {
                    killedMidWrite++;
                    Thread.sleep(random.nextInt(250));
                }
                child.kill();
            }
            Path complete = completeVersion(out);
            String hash = sha256(complete.resolve(ModelDirectory.WEIGHTS));
            assertTrue(hash.equals(denseHash) || hash.equals(prunedHash), "a partial export was left in " + complete);
            assertLoads(complete);
            onlyHiddenLeftovers(out);
        }
        assertTrue(killedMidWrite >= 4, "most kills should land while the export writes, not before: " + killedMidWrite);
    }

    private static String export(Path model, Path out, String[] setting) throws Exception {
        try (ChildJvm child = ChildJvm.start(exportArgs(model, out, setting))) {
            assertEquals(0, child.waitFor(300_000), child.output());
        }
        return sha256(out.resolve(ModelDirectory.WEIGHTS));
    }

    private static String[] exportArgs(Path model, Path out, String[] setting) {
        return Stream.concat(Stream.of("export", "--model", model.toString(), "--out", out.toString()),
                Stream.of(setting)).toArray(String[]::new);
    }

    /** Waits for the export's hidden staging folder next to {@code out}; false if the child ended first. */
    private static boolean awaitStaging(Path out, ChildJvm child) throws Exception {
        long end = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < end) {
            if (hiddenSiblings(out).stream().anyMatch(p -> p.getFileName().toString().contains(".staging-"))) {
                return true;
            }
            if (child.awaitLine(l -> l.startsWith("wrote "), 1)) {
                return false;
            }
        }
        throw new AssertionError("the export never started writing:\n" + child.output());
    }

    /**
     * The folder holding the complete latest version: the target, or — if the kill came between the
     * two renames of a swap — the single earlier version beside it (which the next write puts back).
     */
    private static Path completeVersion(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            return target;
        }
        List<Path> olds = hiddenSiblings(target).stream().filter(p -> p.getFileName().toString().contains(".old-")).toList();
        assertEquals(1, olds.size(), target + " is missing and there is not exactly one earlier version: " + olds);
        return olds.get(0);
    }

    /** Anything beside the target besides the target itself is a hidden staging name that listings skip. */
    private static void onlyHiddenLeftovers(Path target) throws IOException {
        try (Stream<Path> s = Files.list(target.getParent())) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.contains(target.getFileName().toString()) && !p.equals(target)) {
                    assertTrue(AtomicFiles.isStagingName(p), "a leftover that looks like a model: " + p);
                }
            }
        }
    }

    private static List<Path> hiddenSiblings(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    private static void assertLoads(Path dir) {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm lm = CheckpointLoader.load(dir, m)) {
            assertTrue(lm.model().numLayers() > 0);
        }
    }

    private static int lastCheckpointPrinted(String output) {
        int step = 0;
        Matcher m = CHECKPOINT_LINE.matcher(output);
        while (m.find()) {
            step = Integer.parseInt(m.group(1));
        }
        return step;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
