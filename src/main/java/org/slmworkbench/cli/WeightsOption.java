package org.slmworkbench.cli;

import java.util.Locale;
import org.slmworkbench.model.WeightPolicy;
import picocli.CommandLine.Option;

/** {@code --weights stored|f32}: the precision a loaded model's matrices are held at. */
final class WeightsOption {
    @Option(names = "--weights", defaultValue = "stored", paramLabel = "stored|f32",
            description = "hold the weights as the folder stores them (a bf16 or f16 model stays 16-bit in memory; the default) or widened to f32")
    String weights;

    WeightPolicy policy() {
        return switch (weights.toLowerCase(Locale.ROOT)) {
            case "stored" -> WeightPolicy.STORED;
            case "f32" -> WeightPolicy.F32;
            default -> throw new IllegalArgumentException("--weights must be stored or f32, got " + weights);
        };
    }
}
