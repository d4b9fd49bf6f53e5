package org.slmworkbench.checkpoint;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.slmworkbench.BadInputException;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.gpt2.GptFamily;

/** The architectures a checkpoint folder may hold, told apart by config.json's {@code architectures} and {@code model_type}. */
public enum Architecture {
    LLAMA(LlamaConfig.ARCHITECTURE, "llama", null),
    GPT2(GptFamily.GPT2),
    GPT_BIGCODE(GptFamily.BIG_CODE);

    private final String hfName;
    private final String modelType;
    private final GptFamily gptFamily;

    Architecture(GptFamily family) {
        this(family.architecture(), family.modelType(), family);
    }

    Architecture(String hfName, String modelType, GptFamily gptFamily) {
        this.hfName = hfName;
        this.modelType = modelType;
        this.gptFamily = gptFamily;
    }

    public String hfName() {
        return hfName;
    }

    /** The GPT family, or null for Llama. */
    public GptFamily gptFamily() {
        return gptFamily;
    }

    /**
     * The architecture config.json declares. {@code architectures} decides, and a
     * {@code model_type} beside it must agree; without either the file is read as Llama (the
     * Llama reader then names whatever is missing), as this project always did.
     */
    public static Architecture of(ConfigFile f) {
        String declared = f.firstString("architectures");
        String type = f.optString("model_type", null);
        if (declared != null) {
            Architecture a = Arrays.stream(values()).filter(v -> v.hfName.equals(declared)).findFirst().orElseThrow(() ->
                    new BadInputException(f.file(), "architecture " + declared + " is not supported (supported: " + supported() + ")"));
            if (type != null && !type.equals(a.modelType)) {
                throw new BadInputException(f.file(), "model_type \"" + type + "\" does not match architecture " + declared
                        + " (expected \"" + a.modelType + "\")");
            }
            return a;
        }
        if (type != null) {
            return Arrays.stream(values()).filter(v -> v.modelType.equals(type)).findFirst().orElseThrow(() ->
                    new BadInputException(f.file(), "model_type \"" + type + "\" is not supported (supported: " + supported() + ")"));
        }
        return LLAMA;
    }

    private static String supported() {
        return Arrays.stream(values()).map(Architecture::hfName).collect(Collectors.joining(", "));
    }
}
