package org.slmworkbench.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slmworkbench.TaskControl;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.TrainingState;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.io.IoAction;
import org.slmworkbench.lora.LoraModel;
import org.slmworkbench.lora.PeftAdapter;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.Engines;
import org.slmworkbench.model.MatMulPeak;
import org.slmworkbench.model.ModelCard;

/**
 * A fine-tuning run that trains LoRA adapters on a frozen (possibly compressed) base, then writes
 * the merged model to the output folder, with the adapter alone beside it in PEFT's layout
 * ({@code adapter/}). Pruned weights stay exactly zero through the merge; a quantized base is
 * quantized again with the update added.
 */
final class LoraTraining {
    private LoraTraining() {}

    /** The run's arithmetic speed beside this machine's f32 matrix-product speed, measured now. */
    private static String utilization(CausalLm model, int context, double tokensPerSecond) {
        double flops = LoraArithmetic.flopsPerToken(model, context, model.matrixPrecision().needsWidening());
        double achieved = flops * tokensPerSecond / 1e9;
        double peak = MatMulPeak.gflops();
        return String.format(Locale.ROOT, "arithmetic: %.1f GFLOP a token, %.0f GFLOP/s at %.1f tokens/s: %.0f%% of this machine's"
                + " f32 matrix-product speed, %.0f GFLOP/s measured now (%d×%d by %d×%d, %d threads)", flops / 1e9, achieved,
                tokensPerSecond, 100 * achieved / peak, peak, MatMulPeak.ROWS, MatMulPeak.INNER, MatMulPeak.INNER, MatMulPeak.COLUMNS,
                Engines.threads());
    }

    /**
     * @param saved the state of a checkpoint to resume from (its adapter is in the output's
     *     {@link PeftAdapter#RUN_FOLDER}), or null
     */
    static TrainResult run(TrainingJob.Request req, CausalLm base, IoAction<Path> tokenizerWriter, int[] trainTokens, int[] heldoutTokens,
            TrainingState.Saved saved, BiFunction<CausalLm, TrainResult, ModelCard> card, Consumer<TrainingProgress> progress,
            Consumer<String> log, TaskControl control) throws IOException {
        int context = Math.min(req.train().context(), base.maxContext());
        TrainConfig cfg = req.train().context() == context ? req.train() : TrainingJob.withContext(req.train(), context);
        TokenWindows heldout = heldoutTokens.length > context ? new TokenWindows(heldoutTokens, context) : null;
        // a resume takes the checkpoint's adapter; the run's description, checked already, says it has these settings
        try (LoraModel lora = saved == null ? LoraModel.attach(base, req.lora(), cfg.seed())
                    : PeftAdapter.apply(PeftAdapter.read(req.out().resolve(PeftAdapter.RUN_FOLDER)), base);
                Trainer trainer = new Trainer(lora.model(), lora.parameters(), cfg, TrainingJob.windowsOrFail(trainTokens, context, req),
                        heldout, m -> { })) {
            log.accept(String.format(Locale.ROOT, "LoRA %s on %d matrices: %,d trainable parameters (%.2f%% of %,d), base held as %s%s",
                    req.lora().describe(), lora.adapters().size(), lora.parameterCount(), 100.0 * lora.parameterCount() / base.parameterCount(),
                    base.parameterCount(), base.matrixPrecision().label(),
                    base.matrixPrecision().needsWidening() ? "; each step recomputes one block at a time for backward" : ""));
            String compression = req.compression().isNone() ? "" : req.compression().toCompactString();
            String basePath = req.base().toAbsolutePath().normalize().toString();
            if (saved != null) {
                trainer.optimizer().restore(saved.moments(), TrainingJob.arrays(lora.parameters()), saved.step());
                log.accept("resuming at step " + saved.step());
            }
            String run = req.describe().toString();
            // a checkpoint is the adapter and the optimizer's state, megabytes: the base is read again on resume
            CheckpointSink sink = (step, m, opt, soFar) -> {
                AtomicFiles.replaceDirectory(req.out(), staging -> {
                    PeftAdapter.writeInto(Files.createDirectory(staging.resolve(PeftAdapter.RUN_FOLDER)), lora, basePath, compression);
                    new TrainingState(step, run, opt.state()).write(staging.resolve(TrainingState.FILE));
                });
                log.accept("checkpoint at step " + step + " written to " + req.out() + " (the adapter; --adapter applies it to the base)");
            };
            TrainResult result = trainer.run(progress, control, sink);
            if (result.cancelled()) {
                log.accept("cancelled at step " + result.stepsDone() + "; " + (TrainingState.existsIn(req.out())
                        ? "the last checkpoint in " + req.out() + " is intact" : "nothing was written to " + req.out()));
                return result;
            }
            if (!Double.isNaN(result.tokensPerSecond())) {
                log.accept(utilization(lora.model(), context, result.tokensPerSecond()));
            }
            double finalHeldout = heldout == null ? Double.NaN : trainer.evaluate(heldout, 4 * cfg.evalWindows());
            TrainResult done = new TrainResult(result.stepsDone(), result.trainLoss(), finalHeldout, result.medianMsPerStep(),
                    result.tokensPerSecond(), false);
            // the adapter is written from its factors, which the merge leaves in place
            lora.mergeIntoBase(req.compression().prunes());
            boolean compact = !req.compression().isNone() || base.config().hfLimitation().isPresent();
            ModelDirectory.save(req.out(), base, tokenizerWriter, new ModelDirectory.Extras(card.apply(base, done), null, compact,
                    dir -> PeftAdapter.writeInto(Files.createDirectory(dir.resolve(PeftAdapter.RUN_FOLDER)), lora, basePath, compression)));
            log.accept("merged model written to " + req.out() + (req.compression().quantizes() ? " (quantized again with the update)" : "")
                    + "; the adapter alone, in PEFT's layout, to " + req.out().resolve(PeftAdapter.RUN_FOLDER));
            return done;
        }
    }
}
