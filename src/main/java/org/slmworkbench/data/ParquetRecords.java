package org.slmworkbench.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slmworkbench.BadInputException;

/**
 * A Parquet file's text column, read through DuckDB's JDBC driver (an in-memory database, nothing
 * written) with the result streamed chunk by chunk instead of materialised. The column must hold
 * strings (DuckDB's VARCHAR).
 */
final class ParquetRecords implements Records {
    private static final String STRING_TYPE = "VARCHAR";

    private final Path file;
    private final Connection connection;
    private final ResultSet rows;

    ParquetRecords(Path file, String wantedColumn) {
        this.file = file;
        TextFiles.requireReadable(file);
        Properties settings = new Properties();
        // without it the driver materialises the whole result before the first row
        settings.setProperty("jdbc_stream_results", "true");
        // DuckDB would otherwise download a missing extension (e.g. for a URL) when a query needs one
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:", settings);
        } catch (SQLException e) {
            throw unreadable(e);
        }
        try {
            TextColumn column = TextColumn.choose(file, columns(), wantedColumn);
            PreparedStatement select = connection.prepareStatement("SELECT " + quoted(column.name()) + " FROM read_parquet(?)");
            select.setString(1, file.toString());
            rows = select.executeQuery();
        } catch (SQLException e) {
            close();
            throw unreadable(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String next() {
        try {
            if (!rows.next()) {
                return null;
            }
            String text = rows.getString(1);
            return text == null ? "" : text;
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close(); // closes its statements and result sets
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /** The file's columns and their DuckDB types, from an empty result. */
    private List<TextColumn> columns() throws SQLException {
        try (PreparedStatement schema = connection.prepareStatement("SELECT * FROM read_parquet(?) LIMIT 0")) {
            schema.setString(1, file.toString());
            try (ResultSet empty = schema.executeQuery()) {
                ResultSetMetaData meta = empty.getMetaData();
                List<TextColumn> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String type = meta.getColumnTypeName(i);
                    columns.add(new TextColumn(meta.getColumnName(i), type, STRING_TYPE.equals(type)));
                }
                return columns;
            }
        }
    }

    /** An SQL identifier in double quotes, so any column name (spaces, keywords, quotes) is safe. */
    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private BadInputException unreadable(SQLException e) {
        String problem = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return new BadInputException(file, "cannot be read as Parquet: " + problem, e);
    }
}
