package org.slmworkbench.data;

import java.util.List;

/**
 * The documents to train on and the held-out documents to evaluate on.
 *
 * @param truncated whether reading stopped at the character cap ({@link DataOptions#maxChars()})
 */
public record TextDataset(List<Document> train, List<Document> heldout, boolean truncated) {
    public TextDataset {
        train = List.copyOf(train);
        heldout = List.copyOf(heldout);
    }

    public long trainChars() {
        return chars(train);
    }

    public long heldoutChars() {
        return chars(heldout);
    }

    private static long chars(List<Document> documents) {
        long total = 0;
        for (Document document : documents) {
            total += document.text().length();
        }
        return total;
    }
}
