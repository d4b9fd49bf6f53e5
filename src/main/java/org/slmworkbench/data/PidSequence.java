package org.slmworkbench.data;

import java.util.HashMap;
import java.util.Map;

/**
 * Process ids per host that grow over time and wrap like Linux pid_max, so a new sshd or CRON
 * process gets a plausible, never-repeating-soon id.
 */
final class PidSequence {
    private static final int PID_MAX = 4_194_304;

    private final Dice dice;
    private final Map<String, Integer> lastPid = new HashMap<>();

    PidSequence(Dice dice) {
        this.dice = dice;
    }

    int next(String host) {
        int last = lastPid.computeIfAbsent(host, h -> dice.between(20_000, 400_000));
        int pid = last + dice.between(1, 60);
        if (pid >= PID_MAX) {
            pid = 300 + dice.between(0, 1000);
        }
        lastPid.put(host, pid);
        return pid;
    }
}
