package org.slmworkbench.bench;

import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.data.Document;

/**
 * Prompts for the code columns: the signature line of top-level functions in held-out Python
 * files ("def name(args):") and the indent of a body's first line, and how a completion is cut — at
 * the first line back at column 0, where the function has ended. The prompt ends inside the indent
 * because byte-level BPE joins a newline with the spaces after it: a prompt ending at the newline
 * would stop mid-token, where the model has rarely been.
 */
public final class CodePrompts {
    static final String BODY_INDENT = "    ";

    private CodePrompts() {}

    /** True when the held-out text is Python source (every document comes from a .py file). */
    public static boolean isPython(List<Document> docs) {
        return !docs.isEmpty() && docs.stream().allMatch(d -> d.source().toString().endsWith(".py"));
    }

    /** Up to {@code max} prompts, spread over the documents in order. */
    public static List<String> of(List<Document> docs, int max) {
        List<String> all = new ArrayList<>();
        for (Document d : docs) {
            for (String line : d.text().split("\n", -1)) {
                if (line.startsWith("def ") && line.stripTrailing().endsWith(":")) {
                    all.add(line.stripTrailing() + "\n" + BODY_INDENT);
                }
            }
        }
        if (all.size() <= max) {
            return all;
        }
        List<String> spread = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            spread.add(all.get((int) ((long) i * all.size() / max)));
        }
        return spread;
    }

    /** The function a prompt and its completion make: the signature line and the body, cut where it ends. */
    public static String program(String promptAndCompletion) {
        int newline = promptAndCompletion.indexOf('\n');
        return promptAndCompletion.substring(0, newline + 1) + body(promptAndCompletion.substring(newline + 1));
    }

    /** The function body: up to the first non-blank line at column 0. */
    static String body(String completion) {
        StringBuilder body = new StringBuilder();
        for (String line : completion.split("\n", -1)) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                break;
            }
            body.append(line).append('\n');
        }
        return body.toString().stripTrailing() + "\n";
    }
}
