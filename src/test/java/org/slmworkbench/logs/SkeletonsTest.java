package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SkeletonsTest {
    @Test
    void masksAddressesIdsHexAndNumbers() {
        assertEquals("<ip> - - [<n>/Jan/<n>:<n>:<n>:<n> +<n>] \"GET /wp-admin HTTP/<n>.<n>\" <n> <n>",
                Skeletons.of("10.143.2.91 - - [23/Jan/2022:06:36:13 +0000] \"GET /wp-admin HTTP/1.1\" 404 512"));
        assertEquals("[req-<id>] [instance: <id>] Took <n>.<n> seconds",
                Skeletons.of("[req-a4498d64-47bb-491f-adde-effccaba43f0] [instance: 11760334-ac63-4cc8-9086-578422af8c99] Took 1.52 seconds"));
        assertEquals("addr <hex> job application_<n>_<n> from <ip>", Skeletons.of("addr 0x7f3a job application_1445087491445_0005 from 10.0.0.1:8030"));
        // words that merely look hex-like (no digit) stay
        assertEquals("deadbeef cafe added", Skeletons.of("deadbeef cafe added"));
        assertEquals("0 - - [0/Jan/0:0:0:0 +0]", Skeletons.forModel("10.1.2.3 - - [23/Jan/2022:06:36:13 +0000]"));
    }
}
