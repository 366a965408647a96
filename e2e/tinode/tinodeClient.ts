// A minimal Tinode client: the JSON protocol over websocket (hi / acc / login / sub / pub / leave,
// waiting for {data} and {pres}), and helpers the e2e scenarios and the benchmark share.
import { randomBytes } from "crypto";
import { performance } from "perf_hooks";
import WebSocket from "ws";

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with `date +%s%3N`). */
export const nowMs = (): number => performance.timeOrigin + performance.now();

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
