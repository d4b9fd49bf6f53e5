package org.slmworkbench.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Learns a byte-level BPE vocabulary, GPT-2 style. Ids 0..255 are the bytes (id = byte value),
 * learned tokens follow in the order they were made, and {@code <|endoftext|>} takes the last id,
 * {@code vocabSize - 1}.
 *
 * <p>Each step merges the most frequent adjacent pair, counted over the unique pre-tokenized
 * pieces (weighted by how often they occur); ties go to the pair with the smaller left id, then
 * the smaller right id, so the same corpus always gives the same tokenizer. Pair counts are
 * updated incrementally, touching only the pieces that contain the merged pair. Training stops
 * early, with a smaller vocabulary, when no pair occurs at least twice.
 */
public final class ByteBpeTrainer {
    public static final int MIN_VOCAB_SIZE = 258; // 256 bytes, <|endoftext|>, one merge
    public static final int MAX_VOCAB_SIZE = 65536; // ids still fit in an unsigned 16-bit value
    private static final long MIN_PAIR_COUNT = 2; // a pair seen once is not worth a token

    private record Candidate(long pair, long count) {}

    private static final Comparator<Candidate> MOST_FREQUENT_FIRST =
            Comparator.comparingLong((Candidate c) -> -c.count()).thenComparingLong(Candidate::pair);

    private final int[][] symbols; // per unique piece, its current token ids
    private final int[] lengths;
    private final long[] frequencies;
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, IntList> piecesWithPair = new HashMap<>(); // may hold stale entries
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(MOST_FREQUENT_FIRST);
    private final List<byte[]> tokens = new ArrayList<>();
    private final Map<String, Integer> idOfToken = new HashMap<>(); // byte-level token string
    private final List<Merge> merges = new ArrayList<>();

    /** Trains on raw bytes with GPT-2 pre-tokenization; see {@link #train(byte[], int, PreTokenization)}. */
    public static ByteBpeTokenizer train(byte[] corpus, int vocabSize) {
        return train(corpus, vocabSize, PreTokenization.GPT2);
    }

    /** Trains on raw bytes; stray bytes outside well-formed UTF-8 are kept out of merges. */
    public static ByteBpeTokenizer train(byte[] corpus, int vocabSize, PreTokenization preTokenization) {
        checkVocabSize(vocabSize);
        WordCounts counts = new WordCounts(Objects.requireNonNull(preTokenization, "preTokenization"));
        Utf8Runs.split(corpus, counts::addText, strayByte -> {});
        return new ByteBpeTokenizer(new ByteBpeTrainer(counts).run(vocabSize), preTokenization);
    }

    /** Trains on documents with GPT-2 pre-tokenization; see {@link #train(Iterable, int, PreTokenization)}. */
    public static ByteBpeTokenizer train(Iterable<String> documents, int vocabSize) {
        return train(documents, vocabSize, PreTokenization.GPT2);
    }

    /**
     * Trains on documents; no merge spans two documents or two pieces of {@code preTokenization},
     * which the tokenizer keeps and encodes with.
     */
    public static ByteBpeTokenizer train(Iterable<String> documents, int vocabSize, PreTokenization preTokenization) {
        checkVocabSize(vocabSize);
        WordCounts counts = new WordCounts(Objects.requireNonNull(preTokenization, "preTokenization"));
        documents.forEach(counts::addText);
        return new ByteBpeTokenizer(new ByteBpeTrainer(counts).run(vocabSize), preTokenization);
    }

    private static void checkVocabSize(int vocabSize) {
        if (vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabulary size must be between " + MIN_VOCAB_SIZE
                    + " and " + MAX_VOCAB_SIZE + ", got " + vocabSize);
        }
    }

    private ByteBpeTrainer(WordCounts counts) {
        for (int b = 0; b < 256; b++) {
            addToken(new byte[] {(byte) b});
        }
        int n = counts.counts().size();
        symbols = new int[n][];
        lengths = new int[n];
        frequencies = new long[n];
        int w = 0;
        for (Map.Entry<String, int[]> e : counts.counts().entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            symbols[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                symbols[w][i] = bytes[i] & 0xFF;
            }
            lengths[w] = bytes.length;
            frequencies[w] = e.getValue()[0];
            for (int i = 0; i + 1 < bytes.length; i++) {
                long pair = Merge.pairKey(symbols[w][i], symbols[w][i + 1]);
                pairCounts.merge(pair, frequencies[w], Long::sum);
                indexPiece(pair, w);
            }
            w++;
        }
        pairCounts.forEach((pair, count) -> queue.add(new Candidate(pair, count)));
    }

    private BpeModel run(int vocabSize) {
        int tokensBeforeEos = vocabSize - 1;
        while (tokens.size() < tokensBeforeEos && !queue.isEmpty()) {
            Candidate best = queue.poll();
            Long count = pairCounts.get(best.pair());
            if (count == null || count != best.count()) {
                continue; // superseded by a later entry for the same pair
            }
            if (count < MIN_PAIR_COUNT) {
                break;
            }
            int left = Merge.leftOf(best.pair());
            int right = Merge.rightOf(best.pair());
            byte[] head = tokens.get(left);
            byte[] tail = tokens.get(right);
            byte[] merged = Arrays.copyOf(head, head.length + tail.length);
            System.arraycopy(tail, 0, merged, head.length, tail.length);
            // Different pairs can spell the same bytes; they share one token, as in Hugging Face.
            Integer existing = idOfToken.get(ByteLevelAlphabet.encode(merged));
            int result = existing != null ? existing : addToken(merged);
            merges.add(new Merge(left, right, result));
            applyMerge(best.pair(), left, right, result);
        }
        byte[][] vocabulary = tokens.toArray(new byte[tokens.size() + 1][]);
        return new BpeModel(vocabulary, tokens.size(), merges);
    }

    private int addToken(byte[] bytes) {
        tokens.add(bytes);
        idOfToken.put(ByteLevelAlphabet.encode(bytes), tokens.size() - 1);
        return tokens.size() - 1;
    }

    /** Merges the pair in every piece that has it and updates the counts of the pairs around it. */
    private void applyMerge(long pair, int left, int right, int result) {
        int[] pieces = piecesWithPair.remove(pair).toArray();
        Arrays.sort(pieces);
        Map<Long, Long> delta = new HashMap<>();
        for (int k = 0; k < pieces.length; k++) {
            int w = pieces[k];
            if ((k > 0 && pieces[k - 1] == w) || !contains(w, left, right)) {
                continue;
            }
            int[] s = symbols[w];
            long f = frequencies[w];
            for (int i = 0; i + 1 < lengths[w]; i++) {
                delta.merge(Merge.pairKey(s[i], s[i + 1]), -f, Long::sum);
            }
            int out = 0;
            for (int i = 0; i < lengths[w]; ) {
                if (i + 1 < lengths[w] && s[i] == left && s[i + 1] == right) {
                    s[out++] = result;
                    i += 2;
                } else {
                    s[out++] = s[i++];
                }
            }
            lengths[w] = out;
            for (int i = 0; i + 1 < out; i++) {
                long p = Merge.pairKey(s[i], s[i + 1]);
                delta.merge(p, f, Long::sum);
                if (s[i] == result || s[i + 1] == result) {
                    indexPiece(p, w); // only pairs with the new token are new to this piece
                }
            }
        }
        delta.forEach((p, change) -> {
            if (change == 0) {
                return;
            }
            long count = pairCounts.getOrDefault(p, 0L) + change;
            if (count <= 0) {
                pairCounts.remove(p);
                piecesWithPair.remove(p);
            } else {
                pairCounts.put(p, count);
                queue.add(new Candidate(p, count));
            }
        });
    }

    private boolean contains(int w, int left, int right) {
        int[] s = symbols[w];
        for (int i = 0; i + 1 < lengths[w]; i++) {
            if (s[i] == left && s[i + 1] == right) {
                return true;
            }
        }
        return false;
    }

    private void indexPiece(long pair, int w) {
        IntList list = piecesWithPair.computeIfAbsent(pair, p -> new IntList(4));
        if (list.size() == 0 || list.get(list.size() - 1) != w) {
            list.add(w);
        }
    }
}
