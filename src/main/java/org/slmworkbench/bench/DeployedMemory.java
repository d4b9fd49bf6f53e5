package org.slmworkbench.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
     * Starts {@code generate} in a new JVM on {@code folder} (a model folder: the base's own, or an
     * export); its peak RSS is read when the run is awaited. Null when it cannot be measured here.
     */
    public static Run start(Path folder, int[] prompt) throws IOException {
        return start(folder, prompt, null, -1);
    }

    /**
     * The same for a compressed copy: exported compact to a scratch folder, which the run removes
     * when closed; the file's size is the copy's compact size.
     */
    public static Run startCopy(CausalLm copy, Path source, int[] prompt) throws IOException {
        Path scratch = Files.createTempDirectory("slm-deployed");
        try {
            Path export = scratch.resolve("export");
            ModelDirectory.save(export, copy, ModelDirectory.copyTokenizerFrom(source), new ModelDirectory.Extras(null, null, true));
            Run run = start(export, prompt, scratch, Files.size(export.resolve(CompactWeights.FILE)));
            if (run == null) {
                AtomicFiles.deleteTree(scratch);
            }
            return run;
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(scratch);
            throw e;
        }
    }

    private static Run start(Path folder, int[] prompt, Path scratch, long compactBytes) throws IOException {
        Path launcher = JvmLaunch.java();
        if (ProcessMemory.peakRssBytes() < 0 || launcher == null) {
            return null;
        }
        // started as the jar starts itself, so the figure is what a user's java -jar would take
        List<String> command = JvmLaunch.command(launcher, List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "org.slmworkbench.Main", "generate", "--model", folder.toString(), "--max-new-tokens", Integer.toString(TOKENS), "--greedy",
                "--prompt-ids", String.join(",", java.util.Arrays.stream(prompt).mapToObj(Integer::toString).toList())));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        JvmLaunch.environment(builder.environment(), false);
        return new Run(builder.start(), folder, scratch, compactBytes);
    }

    /**
     * A deployed run under way: the measuring process may score quality meanwhile (those figures
     * do not depend on time), and awaits it before timing anything again.
     */
    public static final class Run implements AutoCloseable {
        private final Process process;
        private final Path folder;
        private final Path scratch;
        private final long compactBytes;
        private final CompletableFuture<String> output;

        private Run(Process process, Path folder, Path scratch, long compactBytes) {
            this.process = process;
            this.folder = folder;
            this.scratch = scratch;
            this.compactBytes = compactBytes;
            // read as it comes, so a child that writes much never blocks on a full pipe
            this.output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
        }

        /** The child's peak RSS in bytes (-1 when it did not say), and the compact file it ran from (-1 for a model folder). */
        public Measured await() throws IOException {
            try {
                if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IOException("measuring the deployed memory of " + folder + " failed: " + output.join().strip());
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while measuring the deployed memory of " + folder);
            }
            Matcher m = PEAK_KIB.matcher(output.join());
            return new Measured(m.find() ? Long.parseLong(m.group(1)) * 1024 : -1, compactBytes);
        }

        /** Stops the child if it still runs and removes the scratch export. */
        @Override
        public void close() {
            process.destroyForcibly();
            if (scratch != null) {
                try {
                    process.waitFor(1, TimeUnit.MINUTES);
                    AtomicFiles.deleteTree(scratch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    // a scratch export left in the temporary folder, which the system clears
                }
            }
        }
    }

    /** A deployed figure and the compact weights file it ran from. */
    public record Measured(long peakRssBytes, long compactFileBytes) {}
}
