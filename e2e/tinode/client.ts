// A minimal Tinode client (JSON protocol over websocket) and the e2e scenarios that need one.
//
// Library: TinodeClient (hi / acc / login / sub / pub / leave, waiting for {data} and {pres}) and
// topicMaster(), which places a topic on a node the way the server does (server/ringhash).
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
import { randomBytes } from "crypto";
import { performance } from "perf_hooks";
import WebSocket from "ws";

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with `date +%s%3N`). */
export const nowMs = (): number => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// Topic placement: a port of github.com/tinode/chat/server/ringhash with the cluster's settings
// (cluster.go: clusterHashReplicas = 20, crc32 IEEE). Every node builds the same ring from the
// names of the live nodes; the node a topic name lands on hosts the topic, the others proxy it.

const CRC_TABLE = (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        t[n] = c >>> 0;
    }
    return t;
})();

export function crc32(text: string): number {
    let c = 0xffffffff;
    for (const b of Buffer.from(text, "utf8")) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

const RING_REPLICAS = 20;

/** The node that hosts `topic` when `nodes` are the live cluster nodes. */
export function topicMaster(nodes: string[], topic: string): string {
    const ring: { key: string; hash: number }[] = [];
    for (const key of nodes) for (let i = 0; i < RING_REPLICAS; i++) ring.push({ key, hash: crc32(String(i) + key) });
    ring.sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const hash = crc32(topic);
    // Go compares the ring entry's node name with the topic name on a hash tie; kept as is.
    const idx = ring.findIndex((e) => e.hash > hash || (e.hash === hash && e.key >= topic));
    return ring[idx < 0 ? 0 : idx].key;
}

// ---------------------------------------------------------------------------------------------
// The client.

/** The parts of Tinode's server messages this client reads. */
export interface ServerMessage {
    ctrl?: { id?: string; topic?: string; code: number; text: string; params?: { user?: string } };
    data?: { topic: string; from?: string; seq?: number; content?: unknown };
    pres?: { topic: string; src?: string; what: string };
}

interface Received {
    msg: ServerMessage;
    at: number;
    used: boolean;
}

export class TinodeError extends Error {
    constructor(
        readonly code: number,
        text: string,
    ) {
        super(text);
    }
}

export const log = (...args: unknown[]): void => {
    process.stderr.write(
        `[client ${new Date().toISOString()}] ${args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")}\n`,
    );
};

export class TinodeClient {
    private nextId = 1;
    private readonly inbox: Received[] = [];
    private wakeups: (() => void)[] = [];
    closed = false;
    user = "";

    private constructor(
        readonly label: string,
        readonly node: string,
        private readonly ws: WebSocket,
    ) {
        ws.on("message", (raw: WebSocket.RawData) => {
            const at = nowMs();
            const text = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
            let msg: ServerMessage;
            try {
                msg = JSON.parse(text.toString("utf8")) as ServerMessage;
            } catch {
                return;
            }
            this.inbox.push({ msg, at, used: false });
            this.wake();
        });
        ws.on("close", () => {
            this.closed = true;
            this.wake();
        });
        ws.on("error", () => {
            this.closed = true;
            this.wake();
        });
    }

    private wake(): void {
        const w = this.wakeups;
        this.wakeups = [];
        w.forEach((f) => f());
    }

    /** Opens ws://HOST:6060/v0/channels?apikey=KEY on `node` and says {hi}. */
    static async connect(label: string, node: string, url: string, apiKey: string, timeoutMs = 10000): Promise<TinodeClient> {
        const ws = new WebSocket(`${url}/v0/channels?apikey=${encodeURIComponent(apiKey)}`, { handshakeTimeout: timeoutMs });
        await new Promise<void>((resolve, reject) => {
            ws.once("open", () => resolve());
            ws.once("error", reject);
        });
        const c = new TinodeClient(label, node, ws);
        await c.request("hi", { ver: "0.25", ua: "tinode-k8s-e2e/1.0" });
        return c;
    }

    /** Logs the last `n` messages received (for failure reports). */
    dumpInbox(n = 12): void {
        for (const r of this.inbox.slice(-n)) log(`${this.label}@${this.node} got ${r.used ? "" : "(unused) "}${JSON.stringify(r.msg)}`);
    }

    close(): void {
        this.closed = true;
        this.ws.terminate();
    }

    /** First unused message matching `pred` (received since `since`, epoch ms), waiting up to `timeoutMs`. */
    async waitFor(pred: (m: ServerMessage) => boolean, timeoutMs: number, what: string, since = 0): Promise<Received> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const hit = this.inbox.find((r) => !r.used && r.at >= since && pred(r.msg));
            if (hit) {
                hit.used = true;
                return hit;
            }
            if (this.closed) throw new Error(`${this.label}: connection closed while waiting for ${what}`);
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`${this.label}: no ${what} within ${timeoutMs} ms`);
            await new Promise<void>((resolve) => {
                const t = setTimeout(resolve, left);
                this.wakeups.push(() => {
                    clearTimeout(t);
                    resolve();
                });
            });
        }
    }

    /** Sends {kind: {id, ...body}} without waiting for the answer; returns the message id. */
    send(kind: string, body: Record<string, unknown>): string {
        const id = String(this.nextId++);
        this.ws.send(JSON.stringify({ [kind]: { id, ...body } }));
        return id;
    }

    /** Sends {kind: {id, ...body}} and returns the matching {ctrl}; codes >= 300 throw TinodeError. */
    async request(kind: string, body: Record<string, unknown>, timeoutMs = 10000): Promise<NonNullable<ServerMessage["ctrl"]>> {
        const id = this.send(kind, body);
        const { msg } = await this.waitFor((m) => m.ctrl?.id === id, timeoutMs, `{ctrl} for {${kind}} #${id}`);
        const ctrl = msg.ctrl!;
        if (ctrl.code >= 300) throw new TinodeError(ctrl.code, `${this.label}: {${kind}} failed: ${ctrl.code} ${ctrl.text}`);
        return ctrl;
    }

    /** {acc} creating a user with basic auth (secret = base64 "login:password"), then {login}. */
    async signUpAndLogin(login: string, password: string): Promise<void> {
        const secret = Buffer.from(`${login}:${password}`).toString("base64");
        await this.request("acc", { user: "new", scheme: "basic", secret, login: false, desc: { public: { fn: this.label } } });
        const ctrl = await this.request("login", { scheme: "basic", secret });
        this.user = ctrl.params?.user ?? "";
    }

    /** {sub} to "new": creates a group topic any signed-in user may join; returns its name. */
    async createGroupTopic(): Promise<string> {
        const ctrl = await this.request("sub", {
            topic: "new",
            set: { desc: { public: { fn: "e2e group" }, defacs: { auth: "JRWPS", anon: "N" } } },
        });
        if (typeof ctrl.topic !== "string" || !ctrl.topic.startsWith("grp")) throw new Error(`unexpected topic name ${ctrl.topic}`);
        return ctrl.topic;
    }

    /**
     * {sub} to an existing topic, retried: a node whose connection to a restarted peer is stale
     * loses the first request it proxies there (no {ctrl} ever comes). 304 "already subscribed"
     * after a retry means an earlier attempt went through.
     */
    async subscribe(topic: string, timeoutMs = 15000): Promise<number> {
        const { attempts } = await retry(`${this.label} {sub} ${topic}`, timeoutMs, async () => {
            try {
                await this.request("sub", { topic }, 3000);
            } catch (e) {
                if (!(e instanceof TinodeError && e.code === 304)) throw e;
            }
        });
        return attempts;
    }

    /**
     * Subscribes again after {pres term}. A node whose proxied topic moved from the dead master
     * to another remote node keeps the session's old subscription: {sub} answers 304 "already
     * subscribed" while no message arrives. {leave} clears it (its {ctrl} never comes back, the
     * new master does not know the session), then {sub} attaches to the new master.
     */
    async resubscribe(topic: string, timeoutMs = 15000): Promise<{ attempts: number; staleSub: boolean }> {
        try {
            await this.request("sub", { topic }, 3000);
            return { attempts: 1, staleSub: false };
        } catch (e) {
            if (!(e instanceof TinodeError && e.code === 304)) {
                log(`${this.label} resubscribe: ${(e as Error).message}; retrying`);
                return { attempts: 1 + (await this.subscribe(topic, timeoutMs)), staleSub: false };
            }
        }
        log(`${this.label}: {sub} ${topic} answered 304 after {pres term}: sending {leave} first`);
        try {
            await this.request("leave", { topic }, 2000);
        } catch (e) {
            log(`${this.label}: {leave} ${topic}: ${(e as Error).message} (expected)`);
        }
        return { attempts: 2 + (await this.subscribe(topic, timeoutMs)), staleSub: true };
    }

    async leave(topic: string): Promise<void> {
        await this.request("leave", { topic });
    }

    /** {pub}; resolves on the server's {ctrl} 202 (accepted). Returns the send time. */
    async publish(topic: string, content: string, timeoutMs = 10000): Promise<number> {
        const sent = nowMs();
        await this.request("pub", { topic, noecho: true, content }, timeoutMs);
        return sent;
    }

    async expectData(topic: string, content: string, timeoutMs: number): Promise<Received> {
        return this.waitFor((m) => m.data?.topic === topic && m.data?.content === content, timeoutMs, `{data} "${content}" on ${topic}`);
    }

    /** The {pres what:"term"} a node sends when the topic it proxied moved to another master. */
    async expectTerm(topic: string, timeoutMs: number): Promise<Received> {
        return this.waitFor((m) => m.pres?.what === "term" && m.pres?.src === topic, timeoutMs, `{pres term} for ${topic}`);
    }
}

/** Retries `fn` on failure (e.g. 502 "cluster unreachable" while the ring settles) until `timeoutMs`. */
export async function retry<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<{ value: T; attempts: number }> {
    const deadline = Date.now() + timeoutMs;
    for (let attempts = 1; ; attempts++) {
        try {
            return { value: await fn(), attempts };
        } catch (e) {
            if (Date.now() > deadline) throw new Error(`${what}: still failing after ${attempts} attempts: ${(e as Error).message}`);
            log(`${what}: attempt ${attempts} failed: ${(e as Error).message}; retrying`);
            await new Promise((r) => setTimeout(r, 100));
        }
    }
}

export interface NodeEndpoint {
    name: string;
    url: string;
}

export const uniqueLogin = (prefix: string): string => `${prefix}${randomBytes(4).toString("hex")}`;

/** Signs a new user in on `node`. */
export async function newUser(label: string, node: NodeEndpoint, apiKey: string): Promise<TinodeClient> {
    const c = await TinodeClient.connect(label, node.name, node.url, apiKey);
    await c.signUpAndLogin(uniqueLogin(label.toLowerCase()), "e2e-" + randomBytes(6).toString("hex"));
    log(`${label} signed in on ${node.name} as ${c.user}`);
    return c;
}

/**
 * Waits after new subscriptions before publishing. A node proxying a topic learns a new
 * subscriber's permissions from a {pres acs} the topic's node broadcasts separately from the {sub}
 * reply; a {data} that reaches the proxy first is not delivered to that subscriber (Tinode 0.25.3,
 * topic.go broadcastToSessions: no R permission known yet). Seen about once in 30 runs when the
 * message followed the {ctrl} by 2 ms.
 */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 250));

/**
 * A publishes, B must receive it; then B publishes and A must receive it. A message that does not
 * arrive within 3 s is sent once more (counted in `resent`, so a lost message shows in the output).
 */
export async function exchange(
    a: TinodeClient,
    b: TinodeClient,
    topic: string,
    tag: string,
    timeoutMs = 10000,
): Promise<{ aToB: number; bToA: number; resent: number }> {
    let resent = 0;
    const ms = (x: number) => Math.round(x * 10) / 10;
    const relay = async (from: TinodeClient, to: TinodeClient): Promise<number> => {
        for (let attempt = 1; ; attempt++) {
            const content = `${tag}: hello from ${from.label}@${from.node}${attempt > 1 ? ` (again, ${attempt})` : ""}`;
            const sent = nowMs();
            await from.publish(topic, content, timeoutMs);
            try {
                const r = await to.expectData(topic, content, attempt < 2 ? 3000 : timeoutMs);
                return ms(r.at - sent);
            } catch (e) {
                if (attempt >= 2) throw e;
                resent++;
                log(`${to.label} did not receive "${content}" within 3 s; sending again`);
            }
        }
    };
    const aToB = await relay(a, b);
    const bToA = await relay(b, a);
    return { aToB, bToA, resent };
}

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

function arg(argv: string[], name: string): string {
    const i = argv.indexOf(name);
    if (i < 0 || i + 1 >= argv.length) throw new Error(`missing ${name}`);
    return argv[i + 1];
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
