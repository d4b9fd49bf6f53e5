package org.slmworkbench.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The GELU variants GPT checkpoints name in {@code activation_function}. The tanh approximation
 * (gelu_new, gelu_pytorch_tanh) has no fused op in DJL, so it is written as
 * {@code x · sigmoid(x · (c1 + c2 · x²))}, which equals {@code 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))}
 * because {@code 0.5 · (1 + tanh(u)) = sigmoid(2u)}: six ops instead of eight. Its constants are
 * arrays kept by the model, so no op allocates a scalar.
 */
final class GeluActivation {
    /** gelu_new and gelu_pytorch_tanh are the same function; gelu is the exact erf form. */
    static final List<String> SUPPORTED = List.of("gelu_new", "gelu_pytorch_tanh", "gelu");

    private final boolean exact;
    private final NDArray c1;
    private final NDArray c2;

    GeluActivation(NDManager manager, String activationFunction) {
        if (!SUPPORTED.contains(activationFunction)) {
            throw new IllegalArgumentException("unsupported activation_function " + activationFunction);
        }
        exact = activationFunction.equals("gelu");
        double twoRoot = 2 * Math.sqrt(2 / Math.PI);
        c1 = manager.create((float) twoRoot);
        c2 = manager.create((float) (twoRoot * 0.044715));
    }

    NDArray apply(NDArray x) {
        if (exact) {
            return x.getNDArrayInternal().gelu();
        }
        return x.mul(x.square().mul(c2).add(c1).mul(x).getNDArrayInternal().sigmoid());
    }
}
