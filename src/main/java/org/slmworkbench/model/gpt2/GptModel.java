package org.slmworkbench.model.gpt2;

import org.slmworkbench.model.Weight;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.model.AbstractCausalLm;
import org.slmworkbench.model.InputRecorder;
import org.slmworkbench.model.KvCache;
import org.slmworkbench.model.Ops;
import org.slmworkbench.model.WeightSource;

/**
 * GPT-2 and GPTBigCode decoders as DJL blocks: token plus learned position embeddings, pre-LayerNorm
 * blocks, a final LayerNorm and a head (usually tied to the token embedding). Weights come by
 * Hugging Face name in the model layout of {@link GptTensors}.
 */
public final class GptModel extends AbstractCausalLm {
    private final GptConfig config;
    private final float eps;
    private final Weight wte;
    private final Weight wpe;
    private final Weight lnFWeight;
    private final Weight lnFBias;
    private final Weight head;
    private final List<GptBlock> blocks = new ArrayList<>();

    /** Builds the model on weights from {@code weights}; the arrays must live in {@code manager}. */
    public GptModel(GptConfig config, NDManager manager, WeightSource weights) {
        super(manager);
        this.config = config;
        this.eps = (float) config.layerNormEpsilon();
        GeluActivation gelu = new GeluActivation(manager, config.activationFunction());
        NDArray queryScale = config.scaleAttnWeights() ? manager.create((float) (1 / Math.sqrt(config.headDim()))) : null;
        wte = register(GptTensors.WTE, weights);
        wpe = register(GptTensors.WPE, weights);
        for (int i = 0; i < config.nLayer(); i++) {
            GptBlock block = new GptBlock(config, gelu, queryScale, GptTensors.layerPrefix(i), registry(), weights);
            blocks.add(addChildBlock("h" + i, block));
        }
        lnFWeight = register(GptTensors.LN_F_WEIGHT, weights);
        lnFBias = register(GptTensors.LN_F_BIAS, weights);
        head = config.tieWordEmbeddings() ? wte : register(GptTensors.HEAD, weights);
    }

    @Override
    public GptConfig config() {
        return config;
    }

    /** Token embeddings plus the learned embeddings of positions start..start+T-1. */
    @Override
    protected NDArray embed(NDArray ids, int start) {
        int t = (int) ids.getShape().get(1);
        return Ops.embedding(ids, wte).add(wpe.widenRows(ids.getManager(), start, start + t));
    }

    @Override
    protected NDArray logits(NDArray x) {
        return Ops.linear(Ops.layerNorm(x, lnFWeight.storage(), lnFBias.storage(), eps), head);
    }

    @Override
    protected NDArray block(int layer, NDArray x, int start, NDArray mask, KvCache cache, InputRecorder recorder) {
        return blocks.get(layer).forward(x, mask, cache, layer, recorder);
    }

    @Override
    protected void cacheSkipped(int layer, NDArray exitHidden, int start, KvCache cache) {
        blocks.get(layer).cacheSkipped(exitHidden, cache, layer);
    }
}
