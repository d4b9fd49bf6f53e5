package org.slmworkbench.data;

import java.nio.file.Path;
import java.util.Optional;

/** The dataset file formats that hold one text per record, as the Hugging Face hub serves them; told apart by extension. */
enum RowFormat {
    JSONL("jsonl"),
    JSON("json"),
    CSV("csv"),
    PARQUET("parquet");

    private final String extension;

    RowFormat(String extension) {
        this.extension = extension;
    }

    /** The format of a file by its extension; empty for plain text. */
    static Optional<RowFormat> of(Path file) {
        String extension = TextFiles.extension(file);
        for (RowFormat format : values()) {
            if (format.extension.equals(extension)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    Records open(Path file, DataOptions options) {
        return switch (this) {
            case JSONL -> new JsonLinesRecords(file, options.textField());
            case JSON -> JsonDocumentRecords.open(file, options.textField());
            case CSV -> new CsvRecords(file, options.column());
            case PARQUET -> new ParquetRecords(file, options.column());
        };
    }
}
