package org.slmworkbench.train;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slmworkbench.BadInputException;
import org.slmworkbench.Stats;
import org.slmworkbench.TaskControl;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.TrainingState;
import org.slmworkbench.compress.CompressedModel;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.Compressor;
import org.slmworkbench.compress.Quantization;
import org.slmworkbench.compress.WeightConstraints;
import org.slmworkbench.data.DataOptions;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.Document;
import org.slmworkbench.data.TextDataset;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.io.IoAction;
import org.slmworkbench.lora.LoraConfig;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.ModelCard;
import org.slmworkbench.model.RandomWeights;
import org.slmworkbench.model.WeightPolicy;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;
import org.slmworkbench.tokenizer.ByteBpeTrainer;
import org.slmworkbench.tokenizer.CharTokenizer;
import org.slmworkbench.tokenizer.PreTokenization;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * A whole training run as the command line and the window start it: read the data, make or reuse
 * a tokenizer, build or load the model, train with checkpoints into {@code out}, and write the
 * final checkpoint with its model card. With a compression setting, the loaded model is compressed
 * first and trained with its pruning zeros and shared weights kept ({@link WeightConstraints}),
 * saved compact. With {@code resume}, continues exactly from the last checkpoint in {@code out}.
 */
public final class TrainingJob {
    private static final double HELDOUT_FRACTION = 0.1;

    /**
     * @param shape the model to create, or null to fine-tune {@code base}
     * @param base the model to fine-tune, or null to train from scratch
     * @param compression applied to {@code base} before fine-tuning, with its pruned weights and
     *     weight-sharing clusters then kept fixed (recovery fine-tuning); null or NONE for none
     * @param dataOptions how to read {@code data}; null for the defaults
     * @param lora null to train every weight; otherwise only LoRA adapters train, on a frozen base held
     *     as its folder stores it and compressed (quantization included) before training
     */
    public record Request(List<Path> data, Path out, ModelShape shape, Path base, CompressionConfig compression, TrainConfig train,
            boolean resume, String command, DataOptions dataOptions, LoraConfig lora) {
        public Request {
            compression = compression == null ? CompressionConfig.NONE : compression;
            dataOptions = dataOptions == null ? DataOptions.DEFAULTS : dataOptions;
            if (!compression.isNone() && base == null) {
                throw new IllegalArgumentException("compression applies to fine-tuning a base model, not to training from scratch");
            }
            if (compression.exitThreshold() > 0) {
                throw new IllegalArgumentException("an exit threshold only acts while generating; fine-tune with exit="
                        + compression.exitLayer() + " and give generate --exit-threshold");
            }
            if (lora != null && base == null) {
                throw new BadInputException("LoRA adapts an existing model: give the model to fine-tune");
            }
            if (lora != null && compression.shares()) {
                throw new BadInputException("LoRA with weight sharing is not supported: a merged update would undo the clusters;"
                        + " fine-tune the shared setting without --lora");
            }
        }

        /** A request that trains every weight. */
        public Request(List<Path> data, Path out, ModelShape shape, Path base, CompressionConfig compression, TrainConfig train,
                boolean resume, String command, DataOptions dataOptions) {
            this(data, out, shape, base, compression, train, resume, command, dataOptions, null);
        }

        /** A request that reads its data with the default options. */
        public Request(List<Path> data, Path out, ModelShape shape, Path base, CompressionConfig compression, TrainConfig train,
                boolean resume, String command) {
            this(data, out, shape, base, compression, train, resume, command, null);
        }

        JsonObject describe() {
            JsonObject o = new JsonObject();
            o.add("data", new Gson().toJsonTree(data.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()));
            o.add("shape", shape == null ? null : new Gson().toJsonTree(shape));
            o.addProperty("base", base == null ? null : base.toAbsolutePath().normalize().toString());
            // compression and data options only when set, so checkpoints of plain runs written before these fields still resume
            if (!compression.isNone()) {
                o.addProperty("compression", compression.toCompactString());
            }
            if (!dataOptions.equals(DataOptions.DEFAULTS)) {
                o.add("dataOptions", new Gson().toJsonTree(dataOptions));
            }
            if (lora != null) {
                o.addProperty("lora", lora.describe());
            }
            o.add("train", new Gson().toJsonTree(train));
            return o;
        }
    }

    private TrainingJob() {}

    public static TrainResult run(Request req, Consumer<TrainingProgress> progress, Consumer<String> log, TaskControl control)
            throws IOException {
        TextDataset data = DatasetLoader.load(req.data(), HELDOUT_FRACTION, req.dataOptions());
        log.accept(String.format("data: %,d training and %,d held-out characters from %d path(s)%s",
                data.trainChars(), data.heldoutChars(), req.data().size(),
                data.truncated() ? String.format("; reading stopped at the cap of %,d characters", req.dataOptions().maxChars()) : ""));
        TrainingState.Saved saved = req.resume() ? savedState(req) : null;
        try (NDManager root = NDManager.newBaseManager()) {
            // a LoRA checkpoint holds only the adapter: its base is read and compressed again
            TrainingState.Saved checkpoint = req.lora() == null ? saved : null;
            Setup loaded = checkpoint != null || req.shape() == null ? loadExisting(req, checkpoint, root) : createNew(req, data, root, log);
            try (TextTokenizer tok = loaded.tokenizer()) {
                int[] trainTokens = TokenStreams.of(data.train(), tok);
                // a resume loads the compressed checkpoint itself
                Setup setup = checkpoint == null ? compressed(req, loaded, trainTokens, root, log) : loaded;
                try (CausalLm model = setup.model()) {
                    int[] heldoutTokens = TokenStreams.of(data.heldout(), tok);
                    return req.lora() == null ? train(req, setup, trainTokens, heldoutTokens, saved, progress, log, control)
                            : LoraTraining.run(req, setup.model(), setup.tokenizerWriter(), trainTokens, heldoutTokens, saved,
                                    (m, r) -> card(req, setup, m, trainTokens, heldoutTokens, r), progress, log, control);
                }
            }
        }
    }

    private static TrainResult train(Request req, Setup setup, int[] trainTokens, int[] heldoutTokens, TrainingState.Saved saved,
            Consumer<TrainingProgress> progress, Consumer<String> log, TaskControl control) throws IOException {
        CausalLm model = setup.model();
        log.accept(String.format("tokens: %,d training, %,d held out; model: %,d parameters",
                trainTokens.length, heldoutTokens.length, model.parameterCount()));
        int context = Math.min(req.train().context(), model.maxContext());
        TrainConfig cfg = req.train().context() == context ? req.train() : withContext(req.train(), context);
        TokenWindows heldout = heldoutTokens.length > context ? new TokenWindows(heldoutTokens, context) : null;
        List<Double> constraintMs = new ArrayList<>();
        try (WeightConstraints constraints = WeightConstraints.of(model, req.compression());
                Trainer trainer = new Trainer(model, cfg, windowsOrFail(trainTokens, context, req), heldout, timed(constraints, constraintMs))) {
            if (!constraints.isEmpty()) {
                log.accept(String.format("keeping %s while training: %d tensors masked, %d weight-shared (zeros a cluster of their own)",
                        req.compression().toCompactString(), constraints.maskedTensors(), constraints.sharedTensors()));
            }
            if (saved != null) {
                trainer.optimizer().restore(saved.moments(), arrays(model.parameters()), saved.step());
                log.accept("resuming at step " + saved.step());
            }
            String run = req.describe().toString();
            // zeros and shared values only save bytes in the compact format, and a shape Hugging Face cannot describe has no other
            boolean compact = req.compression().savesOnlyWhenCompact() || model.config().hfLimitation().isPresent();
            CheckpointSink sink = (step, m, opt, soFar) -> {
                ModelDirectory.save(req.out(), model, setup.tokenizerWriter(),
                        new ModelDirectory.Extras(card(req, setup, model, trainTokens, heldoutTokens, soFar),
                                new TrainingState(step, run, opt.state()), compact));
                log.accept("checkpoint at step " + step + " written to " + req.out());
            };
            TrainResult result = trainer.run(progress, control, sink);
            if (!constraints.isEmpty()) {
                log.accept(String.format(Locale.ROOT, "re-imposing masks and clusters took a median %.1f ms per step",
                        Stats.median(constraintMs.stream().mapToDouble(Double::doubleValue).toArray())));
            }
            if (result.cancelled()) {
                log.accept("cancelled at step " + result.stepsDone() + "; the last checkpoint in " + req.out() + " is intact");
                return result;
            }
            double finalHeldout = heldout == null ? Double.NaN : trainer.evaluate(heldout, 4 * cfg.evalWindows());
            TrainResult done = new TrainResult(result.stepsDone(), result.trainLoss(), finalHeldout,
                    result.medianMsPerStep(), result.tokensPerSecond(), false);
            if (req.compression().quantizes()) {
                // quantized weights cannot take an optimizer's small steps: the f32 weights trained, and are quantized once, here
                try (CompressedModel q = Compressor.compress(model, CompressionConfig.NONE.withQuantization(req.compression().quantization()),
                        model.manager(), trainTokens)) {
                    ModelDirectory.save(req.out(), q.model(), setup.tokenizerWriter(),
                            new ModelDirectory.Extras(card(req, setup, q.model(), trainTokens, heldoutTokens, done), null, true));
                }
                log.accept("model written to " + req.out() + ", re-quantized to " + req.compression().quantization().id()
                        + " after training (its checkpoints keep the trained f32 weights, so a resume is exact)");
            } else {
                ModelDirectory.save(req.out(), model, setup.tokenizerWriter(),
                        new ModelDirectory.Extras(card(req, setup, model, trainTokens, heldoutTokens, done), null, compact));
                log.accept("model written to " + req.out());
            }
            return done;
        }
    }

    /** The constraints as the trainer's after-update hook, with the time of each application added to {@code ms}. */
    private static Consumer<CausalLm> timed(WeightConstraints constraints, List<Double> ms) {
        return model -> {
            long t0 = System.nanoTime();
            constraints.apply(model);
            ms.add((System.nanoTime() - t0) / 1e6);
        };
    }

    private record Setup(CausalLm model, TextTokenizer tokenizer, IoAction<Path> tokenizerWriter, String tokenizerName) {}

    private static Setup createNew(Request req, TextDataset data, NDManager root, Consumer<String> log) {
        ModelShape s = req.shape();
        s.validate();
        long t0 = System.nanoTime();
        TextTokenizer tok;
        IoAction<Path> writer;
        String name;
        if (s.charLevel()) {
            CharTokenizer chars = CharTokenizer.fromText(String.join("", texts(data.train())), true);
            tok = chars;
            writer = chars::save;
            name = "character-level, " + chars.vocabSize() + " symbols";
        } else {
            PreTokenization split = s.splitDigits() ? PreTokenization.GPT2_INDIVIDUAL_DIGITS : PreTokenization.GPT2;
            ByteBpeTokenizer bpe = ByteBpeTrainer.train(texts(data.train()), s.vocab(), split);
            tok = bpe;
            writer = bpe::save;
            name = "byte-level BPE, " + bpe.vocabSize() + " tokens" + (s.splitDigits() ? ", digits split" : "");
        }
        log.accept(String.format("tokenizer: %s, trained in %.1f s", name, (System.nanoTime() - t0) / 1e9));
        int eos = Math.max(0, tok.eosId());
        LlamaConfig c = new LlamaConfig(s.hidden(), s.intermediateSize(), s.layers(), s.heads(), s.kvHeads(), s.hidden() / s.heads(),
                1e-5, 10000.0, s.context(), tok.vocabSize(), true, eos, eos);
        NDManager m = root.newSubManager();
        LlamaModel model = new LlamaModel(c, m, new RandomWeights(m, LlamaModel.tensorShapes(c), c.numHiddenLayers(), req.train().seed()));
        return new Setup(model, tok, writer, name);
    }

    /**
     * The setup with its model swapped for a compressed copy, when the request asks for one. The copy
     * shares the base's unchanged tensors, so the base stays open until the job's root manager
     * closes; the tensors the copy replaced are freed at once.
     */
    private static Setup compressed(Request req, Setup setup, int[] trainTokens, NDManager root, Consumer<String> log) {
        // LoRA trains on the quantized base itself (QLoRA); full training quantizes after training (see train)
        CompressionConfig before = req.lora() != null ? req.compression() : req.compression().withQuantization(Quantization.OFF);
        if (before.isNone()) {
            return setup;
        }
        // Wanda calibrates on windows spread evenly over all of it, so every file of the data counts
        // (the first 16k tokens would often be one file: documents are joined in order)
        CompressedModel c = Compressor.compressReplacing(setup.model(), before, root, trainTokens);
        log.accept(String.format("compressed (%s) in %d ms: %,d parameters", c.config().toCompactString(), c.compressMillis(),
                c.model().parameterCount()));
        return new Setup(c.model(), setup.tokenizer(), setup.tokenizerWriter(), setup.tokenizerName());
    }

    private static Setup loadExisting(Request req, TrainingState.Saved saved, NDManager root) {
        Path source = saved != null ? req.out() : req.base();
        // full training updates every weight in f32; LoRA keeps the frozen base as the folder stores it
        LoadedLm loaded = CheckpointLoader.load(source, root, req.lora() == null ? WeightPolicy.F32 : WeightPolicy.STORED);
        return new Setup(loaded.model(), loaded.tokenizer(), ModelDirectory.copyTokenizerFrom(source), "from " + source.getFileName());
    }

    private static TrainingState.Saved savedState(Request req) throws IOException {
        // a run killed while swapping in a checkpoint leaves the previous one beside the folder: put it back
        AtomicFiles.recover(req.out());
        if (!TrainingState.existsIn(req.out())) {
            throw new BadInputException(req.out(), "has no " + TrainingState.FILE + " to resume from (was it finished already?)");
        }
        TrainingState.Saved saved = TrainingState.read(req.out());
        if (!saved.run().equals(req.describe())) {
            throw new BadInputException(req.out().resolve(TrainingState.FILE),
                    "was written by a run with other data or settings; resume with the same flags");
        }
        return saved;
    }

    private static ModelCard card(Request req, Setup setup, CausalLm model, int[] train, int[] heldout, TrainResult r) {
        List<String> sources = req.data().stream().map(Path::toString).toList();
        String notes = req.base() == null ? "" : "Fine-tuned from " + req.base() + ".";
        if (!req.compression().isNone()) {
            notes += " Compressed with " + req.compression().toCompactString() + " first; while fine-tuning, pruned weights stayed"
                    + " zero and weight-shared tensors kept their clusters (recovery fine-tuning).";
        }
        return new ModelCard(req.out().getFileName().toString(), model.architecture(), model.parameterCount(), setup.tokenizerName(),
                sources, train.length, heldout.length, r.stepsDone(), r.trainLoss(), r.heldoutLoss(), req.command(), notes);
    }

    private static List<String> texts(List<Document> docs) {
        return docs.stream().map(Document::text).toList();
    }

    /** The arrays of trainable tensors by name, as the optimizer's state is keyed. */
    static java.util.Map<String, ai.djl.ndarray.NDArray> arrays(java.util.Map<String, ai.djl.nn.Parameter> params) {
        java.util.Map<String, ai.djl.ndarray.NDArray> m = new java.util.LinkedHashMap<>();
        params.forEach((k, p) -> m.put(k, p.getArray()));
        return m;
    }

    static TokenWindows windowsOrFail(int[] tokens, int context, Request req) {
        if (tokens.length <= context) {
            throw new BadInputException(req.data().get(0), "has only " + tokens.length + " tokens of training text; need more than the context of "
                    + context);
        }
        return new TokenWindows(tokens, context);
    }

    static TrainConfig withContext(TrainConfig t, int context) {
        return new TrainConfig(t.steps(), t.batchSize(), context, t.lr(), t.minLr(), t.warmupSteps(), t.weightDecay(), t.gradClip(),
                t.seed(), t.evalEvery(), t.evalWindows(), t.checkpointEvery(), t.exitLossWeight());
    }
}
