package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/** One Llama block: pre-norm grouped-query self-attention with RoPE, then a pre-norm SwiGLU MLP. */
final class LlamaDecoderLayer extends DecoderBlock {
    private final LlamaConfig config;
    private final Rope rope;
    private final NDArray eps;
    private final LlamaBlockWeights tensors;
    private final LlamaTokenStep tokenStep;

    LlamaDecoderLayer(LlamaConfig config, Rope rope, NDArray eps, String prefix, AbstractCausalLm.Registry registry, WeightSource weights) {
        this.config = config;
        this.rope = rope;
        this.eps = eps;
        tensors = new LlamaBlockWeights(register(prefix + "input_layernorm.weight", registry, weights),
                register(prefix + "self_attn.q_proj.weight", registry, weights),
                register(prefix + "self_attn.k_proj.weight", registry, weights),
                register(prefix + "self_attn.v_proj.weight", registry, weights),
                register(prefix + "self_attn.o_proj.weight", registry, weights),
                register(prefix + "post_attention_layernorm.weight", registry, weights),
                register(prefix + "mlp.gate_proj.weight", registry, weights),
                register(prefix + "mlp.up_proj.weight", registry, weights),
                register(prefix + "mlp.down_proj.weight", registry, weights));
        tokenStep = new LlamaTokenStep(rope, (float) config.rmsNormEps(), config.headDim(), tensors);
    }

    /**
     * @param x hidden states (B, T, hidden)
     * @param start position of the first token
     * @param mask additive causal mask (T, S) or null when T == 1
     * @param cache the cache to read and extend, or null for a plain causal pass
     * @param recorder sees each projection's input, or null (every ordinary pass)
     */
    NDArray forward(NDArray x, int start, NDArray mask, KvCache cache, int layerIndex, InputRecorder recorder) {
        if (tokenStep.applies(x, cache, recorder)) {
            return tokenStep.forward(x, start, cache, layerIndex);
        }
        NDArray h = x.add(attention(Ops.rmsNorm(x, tensors.inputNorm().storage(), eps), start, mask, cache, layerIndex, recorder));
        NDArray n = Ops.rmsNorm(h, tensors.postNorm().storage(), eps);
        NDArray mlp = linear(Ops.swiGlu(linear(n, tensors.gate(), recorder), linear(n, tensors.up(), recorder)), tensors.down(), recorder);
        return h.add(mlp);
    }

    /**
     * Fills this layer's cache slot for tokens that left the network before reaching it: their
     * keys and values come from the exit hidden state, as CALM propagates it, so later tokens
     * that do run this layer still find an entry at every position.
     */
    void cacheSkipped(NDArray exitHidden, int start, KvCache cache, int layerIndex) {
        Shape s = exitHidden.getShape();
        int kvHeads = (int) (tensors.k().shape().get(0) / config.headDim());
        NDArray x = Ops.rmsNorm(exitHidden, tensors.inputNorm().storage(), eps);
        NDArray kh = rope.apply(Ops.linear(x, tensors.k()).reshape(s.get(0), s.get(1), kvHeads, config.headDim()), start, false);
        NDArray vh = Ops.linear(x, tensors.v()).reshape(s.get(0), s.get(1), kvHeads, config.headDim());
        cache.append(layerIndex, kh.transpose(0, 2, 1, 3), vh.transpose(0, 2, 1, 3));
    }

    private static NDArray linear(NDArray x, Weight w, InputRecorder recorder) {
        if (recorder != null) {
            recorder.record(w, x);
        }
        return Ops.linear(x, w);
    }

    private NDArray attention(NDArray x, int start, NDArray mask, KvCache cache, int layerIndex, InputRecorder recorder) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int heads = (int) (tensors.q().shape().get(0) / config.headDim());
        int kvHeads = (int) (tensors.k().shape().get(0) / config.headDim());
        int hd = config.headDim();

        NDArray qh = rope.apply(linear(x, tensors.q(), recorder).reshape(b, t, heads, hd), start, true);
        NDArray kh = rope.apply(linear(x, tensors.k(), recorder).reshape(b, t, kvHeads, hd), start, false);
        NDArray vh = linear(x, tensors.v(), recorder).reshape(b, t, kvHeads, hd);

        // (B, kvHeads, T, hd): the cache layout
        NDArray keys = kh.transpose(0, 2, 1, 3);
        NDArray values = vh.transpose(0, 2, 1, 3);
        if (cache != null) {
            NDArray[] all = cache.append(layerIndex, keys, values);
            keys = all[0];
            values = all[1];
        }
        NDArray merged = Ops.attention(qh, keys, values, mask);
        return linear(merged, tensors.o(), recorder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(inputs.head(), 0, inputs.size() > 1 ? inputs.get(1) : null, null, 0, null));
    }
}
