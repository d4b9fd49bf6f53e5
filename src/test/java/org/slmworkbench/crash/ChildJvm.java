package org.slmworkbench.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slmworkbench.Main;

/**
 * The command line in a separate JVM on this test's class path, so a test can kill it with SIGKILL
 * ({@link Process#destroyForcibly} on Linux and macOS) the way a power cut or the OOM killer would.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits until a line of output matches, or the process ends; true if a line matched. */
    boolean awaitLine(Predicate<String> wanted, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lines) {
            while (lines.stream().noneMatch(wanted)) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0 || !process.isAlive()) {
                    return false;
                }
                lines.wait(Math.min(left, 50));
            }
            return true;
        }
    }

    /** SIGKILL, then waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("child did not finish in " + timeoutMillis + " ms:\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed mid-line: what was read so far is all there is
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
