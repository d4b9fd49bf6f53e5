package org.slmworkbench.compress;

import ai.djl.ndarray.NDManager;
import java.nio.ShortBuffer;
import org.slmworkbench.compress.codec.Histogram;
import org.slmworkbench.compress.codec.WeightClustering;
import org.slmworkbench.io.HalfFloats;
import org.slmworkbench.model.Precision;
import org.slmworkbench.model.Weight;

/**
 * Weight sharing of a bf16 or f16 tensor through its bit patterns, without widening it: one pass
 * counts how often each of the 65,536 patterns occurs, k-means runs on those counts (the whole
 * tensor's distribution, where a widened f32 tensor is fitted on a sample), every pattern's nearest
 * entry goes into a table, and a second pass maps the old bits through it straight into the new
 * tensor's memory. On TinyLlama's bf16 matrices that replaces a widened heap copy, a zero count, a
 * sample, a snap on vectors and a narrowing per tensor by two passes over 2-byte values, and the
 * heap holds a few hundred kilobytes per tensor, not the tensor.
 *
 * <p>The result is what {@link Compressor}'s float path gives for the same codebook: zeros (±0)
 * stay as they are, and every other weight becomes its nearest entry, rounded to the precision.
 */
final class SixteenBitSharing {
    private static final int PATTERNS = 1 << 16;
    /** Values copied between native memory and the heap at a time. */
    private static final int CHUNK = 1 << 15;

    private SixteenBitSharing() {}

    /** Whether {@link #share} handles a weight of this precision. */
    static boolean handles(Precision precision) {
        return precision == Precision.BF16 || precision == Precision.F16;
    }

    /** A new weight in {@code manager}: {@code w} (bf16 or f16) shared into at most {@code k} values with the k-means++ seed {@code seed}. */
    static Weight share(Weight w, int k, long seed, NDManager manager) {
        Precision precision = w.precision();
        if (!handles(precision)) {
            throw new IllegalArgumentException("a " + precision.label() + " weight has no 16-bit patterns to share");
        }
        long[] patternCounts = count(w.memory().asShortBuffer());
        Histogram histogram = histogram(patternCounts, precision);
        WeightClustering.Codebook codebook = Compressor.roundedTo(WeightClustering.codebook(histogram, k, seed), precision);
        short[] table = table(codebook, precision);
        ShortBuffer from = w.memory().asShortBuffer();
        return Weight.allocate(manager, w.shape(), precision, memory -> map(from, table, memory.asShortBuffer()));
    }

    /** How often each bit pattern occurs in {@code bits}. */
    static long[] count(ShortBuffer bits) {
        long[] counts = new long[PATTERNS];
        short[] chunk = new short[CHUNK];
        while (bits.hasRemaining()) {
            int n = Math.min(CHUNK, bits.remaining());
            bits.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                counts[chunk[i] & 0xFFFF]++;
            }
        }
        return counts;
    }

    /**
     * The histogram of the values the patterns stand for. Both formats are sign and magnitude, so
     * the negative patterns from the largest magnitude down, then the positive ones up, run in
     * ascending order of value. Rejects infinities and NaNs, as clustering a float tensor does.
     */
    static Histogram histogram(long[] patternCounts, Precision precision) {
        int distinct = 0;
        for (int p = 0; p < PATTERNS; p++) {
            distinct += patternCounts[p] > 0 && (p & 0x7FFF) != 0 ? 1 : 0;
        }
        float[] values = new float[distinct];
        long[] counts = new long[distinct];
        int d = 0;
        for (int i = 0; i < PATTERNS; i++) {
            int p = i < PATTERNS / 2 ? PATTERNS - 1 - i : i - PATTERNS / 2; // 0xFFFF..0x8000, then 0x0000..0x7FFF
            if (patternCounts[p] > 0 && (p & 0x7FFF) != 0) {
                float v = widen((short) p, precision);
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("cannot cluster a weight of " + v + ": weights must be finite (no NaN or infinity)");
                }
                values[d] = v;
                counts[d++] = patternCounts[p];
            }
        }
        return new Histogram(values, counts, patternCounts[0] + patternCounts[0x8000]);
    }

    /** Each pattern's shared value as a pattern: zeros and patterns that do not occur map to themselves. */
    private static short[] table(WeightClustering.Codebook codebook, Precision precision) {
        float[] snapped = new float[PATTERNS];
        for (int p = 0; p < PATTERNS; p++) {
            float v = widen((short) p, precision);
            snapped[p] = Float.isFinite(v) ? v : 0; // absent: the histogram refused any that occur
        }
        Compressor.snap(snapped, codebook);
        short[] table = new short[PATTERNS];
        for (int p = 0; p < PATTERNS; p++) {
            boolean kept = (p & 0x7FFF) == 0 || !Float.isFinite(widen((short) p, precision));
            table[p] = kept ? (short) p : narrow(snapped[p], precision);
        }
        return table;
    }

    private static void map(ShortBuffer from, short[] table, ShortBuffer to) {
        short[] chunk = new short[CHUNK];
        while (from.hasRemaining()) {
            int n = Math.min(CHUNK, from.remaining());
            from.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                chunk[i] = table[chunk[i] & 0xFFFF];
            }
            to.put(chunk, 0, n);
        }
    }

    private static float widen(short bits, Precision precision) {
        return precision == Precision.BF16 ? HalfFloats.bf16ToFloat(bits) : HalfFloats.f16ToFloat(bits);
    }

    private static short narrow(float value, Precision precision) {
        return precision == Precision.BF16 ? HalfFloats.floatToBf16(value) : HalfFloats.floatToF16(value);
    }
}
