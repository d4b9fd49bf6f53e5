package org.slmworkbench.model.gpt2;

/**
 * The Hugging Face architectures this package runs. They share the maths (learned positions,
 * LayerNorm with bias, fused c_attn, GELU MLP, tied head) and differ in how checkpoints store the
 * projections, which {@link GptTensors} undoes on load.
 */
public enum GptFamily {
    /** {@code GPT2LMHeadModel}: projections are Conv1D, stored (in, out); c_attn columns are q | k | v. */
    GPT2("GPT2LMHeadModel", "gpt2"),
    /**
     * {@code GPTBigCodeForCausalLM}: projections are nn.Linear, stored (out, in). With
     * {@code multi_query} c_attn rows are q | k | v with one key/value head; without it they go
     * head by head (q, k, v of head 0, then of head 1, ...).
     */
    BIG_CODE("GPTBigCodeForCausalLM", "gpt_bigcode");

    private final String architecture;
    private final String modelType;

    GptFamily(String architecture, String modelType) {
        this.architecture = architecture;
        this.modelType = modelType;
    }

    /** The name in config.json's {@code architectures}. */
    public String architecture() {
        return architecture;
    }

    /** config.json's {@code model_type}. */
    public String modelType() {
        return modelType;
    }
}
