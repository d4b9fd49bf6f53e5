package org.slmworkbench.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.train.Losses;

/**
 * Quality of a base and of its compressed copies on the same held-out tokens, in the windows
 * {@link TokenStats} scores: perplexity and next-token accuracy, and a copy's top-1 agreement with
 * the base and mean KL(base ‖ copy) in nats, at the very positions perplexity counts. The base runs
 * once: its log-probabilities go to a temporary file when they fit {@link #FILE_BUDGET} bytes (400 MB
 * for tiny_starcoder's 1,219 default tokens), so a copy then runs only itself, one pass instead of
 * three (its own perplexity, then the base and itself again for agreement); past the budget the base
 * is run again beside each copy. The file is read a slab at a time and deleted on close.
 */
public final class HeldOutQuality implements AutoCloseable {
    static final long FILE_BUDGET = 1L << 30;

    /** Perplexity and accuracy of a model; agreement and KL against the base (1 and 0 for the base itself). */
    public record Figures(double perplexity, double nextTokenAccuracy, double top1Agreement, double meanKl) {}

    private final CausalLm base;
    private final int[] tokens;
    private final int context;
    /** The base's top-1 token at every row of every window. */
    private final long[] baseTop;
    private final Path file;
    private final FileChannel channel;
    private final Figures baseFigures;
    private ByteBuffer slab = ByteBuffer.allocate(0);
    private float[] slabFloats = new float[0];

    private HeldOutQuality(CausalLm base, int[] tokens, long budget) throws IOException {
        if (tokens.length < 2) {
            throw new IllegalArgumentException("the held-out text has fewer than two tokens");
        }
        this.base = base;
        this.tokens = tokens;
        this.context = base.maxContext();
        int window = TokenStats.window(tokens.length, context);
        long rows = (long) TokenStats.starts(tokens.length, window).size() * window;
        this.baseTop = new long[Math.toIntExact(rows)];
        long bytes = rows * base.vocabSize() * Float.BYTES;
        file = bytes <= budget ? Files.createTempFile("slm-base-logprobs", ".f32") : null;
        channel = file == null ? null : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            baseFigures = scoreBase();
        } catch (RuntimeException | IOException e) {
            close();
            throw e;
        }
    }

    /** Runs the base over {@code tokens}: its own figures, and the reference its copies are held to. */
    public static HeldOutQuality of(CausalLm base, int[] tokens) throws IOException {
        return new HeldOutQuality(base, tokens, FILE_BUDGET);
    }

    /** The same with a budget of its own for the file (0: always run the base beside a copy). */
    static HeldOutQuality of(CausalLm base, int[] tokens, long budget) throws IOException {
        return new HeldOutQuality(base, tokens, budget);
    }

    /** True when the base's log-probabilities are kept, so a copy runs alone. */
    boolean keepsBase() {
        return file != null;
    }

    public Figures base() {
        return baseFigures;
    }

    /** A copy's figures (the base's own when {@code copy} is the base); the copy must take the base's context. */
    public Figures of(CausalLm copy) throws IOException {
        if (copy == base) {
            return baseFigures;
        }
        if (copy.maxContext() < Math.min(context, TokenStats.MAX_WINDOW) || copy.vocabSize() != base.vocabSize()) {
            throw new IllegalArgumentException("a copy needs the base's vocabulary and at least its scoring window");
        }
        Positions at = new Positions(tokens.length);
        try {
            TokenStats.forEachPass(base, tokens, context, Evaluator.BATCH, pass -> {
                NDArray copyRows = Losses.rows(copy.forward(pass.ids()));
                NDArray baseRows = file == null ? Losses.rows(base.forward(pass.ids())) : null;
                NDArray[] tensors = baseRows == null ? new NDArray[] {copyRows, pass.targets().reshape(-1, 1)}
                        : new NDArray[] {copyRows, pass.targets().reshape(-1, 1), baseRows};
                LogitRows.bySlabs((first, s) -> {
                    NDArray q = Losses.logProbs(s[0]);
                    NDArray p = s.length > 2 ? Losses.logProbs(s[2])
                            : read(s[0].getManager(), pass.firstRow() + first, s[0].getShape().get(0));
                    float[] nll = Losses.nll(q, s[1]).toFloatArray();
                    long[] argmax = s[0].argMax(1).toLongArray();
                    float[] kl = p.exp().mul(p.sub(q)).sum(new int[] {1}).toFloatArray();
                    for (int r = 0; r < nll.length; r++) {
                        int row = first + r;
                        at.put(pass, row, nll[r], argmax[r], argmax[r] == baseTop[pass.firstRow() + row], kl[r]);
                    }
                }, tensors);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return at.figures();
    }

    private Figures scoreBase() throws IOException {
        Positions at = new Positions(tokens.length);
        try {
            TokenStats.forEachPass(base, tokens, context, Evaluator.BATCH, pass -> {
                NDArray rows = Losses.rows(base.forward(pass.ids()));
                LogitRows.bySlabs((first, s) -> {
                    NDArray p = Losses.logProbs(s[0]);
                    float[] nll = Losses.nll(p, s[1]).toFloatArray();
                    long[] argmax = s[0].argMax(1).toLongArray();
                    System.arraycopy(argmax, 0, baseTop, pass.firstRow() + first, argmax.length);
                    for (int r = 0; r < nll.length; r++) {
                        at.put(pass, first + r, nll[r], argmax[r], true, 0);
                    }
                    if (channel != null) {
                        write(p);
                    }
                }, rows, pass.targets().reshape(-1, 1));
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return at.figures();
    }

    private void write(NDArray logProbs) {
        ByteBuffer b = buffer((int) logProbs.size());
        b.asFloatBuffer().put(logProbs.toFloatArray());
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the base's log-probabilities to " + file, e);
        }
    }

    private NDArray read(NDManager m, long firstRow, long rows) {
        int v = base.vocabSize();
        int floats = (int) (rows * v);
        ByteBuffer b = buffer(floats);
        long at = firstRow * v * Float.BYTES;
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, at + b.position()) < 0) {
                    throw new IOException("the base's log-probabilities in " + file + " end early");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the base's log-probabilities from " + file, e);
        }
        b.flip();
        if (slabFloats.length < floats) {
            slabFloats = new float[floats];
        }
        b.asFloatBuffer().get(slabFloats, 0, floats);
        return m.create(FloatBuffer.wrap(slabFloats, 0, floats), new Shape(rows, v));
    }

    /** The reused byte buffer of a slab (at most {@link LogitRows#SLAB_FLOATS} floats), cleared for {@code floats}. */
    private ByteBuffer buffer(int floats) {
        if (slab.capacity() < floats * Float.BYTES) {
            slab = ByteBuffer.allocate(floats * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }
        slab.clear().limit(floats * Float.BYTES);
        return slab;
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per-position figures, each position kept once (as {@link TokenStats} owns it), summed in order. */
    private static final class Positions {
        private final float[] nll;
        private final boolean[] hit;
        private final boolean[] agrees;
        private final float[] kl;

        Positions(int n) {
            nll = new float[n];
            hit = new boolean[n];
            agrees = new boolean[n];
            kl = new float[n];
        }

        void put(TokenStats.Pass pass, int row, float tokenNll, long argmax, boolean agree, float tokenKl) {
            int target = pass.target(row);
            if (target < 0) {
                return;
            }
            nll[target] = tokenNll;
            hit[target] = argmax == pass.y()[row];
            agrees[target] = agree;
            kl[target] = tokenKl;
        }

        Figures figures() {
            int n = nll.length;
            double sum = 0;
            double klSum = 0;
            long hits = 0;
            long same = 0;
            for (int i = 1; i < n; i++) {
                sum += nll[i];
                klSum += kl[i];
                hits += hit[i] ? 1 : 0;
                same += agrees[i] ? 1 : 0;
            }
            int counted = n - 1;
            return new Figures(Math.exp(sum / counted), (double) hits / counted, (double) same / counted, klSum / counted);
        }
    }
}
