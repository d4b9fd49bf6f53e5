package org.slmworkbench.model.gpt2;

import org.slmworkbench.model.Weight;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.slmworkbench.model.AbstractCausalLm;
import org.slmworkbench.model.DecoderBlock;
import org.slmworkbench.model.InputRecorder;
import org.slmworkbench.model.KvCache;
import org.slmworkbench.model.Ops;
import org.slmworkbench.model.WeightSource;

/** One GPT block: pre-LayerNorm self-attention through the fused c_attn, then a pre-LayerNorm GELU MLP. */
final class GptBlock extends DecoderBlock {
    private final GptConfig config;
    private final GeluActivation gelu;
    /** 1/sqrt(head_dim) applied to the queries, or null when scale_attn_weights is false. */
    private final NDArray queryScale;
    private final float eps;
    private final Weight ln1Weight;
    private final Weight ln1Bias;
    private final Weight qkvWeight;
    private final Weight qkvBias;
    private final Weight attnProjWeight;
    private final Weight attnProjBias;
    private final Weight ln2Weight;
    private final Weight ln2Bias;
    private final Weight fcWeight;
    private final Weight fcBias;
    private final Weight mlpProjWeight;
    private final Weight mlpProjBias;

    GptBlock(GptConfig config, GeluActivation gelu, NDArray queryScale, String prefix, AbstractCausalLm.Registry registry,
            WeightSource weights) {
        this.config = config;
        this.gelu = gelu;
        this.queryScale = queryScale;
        this.eps = (float) config.layerNormEpsilon();
        ln1Weight = register(prefix + "ln_1.weight", registry, weights);
        ln1Bias = register(prefix + "ln_1.bias", registry, weights);
        qkvWeight = register(prefix + "attn.c_attn.weight", registry, weights);
        qkvBias = register(prefix + "attn.c_attn.bias", registry, weights);
        attnProjWeight = register(prefix + "attn.c_proj.weight", registry, weights);
        attnProjBias = register(prefix + "attn.c_proj.bias", registry, weights);
        ln2Weight = register(prefix + "ln_2.weight", registry, weights);
        ln2Bias = register(prefix + "ln_2.bias", registry, weights);
        fcWeight = register(prefix + "mlp.c_fc.weight", registry, weights);
        fcBias = register(prefix + "mlp.c_fc.bias", registry, weights);
        mlpProjWeight = register(prefix + "mlp.c_proj.weight", registry, weights);
        mlpProjBias = register(prefix + "mlp.c_proj.bias", registry, weights);
    }

    /**
     * @param x hidden states (B, T, n_embd)
     * @param mask additive causal mask (T, S) or null when T == 1
     * @param cache the cache to read and extend, or null for a plain causal pass
     * @param recorder sees each projection's input, or null (every ordinary pass)
     */
    NDArray forward(NDArray x, NDArray mask, KvCache cache, int layerIndex, InputRecorder recorder) {
        NDArray h = x.add(attention(Ops.layerNorm(x, ln1Weight.storage(), ln1Bias.storage(), eps), mask, cache, layerIndex, recorder));
        NDArray n = Ops.layerNorm(h, ln2Weight.storage(), ln2Bias.storage(), eps);
        NDArray inner = gelu.apply(linear(n, fcWeight, fcBias, recorder));
        return h.add(linear(inner, mlpProjWeight, mlpProjBias, recorder));
    }

    /** Fills this layer's cache slot from an early-exit hidden state, as {@link AbstractCausalLm#cacheSkipped} describes. */
    void cacheSkipped(NDArray exitHidden, KvCache cache, int layerIndex) {
        NDList qkv = project(Ops.layerNorm(exitHidden, ln1Weight.storage(), ln1Bias.storage(), eps), null);
        cache.append(layerIndex, qkv.get(1), qkv.get(2));
    }

    private static NDArray linear(NDArray x, Weight w, Weight b, InputRecorder recorder) {
        if (recorder != null) {
            recorder.record(w, x);
        }
        return Ops.linear(x, w, b.storage());
    }

    private NDArray attention(NDArray x, NDArray mask, KvCache cache, int layerIndex, InputRecorder recorder) {
        NDList qkv = project(x, recorder);
        NDArray keys = qkv.get(1);
        NDArray values = qkv.get(2);
        if (cache != null) {
            NDArray[] all = cache.append(layerIndex, keys, values);
            keys = all[0];
            values = all[1];
        }
        NDArray q = queryScale == null ? qkv.get(0) : qkv.get(0).mul(queryScale);
        return linear(Ops.attention(q, keys, values, mask), attnProjWeight, attnProjBias, recorder);
    }

    /** Queries (B, T, heads, hd), keys and values (B, kvHeads, T, hd): the cache layout. */
    private NDList project(NDArray x, InputRecorder recorder) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int hd = config.headDim();
        int kv = config.kvHeads();
        long q = config.attentionWidth();
        NDList parts = linear(x, qkvWeight, qkvBias, recorder).split(new long[] {q, q + (long) kv * hd}, 2);
        return new NDList(parts.get(0).reshape(b, t, config.nHead(), hd), heads(parts.get(1), b, t, kv, hd), heads(parts.get(2), b, t, kv, hd));
    }

    /** (B, T, kv·hd) to (B, kv, T, hd); with one token or one head that is a reshape, one op fewer per step. */
    private static NDArray heads(NDArray x, long b, long t, int kv, int hd) {
        return t == 1 || kv == 1 ? x.reshape(b, kv, t, hd) : x.reshape(b, t, kv, hd).transpose(0, 2, 1, 3);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(inputs.head(), inputs.size() > 1 ? inputs.get(1) : null, null, 0, null));
    }
}
