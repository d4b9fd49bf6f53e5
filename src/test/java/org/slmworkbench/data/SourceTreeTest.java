package org.slmworkbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.slmworkbench.data.DataFiles.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

/** Folders of source files for code models: filtered by extension, one document per file, held out whole. */
class SourceTreeTest {
    @TempDir
    Path temp;

    private static DataOptions extensions(String... extensions) {
        return new DataOptions(DataOptions.DEFAULT_FIELD, null, Set.of(extensions), DataOptions.DEFAULT_MAX_CHARS);
    }

    private static List<Path> sources(List<Document> documents) {
        return documents.stream().map(Document::source).toList();
    }

    @Test
    void onlyTheChosenExtensionsOfWrittenCodeAreRead() throws IOException {
        Path main = write(temp.resolve("repo/main.py"), "def main():\n    return 1\n");
        Path util = write(temp.resolve("repo/pkg/util.PY"), "X = 2\n");
        Path notes = write(temp.resolve("repo/notes.txt"), "some notes\n");
        write(temp.resolve("repo/README.md"), "# readme\n");
        write(temp.resolve("repo/.venv/lib/site.py"), "hidden folder\n");
        write(temp.resolve("repo/.hidden.py"), "hidden file\n");
        write(temp.resolve("repo/pkg/__pycache__/util.py"), "cache\n");
        write(temp.resolve("repo/node_modules/dep/index.py"), "vendored\n");
        write(temp.resolve("repo/empty.py"), "  \n");
        write(temp.resolve("repo/generated.py"), "x = 1\n".repeat(200_000)); // 1.2 MB
        Files.write(temp.resolve("repo/blob.py"), new byte[] {'a', 0, 'b', 0});

        TextDataset py = DatasetLoader.load(List.of(temp.resolve("repo")), 0.1, extensions("py"));
        assertEquals(List.of(main), sources(py.train()));
        assertEquals(List.of(util), sources(py.heldout()), "two files: the last is held out whole");
        assertEquals("def main():\n    return 1\n", py.train().get(0).text());

        TextDataset both = DatasetLoader.load(List.of(temp.resolve("repo")), 0.0, extensions(".py", "TXT"));
        assertEquals(List.of(main, notes, util), sources(both.train()));
    }

    @Test
    void everyTenthFileIsHeldOut() throws IOException {
        for (int i = 0; i < 12; i++) {
            write(temp.resolve(String.format("src/m%02d.py", i)), "value = " + i + "\n");
        }
        TextDataset data = DatasetLoader.load(List.of(temp.resolve("src")), 0.1, extensions("py"));
        assertEquals(List.of(temp.resolve("src/m09.py")), sources(data.heldout()));
        assertEquals(11, data.train().size());
    }

    @Test
    void aTreeWithoutMatchingFilesOrWithOneFileSaysSo() throws IOException {
        write(temp.resolve("only-js/a.js"), "let a = 1;\n");
        Path folder = temp.resolve("only-js");
        assertEquals(folder + ": holds no readable, non-empty files with the extensions py, rs",
                assertThrows(BadInputException.class, () -> DatasetLoader.load(List.of(folder), 0.1, extensions("py", "rs")))
                        .getMessage());
        assertEquals(folder + ": has only one file of text; need at least two, one to train on and one to hold out",
                assertThrows(BadInputException.class, () -> DatasetLoader.load(List.of(folder), 0.1, extensions("js"))).getMessage());
    }

    @Test
    void dataFilesInATreeAreReadByTheirFormat() throws Exception {
        write(temp.resolve("shards/a.jsonl"), DataFiles.jsonLines("text", List.of("a0", "a1", "a2")));
        DataFiles.parquet(temp.resolve("shards/b.parquet"), "SELECT 'b' || i AS text FROM range(3) t(i)");
        write(temp.resolve("shards/notes.txt"), "not picked\n");
        TextDataset data = DatasetLoader.load(List.of(temp.resolve("shards")), 0.1, extensions("jsonl", "parquet"));
        assertEquals(List.of("a0", "a1", "b0", "b1"), data.train().stream().map(Document::text).toList());
        assertEquals(List.of("a2", "b2"), data.heldout().stream().map(Document::text).toList());
    }

    @Test
    void optionsAreNormalisedAndChecked() {
        assertEquals(Set.of("py", "txt"), extensions(" .Py", "txt", "").extensions());
        assertEquals(false, DataOptions.DEFAULTS.readsSourceTrees());
        assertThrows(BadInputException.class, () -> new DataOptions(" ", null, Set.of(), 10));
        assertThrows(BadInputException.class, () -> new DataOptions("text", "", Set.of(), 10));
        assertEquals("the character cap must be at least 1, got 0",
                assertThrows(BadInputException.class, () -> new DataOptions("text", null, Set.of(), 0)).getMessage());
    }
}
