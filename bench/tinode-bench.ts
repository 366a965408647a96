// Message round trip through a real Tinode cluster (run by bench/tinode-bench.sh inside the test
// network namespace):
//
//   tinode-bench.ts rtt --nodes '[{"name":"tinode-0","url":"ws://IP:6060"},...]' --api-key KEY --rounds 50
//
// For each placement a topic is created on the first node (a node hosts the topics it creates),
// Alice and Bob join it, and Alice sends `rounds` pings; Bob answers each ping as soon as he
// receives it. The round trip is Alice's send to her receipt of the answer: two {pub} -> {data}
// deliveries, each through the topic's node.
import { exchange, newUser, nowMs, NodeEndpoint, settle, TinodeClient } from "../e2e/tinode/tinodeClient";
import { arg } from "../e2e/lib/cli";

interface Placement {
    label: string;
    alice: NodeEndpoint;
    bob: NodeEndpoint;
}

function quantile(sorted: number[], q: number): number {
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i];
}

async function roundTrips(a: TinodeClient, b: TinodeClient, topic: string, rounds: number): Promise<number[]> {
    const rtts: number[] = [];
    for (let i = 0; i < rounds; i++) {
        const ping = `ping ${i}`;
        const pong = `pong ${i}`;
        const t0 = nowMs();
        a.send("pub", { topic, noecho: true, content: ping });
        await b.expectData(topic, ping, 5000);
        b.send("pub", { topic, noecho: true, content: pong });
        const r = await a.expectData(topic, pong, 5000);
        rtts.push(r.at - t0);
    }
    return rtts;
}

async function rtt(nodes: NodeEndpoint[], apiKey: string, rounds: number): Promise<void> {
    const [host, second, third] = nodes;
    const placements: Placement[] = [
        { label: `same node: both clients and the topic on ${host.name}`, alice: host, bob: host },
        { label: `one hop: topic and Alice on ${host.name}, Bob on ${second.name}`, alice: host, bob: second },
        { label: `cross node: topic on ${host.name}, Alice on ${second.name}, Bob on ${third.name}`, alice: second, bob: third },
    ];
    const fmt = (x: number) => x.toFixed(2).padStart(6);
    console.log(`message round trip (ping -> pong, ${rounds} rounds after 5 warm-up rounds; ms):`);
    for (const p of placements) {
        const owner = await newUser("Carol", host, apiKey);
        const topic = await owner.createGroupTopic();
        const a = await newUser("Alice", p.alice, apiKey);
        const b = await newUser("Bob", p.bob, apiKey);
        await a.subscribe(topic);
        await b.subscribe(topic);
        await settle();
        await exchange(a, b, topic, "warm-up");
        await roundTrips(a, b, topic, 5);
        const sorted = (await roundTrips(a, b, topic, rounds)).sort((x, y) => x - y);
        console.log(
            `  median ${fmt(quantile(sorted, 0.5))}  p90 ${fmt(quantile(sorted, 0.9))}  min ${fmt(sorted[0])}  max ${fmt(sorted[sorted.length - 1])}   ${p.label}`,
        );
        [owner, a, b].forEach((c) => c.close());
    }
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    if (argv[0] !== "rtt") throw new Error("usage: tinode-bench.ts rtt --nodes JSON --api-key KEY --rounds N");
    rtt(JSON.parse(arg(argv, "--nodes")) as NodeEndpoint[], arg(argv, "--api-key"), Number(arg(argv, "--rounds"))).then(
        () => process.exit(0),
        (e: Error) => {
            console.error(`bench failed: ${e.stack ?? e.message}`);
            process.exit(1);
        },
    );
}
