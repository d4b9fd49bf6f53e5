package org.slmworkbench.data;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.slmworkbench.BadInputException;

/**
 * A column of a table file (CSV, Parquet) and the choice of the one holding the text: the one
 * asked for, else {@code text}, else the only string column.
 *
 * @param type the column's type as the file declares it, or null where every column is text (CSV)
 */
record TextColumn(String name, String type, boolean isString) {
    static final String DEFAULT_NAME = "text";

    /** @param wanted the column asked for, or null to choose */
    static TextColumn choose(Path file, List<TextColumn> columns, String wanted) {
        String name = wanted != null ? wanted : DEFAULT_NAME;
        for (TextColumn column : columns) {
            if (column.name.equals(name)) {
                if (!column.isString) {
                    throw new BadInputException(file, "column '" + name + "' holds " + column.type + ", not text; columns: " + list(columns));
                }
                return column;
            }
        }
        List<TextColumn> strings = columns.stream().filter(TextColumn::isString).toList();
        if (wanted == null && strings.size() == 1) {
            return strings.get(0);
        }
        throw new BadInputException(file, "has no column '" + name + "'" + (wanted == null ? " and not exactly one text column" : "")
                + "; choose one (--column) of: " + list(columns));
    }

    private static String list(List<TextColumn> columns) {
        return columns.stream().map(c -> c.type == null ? c.name : c.name + " (" + c.type + ")").collect(Collectors.joining(", "));
    }
}
