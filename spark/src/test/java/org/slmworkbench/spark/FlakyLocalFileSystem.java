package org.slmworkbench.spark;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The local file system, except that the first open of one chosen file fails, as a task does whose
 * executor is lost while it reads: Spark runs the task again, and the job must come out the same.
 */
public final class FlakyLocalFileSystem extends LocalFileSystem {
    /** The name of the file whose next open fails, once; null for none. */
    static final AtomicReference<String> FAIL_ONCE = new AtomicReference<>();

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        String armed = FAIL_ONCE.get();
        if (f.getName().equals(armed) && FAIL_ONCE.compareAndSet(armed, null)) {
            throw new IOException("executor lost while reading " + armed + " (a test's injected failure)");
        }
        return super.open(f, bufferSize);
    }
}
