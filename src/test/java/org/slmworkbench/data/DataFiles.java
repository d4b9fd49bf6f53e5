package org.slmworkbench.data;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Small dataset files that tests write: text, JSON Lines, and Parquet written by DuckDB itself. */
public final class DataFiles {
    private DataFiles() {
    }

    public static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** One object per line, {@code {"id": i, field: text}}. */
    public static String jsonLines(String field, List<String> texts) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("id", i);
            o.addProperty(field, texts.get(i));
            lines.append(o).append('\n');
        }
        return lines.toString();
    }

    /** Writes the result of a DuckDB query as a Parquet file. */
    public static Path parquet(Path file, String query) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
            sql.execute("COPY (" + query + ") TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        return file;
    }
}
