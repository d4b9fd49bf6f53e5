package org.slmworkbench.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A byte-level BPE vocabulary and its ranked merges: the part of a tokenizer that turns one
 * pre-tokenized piece into ids and ids back into bytes.
 */
final class BpeModel {
    private final byte[][] tokenBytes; // by id; the end-of-text token holds its literal text
    private final int eosId;
    private final int[] byteIds = new int[256];
    private final List<Merge> merges; // in rank order
    private final PairRanks ranks;

    /**
     * @param tokenBytes the bytes of every token by id (every single byte must have a token);
     *     the end-of-text entry is ignored
     * @param eosId id of {@code <|endoftext|>}, or -1
     * @param merges the merges by rank
     */
    BpeModel(byte[][] tokenBytes, int eosId, List<Merge> merges) {
        this.tokenBytes = tokenBytes.clone();
        this.eosId = eosId;
        this.merges = List.copyOf(merges);
        Arrays.fill(byteIds, -1);
        for (int id = 0; id < tokenBytes.length; id++) {
            if (id != eosId && tokenBytes[id].length == 1) {
                byteIds[tokenBytes[id][0] & 0xFF] = id;
            }
        }
        if (eosId >= 0) {
            this.tokenBytes[eosId] = SpecialTokens.END_OF_TEXT.getBytes(StandardCharsets.UTF_8);
        }
        ranks = new PairRanks(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            if (!ranks.put(merges.get(rank).pairKey(), rank)) {
                throw new IllegalArgumentException("merge " + rank + " repeats an earlier pair");
            }
        }
    }

    int vocabSize() {
        return tokenBytes.length;
    }

    int eosId() {
        return eosId;
    }

    List<Merge> merges() {
        return merges;
    }

    /** The bytes of a token (for the end-of-text token, its literal text). */
    byte[] bytesOf(int id) {
        return tokenBytes[id].clone();
    }

    /** Id of the single-byte token for {@code b} (0..255), or -1 if the vocabulary lacks it. */
    int byteId(int b) {
        return byteIds[b];
    }

    /**
     * Ids of one piece. Applies merges lowest rank first, leftmost first among equal ranks, as
     * the Hugging Face BPE model does, so both give the same ids.
     */
    int[] encodePiece(byte[] piece) {
        int n = piece.length;
        int[] ids = new int[n];
        int[] next = new int[n]; // linked list over the surviving symbols; n means none
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = byteIds[piece[i] & 0xFF];
            next[i] = i + 1;
            prev[i] = i - 1;
        }
        LongMinHeap candidates = new LongMinHeap(); // rank in the high half, position low
        for (int i = 0; i + 1 < n; i++) {
            offer(candidates, ids, i, i + 1);
        }
        int alive = n;
        while (!candidates.isEmpty()) {
            long candidate = candidates.poll();
            int rank = (int) (candidate >>> 32);
            int pos = (int) candidate;
            int right = next[pos];
            if (ids[pos] < 0 || right >= n) {
                continue; // pos was merged away, or nothing follows it any more
            }
            int currentRank = ranks.rankOf(Merge.pairKey(ids[pos], ids[right]));
            int result = merges.get(rank).result();
            if (currentRank < 0 || merges.get(currentRank).result() != result) {
                continue; // the pair at pos changed since this candidate was offered
            }
            ids[pos] = result;
            ids[right] = -1;
            next[pos] = next[right];
            if (next[pos] < n) {
                prev[next[pos]] = pos;
            }
            alive--;
            if (prev[pos] >= 0) {
                offer(candidates, ids, prev[pos], pos);
            }
            if (next[pos] < n) {
                offer(candidates, ids, pos, next[pos]);
            }
        }
        int[] out = new int[alive];
        for (int i = 0, k = 0; i < n; i = next[i]) {
            out[k++] = ids[i];
        }
        return out;
    }

    private void offer(LongMinHeap candidates, int[] ids, int pos, int right) {
        int rank = ranks.rankOf(Merge.pairKey(ids[pos], ids[right]));
        if (rank >= 0) {
            candidates.push(((long) rank << 32) | pos);
        }
    }

    /** The bytes of {@code ids}, concatenated. */
    byte[] decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id < 0 || id >= tokenBytes.length) {
                throw new IllegalArgumentException(
                        "token id " + id + " is outside the vocabulary (size " + tokenBytes.length + ")");
            }
            out.writeBytes(tokenBytes[id]);
        }
        return out.toByteArray();
    }
}
