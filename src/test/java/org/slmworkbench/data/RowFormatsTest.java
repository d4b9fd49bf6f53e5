package org.slmworkbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slmworkbench.data.DataFiles.write;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

/** .jsonl, .json, .csv and .parquet: one text per record, held out whole. */
class RowFormatsTest {
    private static final List<String> TEXTS = List.of("first row", "zweite Zeile \u00e4\u00f6\u00fc", "a row\nwith two lines",
            "emoji \uD83D\uDE00 and \"quotes\"", "commas, inside, it");

    @TempDir
    Path temp;

    private static List<String> texts(List<Document> documents) {
        return documents.stream().map(Document::text).toList();
    }

    /** All texts, training then held out, with the held-out ones being the last of a small file. */
    private static void assertRoundTrip(List<String> expected, TextDataset data) {
        assertEquals(expected.subList(0, expected.size() - 1), texts(data.train()));
        assertEquals(List.of(expected.get(expected.size() - 1)), texts(data.heldout()));
    }

    private static TextDataset load(Path file, DataOptions options) {
        return DatasetLoader.load(List.of(file), 0.1, options);
    }

    private static TextDataset load(Path file) {
        return load(file, DataOptions.DEFAULTS);
    }

    private static String failure(Path file, DataOptions options) {
        return assertThrows(BadInputException.class, () -> load(file, options)).getMessage();
    }

    private static String failure(Path file) {
        return failure(file, DataOptions.DEFAULTS);
    }

    /** Writes the file and checks that loading it fails with exactly this problem after the file's name. */
    private void assertProblem(String name, String content, String problem) throws IOException {
        Path file = write(temp.resolve(name), content);
        assertEquals(file + ": " + problem, failure(file));
    }

    private static DataOptions field(String name) {
        return new DataOptions(name, null, Set.of(), DataOptions.DEFAULT_MAX_CHARS);
    }

    private static DataOptions column(String name) {
        return new DataOptions(DataOptions.DEFAULT_FIELD, name, Set.of(), DataOptions.DEFAULT_MAX_CHARS);
    }

    @Test
    void jsonLinesRoundTripTheChosenField() throws IOException {
        Path file = write(temp.resolve("rows.jsonl"), DataFiles.jsonLines("content", TEXTS) + "\n  \n");
        TextDataset data = load(file, field("content"));
        assertRoundTrip(TEXTS, data);
        assertEquals(file, data.train().get(0).source());
    }

    @Test
    void nullAndBlankTextsAreSkipped() throws IOException {
        Path file = write(temp.resolve("gaps.jsonl"), "{\"text\": \"a\"}\n{\"text\": null}\n{\"text\": \"  \"}\n\r\n{\"text\": \"b\"}\r\n");
        assertRoundTrip(List.of("a", "b"), load(file));
    }

    @Test
    void everyTenthRowIsHeldOut() throws IOException {
        List<String> rows = IntStream.range(0, 25).mapToObj(i -> "row " + i).toList();
        TextDataset data = load(write(temp.resolve("many.jsonl"), DataFiles.jsonLines("text", rows)));
        assertEquals(List.of("row 9", "row 19"), texts(data.heldout()));
        List<String> train = new ArrayList<>(rows);
        train.removeAll(List.of("row 9", "row 19"));
        assertEquals(train, texts(data.train()));
        assertEquals(rows, texts(DatasetLoader.load(List.of(temp.resolve("many.jsonl")), 0.0, DataOptions.DEFAULTS).train()));
    }

    @Test
    void invalidJsonNamesTheLine() throws IOException {
        Path file = write(temp.resolve("broken.jsonl"), "{\"text\": \"ok\"}\n\n{\"text\": \"unclosed}\n{\"text\": \"ok\"}\n");
        assertTrue(failure(file).startsWith(file + ": line 3, column "), failure(file));
        assertProblem("two.jsonl", "{\"text\": \"a\"} {\"text\": \"b\"}\n", "line 1, column 16: not valid JSON (unexpected text)");
        assertProblem("array.jsonl", "{\"text\": \"a\"}\n[\"b\"]\n", "line 2: expected an object with a 'text' field, found an array");
    }

    @Test
    void aMissingFieldListsTheFieldsThere() throws IOException {
        assertProblem("fields.jsonl", "{\"text\": \"a\"}\n{\"id\": 2, \"content\": \"b\", \"meta\": {\"text\": \"c\"}}\n",
                "line 2: no field 'text'; fields: id, content, meta");
        assertProblem("number.jsonl", "{\"text\": 12}\n", "line 1: field 'text' holds a number, not a string");
    }

    @Test
    void jsonArraysAndObjectsHoldingALists() throws IOException {
        Path array = write(temp.resolve("array.json"), "[\n  {\"text\": \"a\", \"n\": [1, 2]},\n  {\"text\": \"b\"},\n  {\"text\": \"c\"}\n]\n");
        assertRoundTrip(List.of("a", "b", "c"), load(array));
        Path wrapped = write(temp.resolve("wrapped.json"),
                "{\"version\": \"1.0\", \"meta\": {\"rows\": 3}, \"data\": [{\"body\": \"x\"}, {\"body\": \"y\"}], \"after\": 1}");
        assertRoundTrip(List.of("x", "y"), load(wrapped, field("body")));
        Path lines = write(temp.resolve("lines.json"), DataFiles.jsonLines("text", TEXTS));
        assertRoundTrip(TEXTS, load(lines));
    }

    @Test
    void jsonProblemsNameTheRecord() throws IOException {
        assertProblem("missing.json", "{\"data\": [{\"text\": \"a\"}, {\"body\": \"b\"}]}", "$.data[1]: no field 'text'; fields: body");
        Path noList = write(temp.resolve("nolist.json"), "{\"name\": \"x\"}");
        assertTrue(failure(noList).startsWith(noList + ": holds no list of records"), failure(noList));
        assertProblem("cut.json", "[\n{\"text\": \"a\"},\n{\"text\": ", "line 3, column 10: not valid JSON (unexpected end)");
    }

    @Test
    void csvFollowsRfc4180() throws IOException {
        String csv = "id,text,label\r\n"
                + "1,plain,x\r\n"
                + "2,\"with, comma\",y\r\n"
                + "3,\"say \"\"hi\"\"\",z\r\n"
                + "\r\n"
                + "4,\"two\r\nlines\",w\r\n"
                + "5,last,\r\n";
        TextDataset data = load(write(temp.resolve("rows.csv"), csv));
        assertRoundTrip(List.of("plain", "with, comma", "say \"hi\"", "two\r\nlines", "last"), data);
    }

    @Test
    void csvColumnIsChosenOrTheOnlyOne() throws IOException {
        Path file = write(temp.resolve("rows.csv"), "title,body\nA,alpha\nB,beta\n");
        assertRoundTrip(List.of("alpha", "beta"), load(file, column("body")));
        assertEquals(file + ": has no column 'text' and not exactly one text column; choose one (--column) of: title, body",
                failure(file));
        assertEquals(file + ": has no column 'content'; choose one (--column) of: title, body", failure(file, column("content")));
        Path single = write(temp.resolve("single.csv"), "sentence\nfirst\nsecond\n");
        assertRoundTrip(List.of("first", "second"), load(single));
    }

    @Test
    void malformedCsvNamesTheLine() throws IOException {
        assertProblem("width.csv", "a,text\n1,x\n2,y,extra\n", "line 3: 3 fields, but the header has 2");
        assertProblem("open.csv", "text\nok\n\"never closed\nmore\n", "line 3: a quoted field is never closed");
        Path stray = write(temp.resolve("stray.csv"), "text\n\"quoted\"tail\n");
        assertTrue(failure(stray).startsWith(stray + ": line 2: text after a closing quote"), failure(stray));
    }

    @Test
    void parquetWrittenByDuckDbReadsBack() throws Exception {
        Path file = DataFiles.parquet(temp.resolve("rows.parquet"), "SELECT i AS id, 'row ' || i AS content FROM range(12) t(i)");
        TextDataset data = load(file);
        List<String> train = new ArrayList<>(IntStream.range(0, 12).mapToObj(i -> "row " + i).toList());
        train.remove("row 9");
        assertEquals(train, texts(data.train()));
        assertEquals(List.of("row 9"), texts(data.heldout()));
        assertEquals(file, data.heldout().get(0).source());
    }

    @Test
    void parquetColumnIsTextOrChosenAndMustHoldStrings() throws Exception {
        Path file = DataFiles.parquet(temp.resolve("t.parquet"),
                "SELECT * FROM (VALUES (1, 'first', 'A'), (2, NULL, 'B'), (3, 'third', 'C')) t(n, text, title)");
        assertRoundTrip(List.of("first", "third"), load(file));
        assertRoundTrip(List.of("A", "B", "C"), load(file, column("title")));
        assertEquals(file + ": column 'n' holds INTEGER, not text; columns: n (INTEGER), text (VARCHAR), title (VARCHAR)",
                failure(file, column("n")));
        assertEquals(file + ": has no column 'body'; choose one (--column) of: n (INTEGER), text (VARCHAR), title (VARCHAR)",
                failure(file, column("body")));
        Path notParquet = write(temp.resolve("fake.parquet"), "text\nnot parquet at all\n");
        assertTrue(failure(notParquet).startsWith(notParquet + ": cannot be read as Parquet: "), failure(notParquet));
    }

    @Test
    void oneRowOrNoRowsSaySo() throws IOException, SQLException {
        List<Path> one = List.of(write(temp.resolve("one.jsonl"), "{\"text\": \"only\"}\n"),
                write(temp.resolve("one.json"), "[{\"text\": \"only\"}]"), write(temp.resolve("one.csv"), "text\nonly\n"),
                DataFiles.parquet(temp.resolve("one.parquet"), "SELECT 'only' AS text"));
        for (Path file : one) {
            assertEquals(file + ": has only one row of text; need at least two, one to train on and one to hold out", failure(file));
            assertEquals(List.of("only"), texts(DatasetLoader.load(List.of(file), 0.0, DataOptions.DEFAULTS).train()));
        }
        List<Path> none = List.of(write(temp.resolve("none.jsonl"), "\n"), write(temp.resolve("none.json"), "{\"data\": []}"),
                write(temp.resolve("none.csv"), "text\n\"\"\n"), DataFiles.parquet(temp.resolve("none.parquet"), "SELECT 'x' AS text WHERE false"));
        for (Path file : none) {
            assertEquals(file + ": has no rows with text; expected at least one", failure(file));
        }
        assertProblem("empty.csv", "", "is empty; expected a header row naming the columns, then rows");
    }

    @Test
    void previewShowsTheFirstRecordsOnOneLineEach() throws Exception {
        Path jsonl = write(temp.resolve("p.jsonl"), DataFiles.jsonLines("text", TEXTS));
        assertEquals(List.of("first row", "zweite Zeile \u00e4\u00f6\u00fc", "a row \u23CE with two lines"),
                DatasetLoader.preview(jsonl, 3, DataOptions.DEFAULTS));
        Path csv = write(temp.resolve("p.csv"), "text\n\"" + "x".repeat(3_000) + "\"\nsecond\n");
        assertEquals(List.of("x".repeat(2_000) + "\u2026"), DatasetLoader.preview(csv, 1, DataOptions.DEFAULTS));
        Path parquet = DataFiles.parquet(temp.resolve("p.parquet"), "SELECT 'row ' || i AS body FROM range(100000) t(i)");
        assertEquals(List.of("row 0", "row 1"), DatasetLoader.preview(parquet, 2, DataOptions.DEFAULTS));
        assertEquals(List.of(), DatasetLoader.preview(parquet, 0, DataOptions.DEFAULTS));
        Path fields = write(temp.resolve("f.jsonl"), "{\"body\": \"b\"}\n");
        assertEquals(fields + ": line 1: no field 'text'; fields: body",
                assertThrows(BadInputException.class, () -> DatasetLoader.preview(fields, 5, DataOptions.DEFAULTS)).getMessage());
    }
}
