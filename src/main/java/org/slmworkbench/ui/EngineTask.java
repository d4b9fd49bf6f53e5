package org.slmworkbench.ui;

import javafx.concurrent.Task;
import org.slmworkbench.TaskControl;

/**
 * The one adapter from engine work to {@link Task}: cancelling the task cancels the engine's
 * {@link TaskControl}, so every panel stops and reports the same way.
 */
public abstract class EngineTask<T> extends Task<T> {
    protected final TaskControl control = new TaskControl();

    @Override
    protected final T call() throws Exception {
        return work(control);
    }

    protected abstract T work(TaskControl control) throws Exception;

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        control.cancel();
        // never interrupt: an interrupt inside native code or a file write helps no one
        return super.cancel(false);
    }
}
