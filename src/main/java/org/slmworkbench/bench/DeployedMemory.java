package org.slmworkbench.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slmworkbench.JvmLaunch;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.compress.CompactWeights;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.model.CausalLm;

/**
 * The memory a deployed setting needs: the peak resident memory of a fresh process that loads the
 * setting's export and generates a few tokens, measured in a child JVM (the seed measured its
 * models inside the process that built them, where the base and every copy add up). Linux only:
 * elsewhere the figure is -1.
 */
public final class DeployedMemory {
    private static final String PEAK = "peak RSS ";
    private static final Pattern PEAK_KIB = Pattern.compile(PEAK + "(\\d+) KiB");
    private static final int TOKENS = 8;
    private static final long TIMEOUT_MINUTES = 10;

    private DeployedMemory() {}

    /** The phrase {@code generate} ends its summary with, which {@link #of} reads back. */
    public static String peakLine() {
        long peak = ProcessMemory.peakRssBytes();
        return peak < 0 ? PEAK + "n/a" : PEAK + peak / 1024 + " KiB";
    }

    /**
     * Peak RSS in bytes of {@code generate} in a new JVM on {@code folder} (a model folder: the
     * base's own, or an export), or -1 when it cannot be measured here.
     */
    public static long ofFolder(Path folder, int[] prompt) throws IOException {
        Path launcher = JvmLaunch.java();
        if (ProcessMemory.peakRssBytes() < 0 || launcher == null) {
            return -1;
        }
        // started as the jar starts itself, so the figure is what a user's java -jar would take
        List<String> command = JvmLaunch.command(launcher, List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "org.slmworkbench.Main", "generate", "--model", folder.toString(), "--max-new-tokens", Integer.toString(TOKENS), "--greedy",
                "--prompt-ids", String.join(",", java.util.Arrays.stream(prompt).mapToObj(Integer::toString).toList())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("measuring the deployed memory of " + folder + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while measuring the deployed memory of " + folder);
        }
        Matcher m = PEAK_KIB.matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** As {@link #ofFolder} for a compressed copy: exported compact to a scratch folder, measured, removed. */
    public static Measured ofCopy(CausalLm copy, Path source, int[] prompt) throws IOException {
        Path scratch = Files.createTempDirectory("slm-deployed");
        try {
            Path export = scratch.resolve("export");
            ModelDirectory.save(export, copy, ModelDirectory.copyTokenizerFrom(source), new ModelDirectory.Extras(null, null, true));
            return new Measured(ofFolder(export, prompt), Files.size(export.resolve(CompactWeights.FILE)));
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
    }

    /** A deployed figure and the compact weights file it ran from. */
    public record Measured(long peakRssBytes, long compactFileBytes) {}
}
