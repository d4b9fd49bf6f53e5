package org.slmworkbench.bench;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slmworkbench.io.AtomicFiles;

/**
 * The python3 on the PATH, for the code columns: syntax checks through {@code ast.parse} (nothing
 * runs) and, only when the user opts in, running a completion in a fresh temporary folder under a
 * memory and CPU-time limit and a wall-clock timeout.
 */
public final class Python {
    static final long MEMORY_LIMIT_BYTES = 512L << 20;
    static final int CPU_SECONDS = 5;
    static final long WALL_SECONDS = 10;
    private static final long CHECK_SECONDS = 120;

    private final Path executable;

    public Python(Path executable) {
        this.executable = executable;
    }

    /** python3 from the PATH, or null when there is none (the code columns are then n/a). */
    public static Python onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "python3");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new Python(candidate);
            }
        }
        return null;
    }

    /** For each source, null when it parses as Python, else the syntax error. */
    public List<String> syntaxErrors(List<String> sources) throws IOException {
        Path scratch = Files.createTempDirectory("slm-check");
        try {
            Path script = copyResource("check_syntax.py", scratch);
            Process p = new ProcessBuilder(executable.toString(), "-I", script.toString()).redirectErrorStream(false).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(new Gson().toJson(sources).getBytes(StandardCharsets.UTF_8));
            }
            String out;
            try (InputStream o = p.getInputStream()) {
                out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(CHECK_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(executable + " could not check the completions: " + new String(p.getErrorStream().readAllBytes(),
                        StandardCharsets.UTF_8).strip());
            }
            return new Gson().fromJson(out, new TypeToken<List<String>>() { }.getType());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking syntax", e);
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
    }

    /** Runs one completion in a fresh temporary folder; true when it exits with 0 within the limits. */
    public boolean runsCleanly(String source) throws IOException {
        Path dir = Files.createTempDirectory("slm-exec");
        try {
            Files.writeString(dir.resolve("completion.py"), source);
            Path runner = copyResource("run_limited.py", dir);
            Process p = new ProcessBuilder(executable.toString(), "-I", runner.toString(), "completion.py",
                    Long.toString(MEMORY_LIMIT_BYTES), Integer.toString(CPU_SECONDS))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(WALL_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return false;
            }
            return p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running a completion", e);
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    private static Path copyResource(String name, Path dir) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream r = Python.class.getResourceAsStream("/python/" + name)) {
            if (r == null) {
                throw new UncheckedIOException(new IOException("missing resource /python/" + name));
            }
            Files.write(file, r.readAllBytes());
        }
        return file;
    }
}
