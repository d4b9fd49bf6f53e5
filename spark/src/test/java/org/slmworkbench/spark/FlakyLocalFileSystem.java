package org.slmworkbench.spark;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The local file system, except for failures armed once, as a task meets them whose executor is lost:
 * while it reads a log file, or after it has written all its rows and is committing them. Spark runs
 * the task again, and the job must come out the same.
 */
public final class FlakyLocalFileSystem extends LocalFileSystem {
    /** The name of the file whose next open fails, once; null for none. */
    static final AtomicReference<String> FAIL_READ = new AtomicReference<>();
    /** Whether the next task commit (the rename of a task attempt's output into the job's) fails, once. */
    static final AtomicBoolean FAIL_COMMIT = new AtomicBoolean();

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        String armed = FAIL_READ.get();
        if (f.getName().equals(armed) && FAIL_READ.compareAndSet(armed, null)) {
            throw new IOException("executor lost while reading " + armed + " (a test's injected failure)");
        }
        return super.open(f, bufferSize);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        if (src.getName().startsWith("attempt_") && FAIL_COMMIT.compareAndSet(true, false)) {
            throw new IOException("executor lost while committing " + src.getName() + " (a test's injected failure)");
        }
        return super.rename(src, dst);
    }
}
