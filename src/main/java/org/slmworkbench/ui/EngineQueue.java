package org.slmworkbench.ui;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slmworkbench.model.Engines;

/**
 * The one thread that touches the base and compressed models, so no model is closed while another
 * task runs it. Tasks in a named slot replace each other: submitting a newer one cancels the older
 * (a slider's newest position wins; queued work that is already stale never starts).
 */
final class EngineQueue {
    private final ExecutorService thread;
    private final Map<String, EngineTask<?>> latest = new HashMap<>();

    EngineQueue(String name) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                Engines.noGradientsOnThisThread();
                r.run();
            }, name);
            t.setDaemon(true);
            return t;
        });
    }

    void submit(EngineTask<?> task) {
        thread.submit(task);
    }

    /** Call on the FX thread. */
    void submitLatest(String slot, EngineTask<?> task) {
        EngineTask<?> older = latest.put(slot, task);
        if (older != null) {
            older.cancel();
        }
        thread.submit(task);
    }

    /** Cancels what is queued in every slot, runs {@code last} after the running task, and stops the thread. */
    void shutdown(Runnable last) {
        latest.values().forEach(EngineTask::cancel);
        thread.submit(last);
        thread.shutdown();
    }

}
