package org.slmworkbench.logs;

import java.io.Serializable;
import java.util.List;
import org.slmworkbench.checkpoint.LoadedLm;

/**
 * What our score learns from a normal period of the user's own log, without labels: how often each
 * masked skeleton occurs in its first part ({@code counts}, for T), and how the model's raw surprise
 * is spread over its last stretch ({@code lm}, to rescale L by).
 */
record NormalPeriod(TemplateCounts counts, TailSurprise lm) implements Serializable {
    static NormalPeriod learn(LoadedLm model, LmContext context, List<LogLine> counted, List<LogLine> calibration) {
        return learn(counted, context.read(model, calibration));
    }

    /** The same from the model's reading of the calibration stretch, for a caller that scores that stretch too. */
    static NormalPeriod learn(List<LogLine> counted, LmContext.Read calibration) {
        return new NormalPeriod(new TemplateCounts(counted), TailSurprise.fit(calibration.lm()));
    }
}
