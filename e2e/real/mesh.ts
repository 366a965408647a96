// A chat whose clients sit on every Tinode pod, not only behind the Service's affinity: on each pod
// Alice sends to the group and Bob receives it. Run by bench/rolls.sh around each rolling change.
//
//   mesh     a steady chat until the stop file exists: each pod's sender in turn, `rate` messages a
//            second in all; a client that fails does what an app does (reconnect to its pod's current
//            address, log in, resubscribe, resend the same message; a message refused for its whole
//            retry budget is given up and reported with the longest outage). Then what every receiver
//            missed is looked up in the history: `lost` counts acknowledged messages no one can read.
//   matrix   every pod delivers to every pod: a fresh sender on pod i publishes, a fresh receiver on
//            each pod j must get it live within 10 s (one resend allowed: a proxying node's first
//            request over a stale connection to a restarted peer is lost, TINODE.md). A split
//            cluster fails pairs here while its expvar pages look healthy.
//
// Pod addresses change with every restart: the harness keeps `podsFile` ({"tinode-0": "ws://ip:6060"})
// current, and a client reads it again whenever it reconnects.
import { existsSync, readFileSync } from "fs";
import { Chatter, log, sendWithRetries, SendCounts, sleep, State, waitFor } from "./chatter";

type Pods = Record<string, string>;

const readPods = (file: string): Pods => JSON.parse(readFileSync(file, "utf8")) as Pods;

/** A client of one pod that reconnects (with the pod's current address) until it works. */
class PodClient {
    chatter?: Chatter;
    reconnects = 0;

    constructor(
        readonly pod: string,
        private readonly who: "alice" | "bob",
        private readonly state: State,
        private readonly apiKey: string,
        private readonly podsFile: string,
        /** The mesh rides out a roll (a pod away for a while); the matrix asks whether a pod works now. */
        private readonly attempts = 120,
    ) {}

    async connect(): Promise<void> {
        for (let attempt = 1; ; attempt++) {
            this.chatter?.close();
            const url = readPods(this.podsFile)[this.pod];
            try {
                if (!url) throw new Error(`no address for ${this.pod} yet`);
                this.chatter = new Chatter(`${this.who}@${this.pod}`, url, this.apiKey);
                await this.chatter.login(this.state[this.who]);
                await this.chatter.join(this.state.group);
                return;
            } catch (e) {
                this.reconnects++;
                log(`${this.who}@${this.pod} connect failed (attempt ${attempt}): ${(e as Error).message}`);
                if (attempt >= this.attempts) throw e;
                await sleep(Math.min(2000, 250 * attempt));
            }
        }
    }

    has(text: string): boolean {
        return this.chatter?.has(this.state.group, text) ?? false;
    }

    close(): void {
        this.chatter?.close();
    }
}

export async function mesh(
    state: State,
    apiKey: string,
    podsFile: string,
    pods: string[],
    rate: number,
    stopFile: string,
): Promise<object> {
    const senders = pods.map((p) => new PodClient(p, "alice", state, apiKey, podsFile));
    const receivers = pods.map((p) => new PodClient(p, "bob", state, apiKey, podsFile));
    await Promise.all([...senders, ...receivers].map((c) => c.connect()));
    const acked: { text: string; at: number }[] = [];
    const seen = new Map<string, Set<string>>(receivers.map((r) => [r.pod, new Set<string>()]));
    const collect = (r: PodClient) => acked.forEach((m) => r.has(m.text) && seen.get(r.pod)!.add(m.text));
    const counts: SendCounts = { failedAttempts: 0, resends: 0 };
    const gaveUp: string[] = [];
    let longestOutageMs = 0;
    let n = 0;
    let lastCheck = Date.now();
    const started = Date.now();
    while (!existsSync(stopFile)) {
        const sender = senders[n % senders.length];
        const text = `mesh ${sender.pod} ${n++} ${Date.now()}`;
        // A pod that refuses a message for its whole retry budget is an outage of that pod (counted
        // and timed), not the end of the run: the matrix after the roll says whether it lasts.
        const first = Date.now();
        try {
            await sendWithRetries(
                text,
                () => sender.chatter!.send(state.group, text),
                () => sender.connect(),
                counts,
            );
            acked.push({ text, at: Date.now() });
        } catch (e) {
            gaveUp.push(`${sender.pod}: ${(e as Error).message}`);
        }
        longestOutageMs = Math.max(longestOutageMs, Date.now() - first);
        // A receiver that has missed a message acknowledged 3 s ago reconnects, as an app that
        // notices a silent topic does (after a failover a subscription can go quiet without error).
        if (Date.now() - lastCheck > 1000) {
            lastCheck = Date.now();
            for (const r of receivers) {
                collect(r);
                const missed = acked.some((m) => Date.now() - m.at > 3000 && Date.now() - m.at < 10_000 && !seen.get(r.pod)!.has(m.text));
                if (missed) {
                    log(`bob@${r.pod} missed recent messages: reconnecting`);
                    await r.connect();
                }
            }
        }
        await sleep(1000 / rate);
    }
    await sleep(2000);
    receivers.forEach(collect);
    const missedLive = new Set(acked.filter((m) => receivers.some((r) => !seen.get(r.pod)!.has(m.text))).map((m) => m.text));
    // What a receiver missed live, an app reads from the history when it comes back.
    let history = new Set<string>();
    if (missedLive.size > 0) {
        // As an app does, the read is tried again while the topic's node is away (it answers 504
        // while a pod restarts: a roll, or the self-healer's restart).
        const reader = new PodClient(pods[0], "bob", state, apiKey, podsFile);
        for (let attempt = 1; ; attempt++) {
            try {
                await reader.connect();
                history = await reader.chatter!.readHistory(state.group);
                break;
            } catch (e) {
                log(`history read failed (attempt ${attempt}): ${(e as Error).message}`);
                if (attempt >= 20) throw e;
                await sleep(3000);
            }
        }
        reader.close();
    }
    [...senders, ...receivers].forEach((c) => c.close());
    return {
        seconds: Math.round((Date.now() - started) / 100) / 10,
        pods: pods.length,
        sent: acked.length,
        deliveredLive: [...seen.values()].reduce((sum, s) => sum + s.size, 0),
        deliveries: acked.length * receivers.length,
        lost: [...missedLive].filter((t) => !history.has(t)).length,
        ...counts,
        gaveUp,
        longestOutageMs,
        reconnects: [...senders, ...receivers].reduce((sum, c) => sum + c.reconnects, 0),
    };
}

export async function matrix(state: State, apiKey: string, podsFile: string): Promise<object> {
    const pods = Object.keys(readPods(podsFile)).sort();
    const receivers = pods.map((p) => new PodClient(p, "bob", state, apiKey, podsFile, 2));
    const failed: string[] = [];
    let resent = 0;
    try {
        const unreachable = new Set<PodClient>();
        await Promise.all(receivers.map((r) => r.connect().catch(() => unreachable.add(r))));
        // A join through a proxying node settles after a moment (TINODE.md).
        await sleep(500);
        for (const from of pods) {
            const sender = new PodClient(from, "alice", state, apiKey, podsFile, 2);
            try {
                await sender.connect();
                const waiting = new Set(receivers.filter((r) => !unreachable.has(r)));
                for (let attempt = 0; attempt < 2 && waiting.size > 0; attempt++) {
                    if (attempt > 0) resent++;
                    const text = `matrix ${from} ${attempt} ${Date.now()}`;
                    await sender.chatter!.send(state.group, text);
                    await waitFor(`${from} -> every pod`, 10_000, () => [...waiting].every((r) => r.has(text))).catch(() => undefined);
                    for (const r of [...waiting]) if (r.has(text)) waiting.delete(r);
                }
                [...waiting, ...unreachable].forEach((r) => failed.push(`${from}->${r.pod}`));
            } catch (e) {
                log(`matrix: sender on ${from} failed: ${(e as Error).message}`);
                pods.forEach((to) => failed.push(`${from}->${to}`));
            } finally {
                sender.close();
            }
        }
    } finally {
        receivers.forEach((r) => r.close());
    }
    return { pairs: pods.length * pods.length, delivered: pods.length * pods.length - failed.length, failed, resent };
}
