package org.slmworkbench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HDFS NameNode and DataNode lines as in the classic HDFS log data: blocks are allocated, written
 * through a pipeline of three DataNodes, verified, served and deleted, so block ids recur over
 * their life. Anomalies: checksum failures and corrupt blocks, a full disk, replication time-out
 * storms, impossible sizes and ports.
 */
final class HdfsFormat implements LogFormat {
    private static final long FULL_BLOCK = 67_108_864L;
    private static final int DATANODE_PORT = 50010;
    private static final int MAX_LIVE_BLOCKS = 600;

    private record Block(String id, long size, List<String> replicas) {
    }

    private final Dice dice;
    private final List<String> datanodes;
    private final WeightedChoice<String> busyDatanodes;
    private final WeightedChoice<Integer> threads;
    private final WeightedChoice<Activity> activities;
    private final List<Block> live = new ArrayList<>();
    private final List<AnomalySpec> anomalies;
    private String job;
    private int task;
    private int jobsStarted;

    HdfsFormat(Dice dice) {
        this.dice = dice;
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 28; i++) {
            nodes.add("10.25" + dice.between(0, 1) + "." + dice.between(1, 254) + "." + dice.between(1, 254));
        }
        this.datanodes = List.copyOf(nodes);
        this.busyDatanodes = WeightedChoice.zipf(datanodes, 0.5);
        this.threads = WeightedChoice.zipfPool(48, 0.8, i -> dice.between(1, 160));
        this.activities = WeightedChoice.<Activity>builder()
                .add(5, this::writeBlock)
                .add(4, this::serveBlock)
                .add(3, this::verifyBlock)
                .add(1.2, this::deleteBlock)
                .add(0.6, this::replicateBlock)
                .add(0.3, this::servingHiccup)
                .build();
        this.anomalies = List.of(
                AnomalySpec.burst("replication time-out storm after a DataNode drops out", 2, 0, dice, 12, 20, 0.4,
                        this::replicationTimeouts),
                AnomalySpec.rare("checksum failure, bad block report and corrupt replica", 1, 1, this::corruptBlock),
                AnomalySpec.rare("a DataNode disk runs full", 0, 1, this::diskFull),
                AnomalySpec.rare("redundant addStoredBlock request", 1, 0, this::redundantAddStoredBlock),
                AnomalySpec.impossible("a received block with a negative size", 1, 1, this::negativeSize),
                AnomalySpec.impossible("a block size of several exabytes", 0, 1, this::exabyteBlock),
                AnomalySpec.impossible("a source port above 65535", 0, 1, this::impossiblePort),
                AnomalySpec.timestampGoingBack(this, dice, 0, 1));
    }

    @Override
    public String fileName() {
        return "hdfs.log";
    }

    @Override
    public String description() {
        return "HDFS NameNode/DataNode log: block allocation, three-replica write pipelines, "
                + "addStoredBlock, verification, serving and deletion of recurring block ids.";
    }

    @Override
    public double peakGapSeconds() {
        return 120;
    }

    @Override
    public void emitNormal(long micros, Timeline out) {
        activities.draw(dice).emit(micros, out);
    }

    @Override
    public String routineLine(long micros) {
        return line(micros, "INFO", "dfs.DataBlockScanner", "Verification succeeded for " + someBlock().id());
    }

    @Override
    public List<AnomalySpec> anomalies() {
        return anomalies;
    }

    private String line(long micros, String level, String component, String message) {
        return Stamps.format(Stamps.HDFS, micros) + " " + threads.draw(dice) + " " + level + " " + component + ": " + message;
    }

    private static String node(String ip) {
        return ip + ":" + DATANODE_PORT;
    }

    /** MapReduce job ids carry the job tracker's start time and a running number. */
    private void nextJob(long micros) {
        job = Stamps.format(Stamps.JOB_ID, micros - dice.between(1, 600) * 1_000_000L)
                + String.format(Locale.ROOT, "_%04d", ++jobsStarted);
        task = 0;
    }

    private String newBlockId() {
        return "blk_" + dice.betweenLong(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A live block, or a fresh id while none has been written yet. */
    private Block someBlock() {
        return live.isEmpty()
                ? new Block(newBlockId(), FULL_BLOCK, List.of(datanodes.get(0), datanodes.get(1), datanodes.get(2)))
                : dice.pick(live);
    }

    private List<String> pipeline() {
        List<String> replicas = new ArrayList<>();
        while (replicas.size() < 3) {
            String node = busyDatanodes.draw(dice);
            if (!replicas.contains(node)) {
                replicas.add(node);
            }
        }
        return replicas;
    }

    /** allocateBlock, the pipeline receiving, then acks travel back and the NameNode records replicas. */
    private void writeBlock(long micros, Timeline out) {
        if (job == null || task >= dice.between(40, 400)) {
            nextJob(micros);
        }
        int part = task++;
        long size = dice.chance(0.85) ? FULL_BLOCK : dice.betweenLong(1_024, FULL_BLOCK);
        Block block = new Block(newBlockId(), size, pipeline());
        out.normal(micros, line(micros, "INFO", "dfs.FSNamesystem", String.format(Locale.ROOT,
                "BLOCK* NameSystem.allocateBlock: /user/root/rand%d/_temporary/_task_%s_m_%06d_0/part-%05d. %s",
                part % 7, job, part, part, block.id())));
        long at = micros;
        String source = block.replicas().get(0);
        for (String replica : block.replicas()) {
            at += dice.between(200, 30_000);
            out.normal(at, line(at, "INFO", "dfs.DataNode$DataXceiver", "Receiving block " + block.id() + " src: /"
                    + source + ":" + dice.ephemeralPort() + " dest: /" + node(replica)));
            source = replica;
        }
        at += Math.round(dice.logNormal(1.2, 0.8) * 1_000_000);
        for (int i = block.replicas().size() - 1; i >= 0; i--) {
            String replica = block.replicas().get(i);
            String upstream = block.replicas().get(Math.max(0, i - 1));
            at += dice.between(100, 20_000);
            out.normal(at, line(at, "INFO", "dfs.DataNode$PacketResponder", "PacketResponder " + i + " for block "
                    + block.id() + " terminating"));
            out.normal(at + 50, line(at + 50, "INFO", "dfs.DataNode$PacketResponder", "Received block " + block.id()
                    + " of size " + size + " from /" + upstream));
            at += dice.between(100, 5_000);
            out.normal(at, line(at, "INFO", "dfs.FSNamesystem", "BLOCK* NameSystem.addStoredBlock: blockMap updated: "
                    + node(replica) + " is added to " + block.id() + " size " + size));
        }
        live.add(block);
        if (live.size() > MAX_LIVE_BLOCKS) {
            live.remove(0);
        }
    }

    private void serveBlock(long micros, Timeline out) {
        Block block = someBlock();
        String replica = dice.pick(block.replicas());
        out.normal(micros, line(micros, "INFO", "dfs.DataNode", node(replica) + " Served block " + block.id()
                + " to /" + busyDatanodes.draw(dice)));
    }

    private void verifyBlock(long micros, Timeline out) {
        out.normal(micros, routineLine(micros));
    }

    /** A client reading a block hangs up early: common in real clusters and harmless. */
    private void servingHiccup(long micros, Timeline out) {
        Block block = someBlock();
        out.normal(micros, line(micros, "WARN", "dfs.DataNode$DataXceiver", node(dice.pick(block.replicas()))
                + ":Got exception while serving " + block.id() + " to /" + busyDatanodes.draw(dice) + ":"));
    }

    private void deleteBlock(long micros, Timeline out) {
        if (live.size() < 50) {
            serveBlock(micros, out);
            return;
        }
        Block block = live.remove(dice.between(0, live.size() / 2));
        long at = micros;
        for (String replica : block.replicas()) {
            out.normal(at, line(at, "INFO", "dfs.FSNamesystem", "BLOCK* NameSystem.delete: " + block.id()
                    + " is added to invalidSet of " + node(replica)));
            at += dice.between(50, 2_000);
        }
        for (String replica : block.replicas()) {
            at += Math.round(dice.logNormal(2, 0.7) * 1_000_000);
            String name = block.id();
            out.normal(at, line(at, "INFO", "dfs.FSDataset", "Deleting block " + name + " file /mnt/hadoop/dfs/data/current/subdir"
                    + Math.floorMod(name.hashCode() + replica.hashCode(), 64) + "/" + name));
        }
    }

    private void replicateBlock(long micros, Timeline out) {
        Block block = someBlock();
        String from = dice.pick(block.replicas());
        String to = busyDatanodes.draw(dice);
        out.normal(micros, line(micros, "INFO", "dfs.FSNamesystem", "BLOCK* ask " + node(from) + " to replicate "
                + block.id() + " to datanode(s) " + node(to)));
        long sent = micros + Math.round(dice.logNormal(1.5, 0.6) * 1_000_000);
        out.normal(sent, line(sent, "INFO", "dfs.DataNode$DataTransfer", node(from) + ":Transmitted block "
                + block.id() + " to /" + node(to)));
    }

    private AnomalySpec.BurstStep replicationTimeouts() {
        return (micros, index) -> List.of(line(micros, "WARN", "dfs.PendingReplicationBlocks$PendingReplicationMonitor",
                "PendingReplicationMonitor timed out block " + someBlock().id()));
    }

    private void corruptBlock(long micros, AnomalySpec.Emitter out) {
        Block block = someBlock();
        String replica = dice.pick(block.replicas());
        out.emit(micros, line(micros, "WARN", "dfs.DataBlockScanner", "Verification failed for " + block.id()
                + ". Exception : org.apache.hadoop.fs.ChecksumException: Checksum failed at " + dice.between(1, 1023) * 65_536));
        long reported = micros + dice.between(1_000, 200_000);
        out.emit(reported, line(reported, "INFO", "dfs.DataNode", "Reporting bad block " + block.id() + " to namenode."));
        long marked = reported + dice.between(1_000, 100_000);
        out.emit(marked, line(marked, "INFO", "dfs.FSNamesystem", "BLOCK* NameSystem.markBlockAsCorrupt: block "
                + block.id() + " is corrupt on " + node(replica)));
    }

    private void diskFull(long micros, AnomalySpec.Emitter out) {
        String datanode = busyDatanodes.draw(dice);
        out.emit(micros, line(micros, "ERROR", "dfs.DataNode", node(datanode)
                + ":DataXceiver: java.io.IOException: No space left on device"));
        long after = micros + dice.between(1_000, 50_000);
        out.emit(after, line(after, "WARN", "dfs.DataNode", "DataNode is shutting down: "
                + "org.apache.hadoop.util.DiskChecker$DiskErrorException: No space left on /mnt/hadoop/dfs/data"));
    }

    private void redundantAddStoredBlock(long micros, AnomalySpec.Emitter out) {
        Block block = someBlock();
        out.emit(micros, line(micros, "WARN", "dfs.FSNamesystem", "BLOCK* NameSystem.addStoredBlock: Redundant "
                + "addStoredBlock request received for " + block.id() + " on " + node(dice.pick(block.replicas()))
                + " size " + block.size()));
    }

    private void negativeSize(long micros, AnomalySpec.Emitter out) {
        Block block = someBlock();
        out.emit(micros, line(micros, "INFO", "dfs.DataNode$PacketResponder", "Received block " + block.id()
                + " of size -" + block.size() + " from /" + dice.pick(block.replicas())));
    }

    private void exabyteBlock(long micros, AnomalySpec.Emitter out) {
        Block block = someBlock();
        out.emit(micros, line(micros, "INFO", "dfs.FSNamesystem", "BLOCK* NameSystem.addStoredBlock: blockMap updated: "
                + node(dice.pick(block.replicas())) + " is added to " + block.id() + " size "
                + dice.betweenLong(4_000_000_000_000_000_000L, Long.MAX_VALUE)));
    }

    private void impossiblePort(long micros, AnomalySpec.Emitter out) {
        out.emit(micros, line(micros, "INFO", "dfs.DataNode$DataXceiver", "Receiving block " + newBlockId() + " src: /"
                + busyDatanodes.draw(dice) + ":" + dice.between(65_536, 99_999) + " dest: /" + node(busyDatanodes.draw(dice))));
    }
}
