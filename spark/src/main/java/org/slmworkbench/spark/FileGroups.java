package org.slmworkbench.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The files of a job dealt out to its tasks. The file is the unit: a line is judged with the lines
 * before it, so each file is scored whole and in order by one task. Largest first, each to the task
 * with the fewest bytes so far, so that one big file does not leave the other cores idle at the end.
 */
final class FileGroups {
    private FileGroups() {}

    static List<List<LogFiles.LogFile>> of(List<LogFiles.LogFile> files, int tasks) {
        int n = Math.max(1, Math.min(tasks, files.size()));
        List<List<LogFiles.LogFile>> groups = new ArrayList<>(n);
        long[] bytes = new long[n];
        PriorityQueue<Integer> lightest = new PriorityQueue<>(Comparator.comparingLong((Integer g) -> bytes[g]).thenComparing(g -> g));
        for (int g = 0; g < n; g++) {
            groups.add(new ArrayList<>());
            lightest.add(g);
        }
        List<LogFiles.LogFile> bySize = new ArrayList<>(files);
        bySize.sort(Comparator.comparingLong(LogFiles.LogFile::bytes).reversed().thenComparing(LogFiles.LogFile::path));
        for (LogFiles.LogFile f : bySize) {
            int g = lightest.poll();
            groups.get(g).add(f);
            bytes[g] += f.bytes();
            lightest.add(g);
        }
        return groups;
    }
}
