package org.slmworkbench.model.gpt2;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.model.UnitSlice;
import org.slmworkbench.model.UnitSlice.Unit;

/**
 * Tensor names and layouts of GPT-2-family checkpoints. Names are Hugging Face's, with the
 * {@code transformer.} prefix that {@code save_pretrained} writes. The model holds every projection
 * as (out, in) with c_attn rows ordered all queries | all keys | all values, so one fused linear
 * serves every family; {@link #toModel} and {@link #toFile} convert to and from each family's file
 * layout exactly (they only move values), so a checkpoint round-trips bit for bit.
 */
public final class GptTensors {
    public static final String PREFIX = "transformer.";
    public static final String WTE = PREFIX + "wte.weight";
    public static final String WPE = PREFIX + "wpe.weight";
    public static final String LN_F_WEIGHT = PREFIX + "ln_f.weight";
    public static final String LN_F_BIAS = PREFIX + "ln_f.bias";
    public static final String HEAD = "lm_head.weight";

    private GptTensors() {}

    public static String layerPrefix(int layer) {
        return PREFIX + "h." + layer + ".";
    }

    /** Every tensor a checkpoint of this config holds, with its shape as the file stores it, in file order. */
    public static Map<String, Shape> fileShapes(GptConfig c) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        modelShapes(c).forEach((name, shape) -> shapes.put(name, isConv1d(c, name) ? new Shape(shape.get(1), shape.get(0)) : shape));
        return shapes;
    }

    /** Every tensor with the shape the model holds it in, in file order. */
    public static Map<String, Shape> modelShapes(GptConfig c) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        long e = c.nEmbd();
        shapes.put(WTE, new Shape(c.vocabSize(), e));
        shapes.put(WPE, new Shape(c.nPositions(), e));
        for (int i = 0; i < c.nLayer(); i++) {
            String p = layerPrefix(i);
            shapes.put(p + "ln_1.weight", new Shape(e));
            shapes.put(p + "ln_1.bias", new Shape(e));
            shapes.put(p + "attn.c_attn.weight", new Shape(c.qkvWidth(), e));
            shapes.put(p + "attn.c_attn.bias", new Shape(c.qkvWidth()));
            shapes.put(p + "attn.c_proj.weight", new Shape(e, c.attentionWidth()));
            shapes.put(p + "attn.c_proj.bias", new Shape(e));
            shapes.put(p + "ln_2.weight", new Shape(e));
            shapes.put(p + "ln_2.bias", new Shape(e));
            shapes.put(p + "mlp.c_fc.weight", new Shape(c.nInner(), e));
            shapes.put(p + "mlp.c_fc.bias", new Shape(c.nInner()));
            shapes.put(p + "mlp.c_proj.weight", new Shape(e, c.nInner()));
            shapes.put(p + "mlp.c_proj.bias", new Shape(e));
        }
        shapes.put(LN_F_WEIGHT, new Shape(e));
        shapes.put(LN_F_BIAS, new Shape(e));
        if (!c.tieWordEmbeddings()) {
            shapes.put(HEAD, new Shape(c.vocabSize(), e));
        }
        return shapes;
    }

    /**
     * How a layer's tensors (in the model's layout) divide into heads and neurons: c_attn rows and
     * bias entries of each query head, then of each key and each value head; attn.c_proj columns
     * of each query head; c_fc rows and bias entries and mlp.c_proj columns of each neuron.
     */
    static List<UnitSlice> slices(GptConfig c, int layer) {
        String p = layerPrefix(layer);
        int hd = c.headDim();
        int keys = c.attentionWidth();
        int values = keys + c.kvHeads() * hd;
        return List.of(
                new UnitSlice(p + "attn.c_attn.weight", Unit.QUERY_HEAD, 0, 0, hd),
                new UnitSlice(p + "attn.c_attn.bias", Unit.QUERY_HEAD, 0, 0, hd),
                new UnitSlice(p + "attn.c_attn.weight", Unit.KV_HEAD, 0, keys, hd),
                new UnitSlice(p + "attn.c_attn.bias", Unit.KV_HEAD, 0, keys, hd),
                new UnitSlice(p + "attn.c_attn.weight", Unit.KV_HEAD, 0, values, hd),
                new UnitSlice(p + "attn.c_attn.bias", Unit.KV_HEAD, 0, values, hd),
                new UnitSlice(p + "attn.c_proj.weight", Unit.QUERY_HEAD, 1, 0, hd),
                new UnitSlice(p + "mlp.c_fc.weight", Unit.NEURON, 0, 0, 1),
                new UnitSlice(p + "mlp.c_fc.bias", Unit.NEURON, 0, 0, 1),
                new UnitSlice(p + "mlp.c_proj.weight", Unit.NEURON, 1, 0, 1));
    }

    /** Values of {@code name} as the file stores them, rearranged into the model's layout. */
    public static float[] toModel(GptConfig c, String name, float[] fileValues) {
        float[] v = fileValues;
        if (isConv1d(c, name)) {
            Shape model = modelShapes(c).get(name);
            v = transpose(v, (int) model.get(1), (int) model.get(0));
        }
        if (isHeadInterleaved(c, name)) {
            v = permuteRows(v, rowLength(c, name), c, true);
        }
        return v;
    }

    /** Whether {@link #toModel} leaves tensor {@code name} as the file stores it, so it can be read without a copy. */
    public static boolean keepsFileLayout(GptConfig c, String name) {
        return !isConv1d(c, name) && !isHeadInterleaved(c, name);
    }

    /** The inverse of {@link #toModel}: the model's values of {@code name} as the file stores them. */
    public static float[] toFile(GptConfig c, String name, float[] modelValues) {
        float[] v = modelValues;
        if (isHeadInterleaved(c, name)) {
            v = permuteRows(v, rowLength(c, name), c, false);
        }
        if (isConv1d(c, name)) {
            Shape model = modelShapes(c).get(name);
            v = transpose(v, (int) model.get(0), (int) model.get(1));
        }
        return v;
    }

    /** GPT-2's Conv1D projections keep their weight as (in, out). */
    private static boolean isConv1d(GptConfig c, String name) {
        return c.family() == GptFamily.GPT2 && name.startsWith(PREFIX + "h.") && name.endsWith(".weight")
                && (name.contains(".attn.c_") || name.contains(".mlp.c_"));
    }

    /** GPTBigCode without multi-query stores c_attn head by head: q, k, v of head 0, then head 1, ... */
    private static boolean isHeadInterleaved(GptConfig c, String name) {
        return c.family() == GptFamily.BIG_CODE && !c.multiQuery() && name.contains(".attn.c_attn.");
    }

    /** Values per c_attn row: the input width for the weight, one for the bias. */
    private static int rowLength(GptConfig c, String name) {
        return name.endsWith(".weight") ? c.nEmbd() : 1;
    }

    /**
     * Moves c_attn rows between the per-head order (head h, part p ∈ {q, k, v}, dim d at row
     * h·3·hd + p·hd + d) and the block order (row p·heads·hd + h·hd + d).
     */
    private static float[] permuteRows(float[] v, int rowLength, GptConfig c, boolean toBlocks) {
        int hd = c.headDim();
        float[] out = new float[v.length];
        for (int h = 0; h < c.nHead(); h++) {
            for (int p = 0; p < 3; p++) {
                for (int d = 0; d < hd; d++) {
                    int interleaved = (h * 3 + p) * hd + d;
                    int blocks = p * c.attentionWidth() + h * hd + d;
                    int from = toBlocks ? interleaved : blocks;
                    int to = toBlocks ? blocks : interleaved;
                    System.arraycopy(v, from * rowLength, out, to * rowLength, rowLength);
                }
            }
        }
        return out;
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                out[col * rows + r] = v[r * cols + col];
            }
        }
        return out;
    }
}
