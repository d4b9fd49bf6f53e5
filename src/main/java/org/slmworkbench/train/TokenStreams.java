package org.slmworkbench.train;

import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.data.Document;
import org.slmworkbench.tokenizer.TextTokenizer;

/** Datasets as the token streams that training and evaluation read. */
public final class TokenStreams {
    private TokenStreams() {}

    /** Documents encoded one by one and joined by end-of-text, so no window pretends two files are one. */
    public static int[] of(List<Document> docs, TextTokenizer tok) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        for (Document d : docs) {
            int[] ids = tok.encode(d.text());
            parts.add(ids);
            total += ids.length + (tok.eosId() >= 0 ? 1 : 0);
        }
        int[] all = new int[total];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
            if (tok.eosId() >= 0) {
                all[at++] = tok.eosId();
            }
        }
        return all;
    }
}
