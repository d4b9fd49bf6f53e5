package org.slmworkbench.data;

/** Why a generated line is anomalous; {@link #label()} is the text written to labels.tsv. */
enum AnomalyKind {
    RARE_TEMPLATE("rare-template", "a message that normal traffic never or almost never produces"),
    BURST("burst", "one of many similar lines in a short time: brute force, error storms, link flapping"),
    IMPOSSIBLE_VALUE("impossible-value",
            "a field holding a value that cannot happen: status 999, a port above 65535, a negative duration "
                    + "or size, an absurd byte count, a timestamp going back");

    private final String label;
    private final String meaning;

    AnomalyKind(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    String label() {
        return label;
    }

    /** One line for the generated README. */
    String meaning() {
        return meaning;
    }
}
