package org.slmworkbench.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slmworkbench.BadInputException;
import org.slmworkbench.io.AtomicFiles;

/**
 * Writes a folder's new contents into a hidden sibling and renames it into place, so the target
 * name never holds a half-written folder. An existing target is replaced only if everything in it
 * is something the writer itself produces, so pointing it at a home folder cannot wipe it.
 */
final class FolderSwap {
    @FunctionalInterface
    interface Writer<T> {
        T writeInto(Path folder) throws IOException;
    }

    private FolderSwap() {
    }

    /**
     * Builds the folder beside {@code target} and swaps it in atomically, after checking that an
     * existing target holds only what this writer makes (so a mistyped --out never wipes a folder).
     *
     * @param ownEntries names that may be found directly in an existing target (what the writer
     *     makes); anything else there makes this refuse
     * @return what the writer returned
     */
    static <T> T replace(Path target, Set<String> ownEntries, Writer<T> writer) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getParent() == null || absolute.getFileName() == null) {
            throw new BadInputException(target, "cannot write into a file system root; choose a sub-folder");
        }
        checkReplaceable(target, absolute, ownEntries);
        List<T> result = new ArrayList<>(1);
        AtomicFiles.replaceDirectory(absolute, folder -> result.add(writer.writeInto(folder)));
        return result.get(0);
    }

    private static void checkReplaceable(Path target, Path absolute, Set<String> ownEntries) throws IOException {
        if (!Files.exists(absolute)) {
            return;
        }
        if (!Files.isDirectory(absolute)) {
            throw new BadInputException(target, "exists and is not a folder");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(absolute)) {
            for (Path entry : entries) {
                String entryName = entry.getFileName().toString();
                if (!ownEntries.contains(entryName)) {
                    throw new BadInputException(target, "already holds '" + entryName
                            + "', which was not generated here; choose a new or empty folder");
                }
            }
        }
    }

}
