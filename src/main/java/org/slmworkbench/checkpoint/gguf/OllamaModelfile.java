package org.slmworkbench.checkpoint.gguf;

/**
 * The Ollama {@code Modelfile} written beside a GGUF export, so {@code ollama create NAME -f Modelfile}
 * imports it: a base model, not a chat one, so the template passes the prompt through as it is;
 * the context is the model's; generation stops at end of text.
 */
final class OllamaModelfile {
    static final String FILE = "Modelfile";

    private OllamaModelfile() {}

    static String text(String ggufFileName, int context, String endOfText) {
        StringBuilder s = new StringBuilder();
        s.append("FROM ./").append(ggufFileName).append('\n');
        s.append("TEMPLATE \"\"\"{{ .Prompt }}\"\"\"\n");
        s.append("PARAMETER num_ctx ").append(context).append('\n');
        if (endOfText != null) {
            s.append("PARAMETER stop \"").append(endOfText).append("\"\n");
        }
        return s.toString();
    }
}
