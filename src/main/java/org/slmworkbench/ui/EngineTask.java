package org.slmworkbench.ui;

import java.util.function.Consumer;
import javafx.concurrent.Task;
import org.slmworkbench.TaskControl;

/**
 * The one adapter from engine work to {@link Task}: cancelling the task cancels the engine's
 * {@link TaskControl}, so every panel stops and reports the same way; engine progress reaches the
 * task's progress and message properties.
 */
abstract class EngineTask<T> extends Task<T> {
    protected final TaskControl control = new TaskControl();

    /** A task from a lambda; {@code work} reports progress through the {@link Progress} it gets. */
    static <T> EngineTask<T> of(Work<T> work) {
        return new EngineTask<>() {
            @Override
            protected T work(TaskControl control) throws Exception {
                return work.run(control, this::report);
            }
        };
    }

    interface Work<T> {
        T run(TaskControl control, Progress progress) throws Exception;
    }

    /**
     * A task whose work hands over results as far as they go; each reaches {@link #onPartial} on
     * the FX thread (a newer one arriving first replaces an older one not yet shown).
     */
    static <T> EngineTask<T> progressive(PartialWork<T> work) {
        return new EngineTask<>() {
            @Override
            protected T work(TaskControl control) throws Exception {
                return work.run(control, this::report, this::updateValue);
            }
        };
    }

    interface PartialWork<T> {
        T run(TaskControl control, Progress progress, Consumer<T> partial) throws Exception;
    }

    /** Done fraction in [0, 1] (negative: unknown) and a message. */
    interface Progress {
        void report(double fraction, String message);
    }

    /** Pause, resume and cancel of the engine work behind this task. */
    TaskControl control() {
        return control;
    }

    @Override
    protected final T call() throws Exception {
        if (control.isCancelled()) {
            return null;
        }
        return work(control);
    }

    protected abstract T work(TaskControl control) throws Exception;

    protected final void report(double fraction, String message) {
        if (fraction >= 0) {
            updateProgress(fraction, 1);
        }
        if (message != null) {
            updateMessage(message);
        }
    }

    /** Runs on the FX thread for every result handed over while the task runs, until it is cancelled. */
    EngineTask<T> onPartial(Consumer<T> partial) {
        valueProperty().addListener((obs, old, now) -> {
            if (now != null && !control.isCancelled()) {
                partial.accept(now);
            }
        });
        return this;
    }

    /** Runs on the FX thread when the task ends without being cancelled: the value or the error. */
    EngineTask<T> onDone(Consumer<T> success, Consumer<Throwable> failure) {
        setOnSucceeded(e -> {
            if (!control.isCancelled()) {
                success.accept(getValue());
            }
        });
        setOnFailed(e -> {
            if (!control.isCancelled()) {
                failure.accept(getException());
            }
        });
        return this;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        control.cancel();
        // never interrupt: an interrupt inside native code or a file write helps no one
        return super.cancel(false);
    }
}
