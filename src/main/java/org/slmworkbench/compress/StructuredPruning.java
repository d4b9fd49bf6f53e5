package org.slmworkbench.compress;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.slmworkbench.model.ModelConfig;
import org.slmworkbench.model.UnitSlice;
import org.slmworkbench.model.UnitSlice.Unit;

/**
 * Structured pruning: removes whole attention heads and MLP neurons by weight importance and
 * slices the tensors (by the config's {@link UnitSlice}s, biases included) so the result is a
 * smaller dense model that runs faster. With several key/value heads, whole key/value groups go (a
 * key/value head with the query heads that share it, so grouped-query and multi-head attention stay
 * valid); with one (multi-query), its query heads go and the shared key/value head stays. Every
 * layer keeps the same number of heads and neurons (the config has one size for all layers); the
 * neuron count is rounded to a multiple of 8, and at least one head always stays.
 */
final class StructuredPruning {
    private static final int NEURON_MULTIPLE = 8;

    private StructuredPruning() {}

    /** How many query heads, key/value heads and MLP neurons every layer keeps. */
    record Widths(int heads, int kvHeads, int neurons) {
        /** The pruned shape. */
        ModelConfig applyTo(ModelConfig c) {
            return c.withWidths(heads, kvHeads, neurons);
        }
    }

    /** What every layer keeps at pruning ratio {@code ratio}. */
    static Widths widths(ModelConfig c, double ratio) {
        int groups = c.kvHeads();
        int perGroup = c.heads() / groups;
        boolean multiQuery = groups == 1;
        int keepGroups = multiQuery ? 1 : Math.max(1, (int) Math.round(groups * (1 - ratio)));
        int keepHeads = multiQuery ? Math.max(1, (int) Math.round(c.heads() * (1 - ratio))) : keepGroups * perGroup;
        int keepNeurons = Math.max(NEURON_MULTIPLE,
                (int) Math.round(c.mlpWidth() * (1 - ratio) / NEURON_MULTIPLE) * NEURON_MULTIPLE);
        return new Widths(keepHeads, keepGroups, Math.min(keepNeurons, c.mlpWidth()));
    }

    /**
     * The sliced values of every tensor of layer {@code layer} that heads and neurons run through,
     * by name: one layer at a time, so the heap holds one layer's matrices.
     *
     * @param weights the values of each tensor of {@code c} by name
     */
    static Map<String, float[]> layer(ModelConfig c, int layer, Function<String, float[]> weights, Widths keep) {
        int groups = c.kvHeads();
        int perGroup = c.heads() / groups;
        Layer l = new Layer(c, c.slices(layer), c.tensorShapes(), weights);
        int[] headsKept;
        int[] groupsKept;
        if (groups == 1) {
            headsKept = top(l.scores(c.heads(), (s, h) -> s.unit() == Unit.QUERY_HEAD ? l.norm(s, h, 1) : 0), keep.heads());
            groupsKept = new int[] {0};
        } else {
            // a group's score sums the norms of its query rows, key and value rows and output columns, tensor by tensor
            groupsKept = top(l.scores(groups, (s, g) -> switch (s.unit()) {
                case QUERY_HEAD -> l.norm(s, g * perGroup, perGroup);
                case KV_HEAD -> l.norm(s, g, 1);
                case NEURON -> 0;
            }), keep.kvHeads());
            headsKept = expand(groupsKept, perGroup);
        }
        // a neuron's score multiplies the norms of its weight vectors: one near zero silences it
        List<UnitSlice> neuronSlices = l.matrices(Unit.NEURON);
        double[] neuronScore = new double[c.mlpWidth()];
        for (int n = 0; n < neuronScore.length; n++) {
            neuronScore[n] = 1;
            for (UnitSlice s : neuronSlices) {
                neuronScore[n] *= l.norm(s, n, 1);
            }
        }
        int[] neuronsKept = top(neuronScore, keep.neurons());
        return l.slice(Map.of(Unit.QUERY_HEAD, headsKept, Unit.KV_HEAD, groupsKept, Unit.NEURON, neuronsKept));
    }

    /** Indices of the {@code n} largest scores, in ascending index order (keeps the heads' order). */
    static int[] top(double[] score, int n) {
        return IntStream.range(0, score.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -score[i]).thenComparingInt(i -> i))
                .limit(n).mapToInt(Integer::intValue).sorted().toArray();
    }

    private static int[] expand(int[] blocks, int size) {
        return Arrays.stream(blocks).flatMap(b -> IntStream.range(b * size, (b + 1) * size)).toArray();
    }

    /**
     * One layer's slices with the shapes and values of the tensors they cut, and each matrix's
     * column sums of squares once asked for: a norm over columns then costs a sum over them, where
     * reading each unit's columns down the matrix strode across it once per unit (5,632 times
     * through an MLP's down projection at TinyLlama's shape, most of structured pruning's time).
     */
    private record Layer(ModelConfig c, List<UnitSlice> slices, Map<String, Shape> shapes, Function<String, float[]> weights,
            Map<String, double[]> columnSquares) {

        Layer(ModelConfig c, List<UnitSlice> slices, Map<String, Shape> shapes, Function<String, float[]> weights) {
            this(c, slices, shapes, weights, new HashMap<>());
        }

        @FunctionalInterface
        interface SliceScore {
            double of(UnitSlice s, int unit);
        }

        /** Score of each of {@code units} units: the sum over the matrix slices, in their order, of {@code score}. */
        double[] scores(int units, SliceScore score) {
            double[] out = new double[units];
            for (int u = 0; u < units; u++) {
                for (UnitSlice s : slices) {
                    if (shapes.get(s.tensor()).dimension() == 2) {
                        out[u] += score.of(s, u);
                    }
                }
            }
            return out;
        }

        /** The slices of matrices for units of one kind; biases are cut along but do not score. */
        List<UnitSlice> matrices(Unit unit) {
            return slices.stream().filter(s -> s.unit() == unit && shapes.get(s.tensor()).dimension() == 2).toList();
        }

        /** L2 norm of units [from, from + count) of a slice of a matrix. */
        double norm(UnitSlice s, int from, int count) {
            Shape shape = shapes.get(s.tensor());
            int rows = (int) shape.get(0);
            int width = (int) shape.get(1);
            int start = s.offset() + from * s.size();
            int n = count * s.size();
            if (s.axis() == 0) {
                return rowsNorm(weights.apply(s.tensor()), width, start, n);
            }
            double[] squares = columnSquares.computeIfAbsent(s.tensor(), t -> squaresByColumn(weights.apply(t), rows, width));
            double sum = 0;
            for (int col = start; col < start + n; col++) {
                sum += squares[col];
            }
            return Math.sqrt(sum);
        }

        /** Every tensor the slices name, with the indices of the units not in {@code kept} removed along their axes. */
        Map<String, float[]> slice(Map<Unit, int[]> kept) {
            Map<String, boolean[][]> keep = new LinkedHashMap<>();
            for (UnitSlice s : slices) {
                Shape shape = shapes.get(s.tensor());
                boolean[][] k = keep.computeIfAbsent(s.tensor(), t -> axes(shape));
                boolean[] axis = k[s.axis()];
                int units = switch (s.unit()) {
                    case QUERY_HEAD -> c.heads();
                    case KV_HEAD -> c.kvHeads();
                    case NEURON -> c.mlpWidth();
                };
                boolean[] unitKept = new boolean[units];
                Arrays.stream(kept.get(s.unit())).forEach(u -> unitKept[u] = true);
                for (int u = 0; u < units; u++) {
                    if (!unitKept[u]) {
                        Arrays.fill(axis, s.offset() + u * s.size(), s.offset() + (u + 1) * s.size(), false);
                    }
                }
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            keep.forEach((name, k) -> out.put(name, select(weights.apply(name), k)));
            return out;
        }

        private static boolean[][] axes(Shape shape) {
            boolean[][] k = new boolean[shape.dimension()][];
            for (int a = 0; a < k.length; a++) {
                k[a] = new boolean[(int) shape.get(a)];
                Arrays.fill(k[a], true);
            }
            return k;
        }
    }

    /**
     * The rows (and, for a matrix, columns) of a row-major tensor that {@code keep} marks, each
     * run of adjacent kept columns copied at once (a head's columns are one run, all of a row when
     * only rows are cut).
     */
    private static float[] select(float[] m, boolean[][] keep) {
        int[] rows = indices(keep[0]);
        int width = keep.length == 1 ? 1 : keep[1].length;
        int[] cols = keep.length == 1 ? new int[] {0} : indices(keep[1]);
        // the runs of adjacent kept columns, found once for every row: their first column and length
        int[] runFrom = new int[cols.length];
        int[] runLength = new int[cols.length];
        int runs = 0;
        for (int i = 0; i < cols.length; i++) {
            if (i > 0 && cols[i] == cols[i - 1] + 1) {
                runLength[runs - 1]++;
            } else {
                runFrom[runs] = cols[i];
                runLength[runs++] = 1;
            }
        }
        float[] out = new float[rows.length * cols.length];
        int at = 0;
        for (int r : rows) {
            for (int k = 0; k < runs; k++) {
                System.arraycopy(m, r * width + runFrom[k], out, at, runLength[k]);
                at += runLength[k];
            }
        }
        return out;
    }

    private static int[] indices(boolean[] keep) {
        return IntStream.range(0, keep.length).filter(i -> keep[i]).toArray();
    }

    /** L2 norm of rows [from, from + n) of a row-major matrix with {@code width} columns. */
    private static double rowsNorm(float[] m, int width, int from, int n) {
        // four sums side by side: one waits on each addition before the next
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int end = (from + n) * width;
        int i = from * width;
        for (; i + 3 < end; i += 4) {
            s0 += (double) m[i] * m[i];
            s1 += (double) m[i + 1] * m[i + 1];
            s2 += (double) m[i + 2] * m[i + 2];
            s3 += (double) m[i + 3] * m[i + 3];
        }
        for (; i < end; i++) {
            s0 += (double) m[i] * m[i];
        }
        return Math.sqrt(s0 + s1 + s2 + s3);
    }

    /** Per column of a row-major matrix, the sum of its squared values, in one pass along the rows. */
    private static double[] squaresByColumn(float[] m, int rows, int width) {
        double[] out = new double[width];
        for (int r = 0; r < rows; r++) {
            int at = r * width;
            for (int c = 0; c < width; c++) {
                double x = m[at + c];
                out[c] += x * x;
            }
        }
        return out;
    }
}
