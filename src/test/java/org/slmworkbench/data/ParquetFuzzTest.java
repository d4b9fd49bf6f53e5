package org.slmworkbench.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;

/** Any bytes as a {@code .parquet} dataset, which DuckDB's native code reads once our checks let it. */
class ParquetFuzzTest {
    private static Path file;

    @BeforeAll
    static void folder() {
        file = FuzzFiles.folder(ParquetFuzzTest.class).resolve("data.parquet");
    }

    @FuzzTest(maxDuration = "4s")
    void load(byte[] input) throws Exception {
        FuzzFiles.write(file, input);
        FuzzFiles.readOrRefuse(file, () -> DatasetLoader.load(List.of(file), 0.1, DataOptions.DEFAULTS));
    }
}
