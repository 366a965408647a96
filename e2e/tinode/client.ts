// The relay + failover scenario of e2e/tinode/run.sh (steps 2-4), as a CLI driven by run.sh.
//
// The protocol client is tinodeClient.ts; topic placement (a port of server/ringhash) ringhash.ts.
//
// CLI, used by e2e/tinode/run.sh from inside the test network namespace:
//   client.ts relay-failover --nodes '[{"name":"tinode-0","url":"ws://IP:6060"},...]' --api-key KEY
// talks line by line with its caller: stdout carries the protocol, stderr the log.
//   -> STEP2 PASS|FAIL <json>          two clients on different nodes relayed each other's message
//   -> KILL <node>                     the node that hosts the topic; the caller kills it, then sends
//   <- KILLED <epoch ms>
//   -> STEP3 PASS|FAIL <json>          clients on the survivors were told, resubscribed and relayed
//   -> RESTART                         the caller restarts the killed node, then sends
//   <- RESTARTED
//   -> STEP4 PASS|FAIL <json>          a topic hosted by the restarted node relays between them
import { topicMaster } from "./ringhash";
import { exchange, log, newUser, NodeEndpoint, settle, TinodeClient } from "./tinodeClient";
import { arg } from "../lib/cli";

// ---------------------------------------------------------------------------------------------
// The relay + failover scenario (steps 2 and 3 of run.sh).

function lineReader(): () => Promise<string> {
    const lines: string[] = [];
    let waiting: ((l: string) => void) | undefined;
    let buf = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => {
        buf += chunk;
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
            const line = buf.slice(0, i).trim();
            buf = buf.slice(i + 1);
            if (waiting) {
                const w = waiting;
                waiting = undefined;
                w(line);
            } else lines.push(line);
        }
    });
    return () => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((resolve) => (waiting = resolve)));
}

const say = (line: string): void => {
    process.stdout.write(line + "\n");
};

async function relayFailover(nodes: NodeEndpoint[], apiKey: string, boundMs: number): Promise<number> {
    const names = nodes.map((n) => n.name);
    const readLine = lineReader();
    const clients: TinodeClient[] = [];
    try {
        // Step 2. Carol creates a group topic on the first node; a node names new topics so that
        // it hosts them itself (cluster.go genLocalTopicName), which the ring confirms. Alice and
        // Bob join it by name on the two other nodes, so every message crosses nodes:
        // Alice's node -> topic master -> Bob's node.
        let topic: string, master: string, a: TinodeClient, b: TinodeClient;
        try {
            const c = await newUser("Carol", nodes[0], apiKey);
            clients.push(c);
            topic = await c.createGroupTopic();
            master = topicMaster(names, topic);
            log(`topic ${topic} created on ${c.node}; hash ring over ${names.join(",")} places it on ${master}`);
            if (master !== c.node) throw new Error(`topic ${topic} created on ${c.node} but the ring places it on ${master}`);
            const others = nodes.filter((n) => n.name !== master);
            a = await newUser("Alice", others[0], apiKey);
            b = await newUser("Bob", others[1], apiKey);
            clients.push(a, b);
            await a.subscribe(topic);
            await b.subscribe(topic);
            await settle();
            const lat = await exchange(a, b, topic, "before failover", 10000);
            say(
                `STEP2 PASS ${JSON.stringify({ topic, master, alice: a.node, bob: b.node, aliceToBobMs: lat.aToB, bobToAliceMs: lat.bToA, resent: lat.resent })}`,
            );
        } catch (e) {
            say(`STEP2 FAIL ${JSON.stringify({ error: (e as Error).message })}`);
            return 1;
        }

        // Step 3. The caller kills the topic's master; both surviving nodes must tell their
        // clients that the topic moved ({pres term}), and a resubscription must land on the new
        // master (the ring over the survivors).
        try {
            say(`KILL ${master}`);
            const line = await readLine();
            const m = /^KILLED (\d+)$/.exec(line);
            if (!m) throw new Error(`expected "KILLED <ms>", got "${line}"`);
            const killedAt = Number(m[1]);
            const newMaster = topicMaster(
                names.filter((n) => n !== master),
                topic,
            );
            const terms = await Promise.all([a, b].map((c) => c.expectTerm(topic, boundMs + 10000)));
            const termAfterMs = terms.map((t) => Math.round(t.at - killedAt));
            log(`{pres term} after ${termAfterMs.join(" / ")} ms; new master by the ring: ${newMaster}`);
            const resub = await Promise.all([a, b].map((c) => c.resubscribe(topic)));
            await settle();
            const lat = await exchange(a, b, topic, "after failover", 10000);
            const ok = termAfterMs.every((t) => t <= boundMs);
            say(
                `STEP3 ${ok ? "PASS" : "FAIL"} ${JSON.stringify({
                    killed: master,
                    newMaster,
                    termAfterMs,
                    boundMs,
                    resubscribe: resub.map((r, i) => `${[a, b][i].label}: ${r.staleSub ? "304, leave + sub" : "sub"}`),
                    aliceToBobMs: lat.aToB,
                    bobToAliceMs: lat.bToA,
                    resent: lat.resent,
                })}`,
            );
            if (!ok) return 1;
        } catch (e) {
            say(`STEP3 FAIL ${JSON.stringify({ error: (e as Error).message })}`);
            return 1;
        }

        let subAttempts: number[] = [];
        // Step 4 (clients' part). The caller restarts the killed node. A topic created there must
        // relay between Alice and Bob: both of their nodes proxy to the restarted one.
        try {
            say("RESTART");
            const line = await readLine();
            if (line !== "RESTARTED") throw new Error(`expected "RESTARTED", got "${line}"`);
            const back = nodes.find((n) => n.name === master)!;
            const d = await newUser("Dave", back, apiKey);
            clients.push(d);
            const topic2 = await d.createGroupTopic();
            const master2 = topicMaster(names, topic2);
            if (master2 !== back.name) throw new Error(`topic ${topic2} created on ${back.name} but the ring places it on ${master2}`);
            subAttempts = [await a.subscribe(topic2), await b.subscribe(topic2)];
            await settle();
            const lat = await exchange(a, b, topic2, "after restart", 10000);
            say(
                `STEP4 PASS ${JSON.stringify({ topic: topic2, master: master2, subscribeAttempts: subAttempts, aliceToBobMs: lat.aToB, bobToAliceMs: lat.bToA, resent: lat.resent })}`,
            );
            return 0;
        } catch (e) {
            say(`STEP4 FAIL ${JSON.stringify({ error: (e as Error).message, subscribeAttempts: subAttempts })}`);
            return 1;
        }
    } finally {
        clients.forEach((c) => {
            c.dumpInbox();
            c.close();
        });
    }
}

async function main(argv: string[]): Promise<number> {
    switch (argv[0]) {
        case "relay-failover":
            return relayFailover(
                JSON.parse(arg(argv, "--nodes")) as NodeEndpoint[],
                arg(argv, "--api-key"),
                Number(arg(argv, "--bound-ms")),
            );
        case "master": {
            // client.ts master TOPIC NODE... -> the node hosting TOPIC
            say(topicMaster(argv.slice(2), argv[1]));
            return 0;
        }
        default:
            throw new Error("usage: client.ts relay-failover --nodes JSON --api-key KEY --bound-ms MS | master TOPIC NODE...");
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            log(`fatal: ${(e as Error).stack ?? e}`);
            process.exit(2);
        },
    );
}
