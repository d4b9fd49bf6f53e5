package org.slmworkbench.compress.codec;

import java.util.Objects;

/**
 * The non-zero values of a tensor (or of a sample of it), ascending and distinct, with how often
 * each occurs, and how many zeros (0.0f and -0.0f) there were: what {@link SortedKMeans} clusters.
 * The arrays are held, not copied.
 */
public record Histogram(float[] values, long[] counts, long zeros) {
    public Histogram {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(counts, "counts");
        if (values.length != counts.length) {
            throw new IllegalArgumentException(values.length + " values but " + counts.length + " counts");
        }
    }

    /** The histogram of {@code sorted}, non-zero values in ascending order, beside {@code zeros} zeros. */
    static Histogram ofSorted(float[] sorted, long zeros) {
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            distinct += i == 0 || sorted[i] != sorted[i - 1] ? 1 : 0;
        }
        float[] values = new float[distinct];
        long[] counts = new long[distinct];
        int d = -1;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                values[++d] = sorted[i];
            }
            counts[d]++;
        }
        return new Histogram(values, counts, zeros);
    }

    /** Non-zero values counted. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /** The index of the value at position {@code rank} (from 0) of the non-zero values listed in order with their repeats. */
    int at(long rank) {
        for (int i = 0; i < counts.length; i++) {
            rank -= counts[i];
            if (rank < 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("rank beyond the " + total() + " values counted");
    }
}
