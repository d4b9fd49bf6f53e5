package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import org.slmworkbench.checkpoint.gguf.GgufOutType;
import org.slmworkbench.io.GgufType;
import org.slmworkbench.io.QuantBlocks;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.Precision;
import org.slmworkbench.model.Weight;

/**
 * Our model on exactly the values a GGUF export of a given type holds, widened back to f32: each
 * tensor rounded to F16 or BF16, or quantized to Q8_0 / Q4_0 blocks with {@link QuantBlocks} and
 * dequantized, as the export's {@link GgufOutType#typeFor} decides. Our engine then runs the same
 * weights llama.cpp does, so any difference left is in the arithmetic.
 */
final class GgufRounding {
    private GgufRounding() {}

    static CausalLm model(CausalLm model, GgufOutType type, NDManager manager) {
        Map<String, Weight> weights = model.weights();
        return model.config().newModel(manager, name -> {
            Weight w = weights.get(name);
            return Weight.fromFloats(manager, w.shape(), Precision.F32, stored(type.typeFor(w.shape().getShape()), w.floats()));
        });
    }

    private static float[] stored(GgufType type, float[] v) {
        float[] out = new float[v.length];
        switch (type) {
            case F32 -> System.arraycopy(v, 0, out, 0, v.length);
            case F16, BF16 -> {
                Precision p = type == GgufType.F16 ? Precision.F16 : Precision.BF16;
                for (int i = 0; i < v.length; i++) {
                    out[i] = p.round(v[i]);
                }
            }
            case Q8_0, Q4_0 -> {
                boolean q8 = type == GgufType.Q8_0;
                ByteBuffer blocks = ByteBuffer.allocate((int) QuantBlocks.bytes(v.length, q8 ? QuantBlocks.Q8_0_BYTES : QuantBlocks.Q4_0_BYTES));
                if (q8) {
                    QuantBlocks.quantizeQ8_0(v, 0, v.length, blocks);
                    QuantBlocks.dequantizeQ8_0(blocks.flip(), v.length, FloatBuffer.wrap(out));
                } else {
                    QuantBlocks.quantizeQ4_0(v, 0, v.length, blocks);
                    QuantBlocks.dequantizeQ4_0(blocks.flip(), v.length, FloatBuffer.wrap(out));
                }
            }
        }
        return out;
    }
}
