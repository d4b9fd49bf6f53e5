package org.slmworkbench.spark;

import java.io.Serializable;
import org.slmworkbench.logs.LmContext;
import org.slmworkbench.logs.LogScoring;

/**
 * What every task needs to score its files, shipped from the driver with the task.
 *
 * @param model the model folder as given: a path every node sees, or the name of a folder shipped with the job
 * @param context how the model reads a log (as {@code score --context})
 * @param threads intra-op threads of each task's tensor ops
 * @param skeletonCache masked skeletons each executor keeps across files (0: none)
 * @param period the normal period learned on the driver; null scores zero-shot
 */
record ScoreJob(String model, LmContext context, int threads, int skeletonCache, LogScoring.Period period) implements Serializable {}
