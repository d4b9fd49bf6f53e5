package org.slmworkbench.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.BadInputException;

/**
 * Collects documents into the training and held-out parts within a character budget. Text files
 * are cut by lines (about the last {@code heldoutFraction} of each file held out); records (rows,
 * or the files of a source tree) are dealt out whole: with a fraction of 0.1 every 10th is held
 * out, and a group of 2 to 9 holds out its last.
 */
final class DatasetBuilder {
    /** Where a document goes: split by the fraction, or whole into one part (pre-split folders). */
    enum Part { SPLIT, TRAIN, HELDOUT }

    private final double heldoutFraction;
    private final long maxChars;
    private final List<Document> train = new ArrayList<>();
    private final List<Document> heldout = new ArrayList<>();
    private long limit;
    private long used;
    private boolean truncated;
    /** Lines, rows or files read, counted only up to two: what matters is whether there is more than one. */
    private int units;
    private String unit = "line";

    DatasetBuilder(double heldoutFraction, long maxChars) {
        this.heldoutFraction = heldoutFraction;
        this.maxChars = maxChars;
        this.limit = maxChars;
    }

    /** Characters that may still be added. */
    long remaining() {
        return limit - used;
    }

    /** How much of a text file to read: one character more than fits tells whether the file goes on. */
    long textToRead() {
        return Math.min(remaining(), Integer.MAX_VALUE) + 1;
    }

    boolean isFull() {
        return used >= limit;
    }

    /**
     * Until {@link #endShare()}, stops at a {@code share} of what remains of the budget: a pre-split
     * folder reads its held-out part first with a share, so the cap cannot leave it empty.
     */
    void startShare(double share) {
        limit = used + Math.max(1, (long) (remaining() * share));
    }

    void endShare() {
        limit = maxChars;
    }

    /** Adds a text file's text, cut to the budget after a line end, into the part (cut by lines for SPLIT). */
    void addText(Path source, String text, Part part) {
        text = take(text, true);
        tally("line", text.strip().indexOf('\n') >= 0 ? 2 : 1);
        switch (part) {
            case TRAIN -> train.add(new Document(source, text));
            case HELDOUT -> heldout.add(new Document(source, text));
            case SPLIT -> splitByLines(source, text);
        }
    }

    /** A group of records dealt out together, e.g. the rows of one file. */
    RecordGroup records(Part part, String unitName) {
        return new RecordGroup(part, unitName);
    }

    /**
     * @param paths what was read, for the message
     * @throws BadInputException if there is only one line, row or file while some is to be held out
     */
    TextDataset build(List<Path> paths) {
        if (heldoutFraction > 0 && units == 1) {
            String problem = "only one " + unit + " of text; need at least two, one to train on and one to hold out";
            throw paths.size() == 1 ? new BadInputException(paths.get(0), "has " + problem)
                    : new BadInputException("the data has " + problem);
        }
        return new TextDataset(train, heldout, truncated);
    }

    /**
     * The start of {@code text} that fits the budget (cut after a line end if {@code byLines} and
     * there is one), counted as used. A cut text spends the budget: what is left of it would only
     * take a piece of the next line or record.
     */
    private String take(String text, boolean byLines) {
        boolean cut = text.length() > remaining();
        if (cut) {
            int end = (int) remaining();
            int lineEnd = byLines ? text.lastIndexOf('\n', end - 1) : -1;
            text = text.substring(0, lineEnd >= 0 ? lineEnd + 1 : end);
        }
        used += text.length();
        limit = cut ? used : limit;
        truncated |= isFull();
        return text;
    }

    private void tally(String unitName, int n) {
        unit = unitName;
        units = Math.min(2, units + n);
    }

    final class RecordGroup {
        private final Part part;
        private final String unitName;
        private long count;
        private int lastTrain = -1;
        private boolean heldAny;

        private RecordGroup(Part part, String unitName) {
            this.part = part;
            this.unitName = unitName;
        }

        /** Adds one record unless it is blank, cut to the budget. */
        void add(Path source, String text) {
            if (!text.isBlank()) {
                text = take(text, false);
                tally(unitName, 1);
                boolean held = part == Part.HELDOUT || (part == Part.SPLIT && isHeldOut(count));
                count++;
                (held ? heldout : train).add(new Document(source, text));
                heldAny |= held;
                lastTrain = held ? lastTrain : train.size() - 1;
            }
        }

        /** Non-blank records added. */
        long count() {
            return count;
        }

        /** A group too small to reach its first held-out record holds out its last one. */
        void finish() {
            if (part == Part.SPLIT && heldoutFraction > 0 && count >= 2 && !heldAny) {
                heldout.add(train.remove(lastTrain));
            }
        }

        /** Whether the 0-based i-th record is held out: the one where the running share of held-out records reaches a whole number. */
        private boolean isHeldOut(long i) {
            return Math.floor((i + 1) * heldoutFraction) > Math.floor(i * heldoutFraction);
        }
    }

    /**
     * Adds the text to train and its tail to heldout, cut at the line start nearest to the requested
     * share. If there is no such line start, or either side would be blank, the whole text goes to train.
     */
    private void splitByLines(Path source, String text) {
        int cut = heldoutFraction == 0 ? text.length() : lineStartNear(text, text.length() * (1 - heldoutFraction));
        String head = text.substring(0, cut);
        String tail = text.substring(cut);
        if (head.isBlank() || tail.isBlank()) {
            train.add(new Document(source, text));
            return;
        }
        train.add(new Document(source, head));
        heldout.add(new Document(source, tail));
    }

    /** Index of the start of a line (after a '\n', not at the very end) closest to {@code target}. */
    private static int lineStartNear(String text, double target) {
        int ideal = (int) Math.round(target);
        int before = text.lastIndexOf('\n', Math.max(ideal - 1, 0));
        int after = text.indexOf('\n', Math.max(ideal - 1, 0));
        int best = text.length();
        if (before >= 0 && before + 1 < text.length()) {
            best = before + 1;
        }
        if (after >= 0 && after + 1 < text.length()
                && (best == text.length() || Math.abs(after + 1 - target) < Math.abs(best - target))) {
            best = after + 1;
        }
        return best;
    }
}
