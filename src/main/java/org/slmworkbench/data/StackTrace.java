package org.slmworkbench.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A Java stack trace as the JVM prints it: the exception line, {@code \tat} frames and an
 * optional cause whose frames shared with the outer trace are folded into "... n more".
 *
 * @param shared frames of the outer trace that this cause shares (printed as "... n more")
 */
record StackTrace(String exception, List<String> frames, StackTrace cause, int shared) {

    static StackTrace of(String exception, List<String> frames) {
        return new StackTrace(exception, frames, null, 0);
    }

    StackTrace causedBy(String exception, List<String> frames, int shared) {
        return new StackTrace(this.exception, this.frames, new StackTrace(exception, frames, null, shared), 0);
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(exception);
        appendFrames(out);
        for (StackTrace c = cause; c != null; c = c.cause) {
            out.add("Caused by: " + c.exception);
            c.appendFrames(out);
            out.add("\t... " + c.shared + " more");
        }
        return out;
    }

    private void appendFrames(List<String> out) {
        for (String frame : frames) {
            out.add("\tat " + frame);
        }
    }
}
