package org.slmworkbench.spark;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleConsumer;
import org.apache.spark.SparkFiles;
import org.slmworkbench.BadInputException;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.logs.SkeletonCache;

/**
 * The model of one executor JVM, loaded by its first task and shared by every task after it (tasks of
 * one executor run as threads of one JVM), with the skeletons read so far. It lives as long as the
 * executor: its native memory is released when the JVM ends.
 */
record ExecutorModel(LoadedLm lm, SkeletonCache cache) {
    private static final Map<String, ExecutorModel> LOADED = new ConcurrentHashMap<>();

    /** This JVM's model for the job, loading it on first use; {@code loaded} is told the seconds when this call loads it. */
    static ExecutorModel of(ScoreJob job, DoubleConsumer loaded) {
        return LOADED.computeIfAbsent(job.model(), name -> {
            long t0 = System.nanoTime();
            LoadedLm lm = CheckpointLoader.load(folder(name), NDManager.newBaseManager());
            loaded.accept((System.nanoTime() - t0) / 1e9);
            return new ExecutorModel(lm, new SkeletonCache(job.skeletonCache()));
        });
    }

    /** The folder as given when this node sees it, else the one shipped with the job under that name. */
    static Path folder(String model) {
        Path given = Path.of(model);
        if (Files.isDirectory(given)) {
            return given;
        }
        Path shipped = Path.of(SparkFiles.get(model));
        if (Files.isDirectory(shipped)) {
            return shipped;
        }
        throw new BadInputException(model + ": no such model folder on this node; give a path that every node sees, or ship the"
                + " folder with the job (--archives model.tgz#" + given.getFileName() + ")");
    }
}
