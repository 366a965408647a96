// The delivery canary: one Tinode user with a session on every Tinode pod, every round each pod's
// session publishes to the canary's group topic and every other session must receive it. A split
// ring (issue 23, docs/upstream-ring-split.md) shows as pairs of pods that connect but do not deliver,
// while every node's expvar page (and so Tinode's exporter) looks healthy.
//
// Plain Node.js, no dependencies but the official SDK's UMD bundle (npm tinode-sdk) next to this file
// and a global WebSocket (Node 22 and later; Node 20 with --experimental-websocket). The program
// mounts both from a ConfigMap (builders/canary.ts); e2e/tinode/split.sh runs this same file.
//
// Environment:
//   CANARY_PODS          JSON {"tinode-0": "ws://host:6060", ...}: one session per pod
//   TINODE_API_KEY       the API key clients send
//   CANARY_LOGIN, CANARY_PASSWORD   the canary's account (created at first start, basic auth)
//   CANARY_INTERVAL_SECONDS         seconds between rounds
//   CANARY_PORT          where /metrics (Prometheus text) and /healthz are served
//   CANARY_SDK           optional path of tinode.prod.js (default: next to this file)
"use strict";
const http = require("http");
const path = require("path");

const env = (k, fallback) => {
    const v = process.env[k] ?? fallback;
    if (v === undefined || v === "") throw new Error(`${k} is not set`);
    return v;
};
const PODS = JSON.parse(env("CANARY_PODS"));
const API_KEY = env("TINODE_API_KEY");
const LOGIN = env("CANARY_LOGIN");
const PASSWORD = env("CANARY_PASSWORD");
const INTERVAL_MS = Number(env("CANARY_INTERVAL_SECONDS", "30")) * 1000;
const PORT = Number(env("CANARY_PORT", "9464"));
/** How long a message may take to reach every session; one resend follows (see round()). */
const DELIVERY_MS = Math.min(10_000, Math.max(2000, INTERVAL_MS / 3));
const REQUEST_MS = 10_000;
/** The group topic's private comment the canary finds it by after a restart. */
const MARK = "tinode-k8s delivery canary";

const log = (...parts) =>
    process.stderr.write(`${new Date().toISOString()} ${parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ")}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function within(ms, what, p) {
    let timer;
    const t = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms)));
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

if (typeof WebSocket === "undefined") {
    log("no global WebSocket: run on Node 22 or later (or Node 20 with --experimental-websocket)");
    process.exit(2);
}
const { Tinode } = require(process.env.CANARY_SDK || path.join(__dirname, "tinode.prod.js"));
Tinode.setNetworkProviders(WebSocket, undefined);
// With persist: false the SDK still deletes its IndexedDB cache at start: a provider whose deletion
// succeeds at once (without one the SDK rejects a promise nobody awaits).
Tinode.setDatabaseProvider({
    deleteDatabase() {
        const req = {};
        setImmediate(() => req.onsuccess && req.onsuccess({}));
        return req;
    },
});
process.on("unhandledRejection", (e) => log("unhandled rejection:", String(e && e.message ? e.message : e)));

/**
 * One session on one pod: logged in, subscribed to the group, remembering what it received.
 * `stage` is how far its last opening got: "connect" (the pod does not answer: it is down or
 * restarting), "login" (it answers, but the canary's account does not work: the canary's own
 * problem), "join" (logged in, but joining the group through this pod failed: a delivery problem,
 * what a split ring does to the leader), "ready".
 */
class Session {
    constructor(pod) {
        this.pod = pod;
        this.received = new Set();
        this.tinode = undefined;
        this.topic = undefined;
        this.stage = "connect";
    }

    get ready() {
        return this.topic !== undefined && this.tinode.isConnected();
    }

    close() {
        try {
            this.tinode?.disconnect();
        } catch {
            // already gone
        }
        this.tinode = undefined;
        this.topic = undefined;
    }

    async open() {
        this.close();
        this.tinode = new Tinode({
            appName: "tinode-k8s-canary",
            host: new URL(PODS[this.pod]).host,
            apiKey: API_KEY,
            secure: false,
            transport: "ws",
            persist: false,
        });
        this.tinode.onDisconnect = () => (this.topic = undefined);
        this.stage = "connect";
        await within(REQUEST_MS, `connect ${this.pod}`, this.tinode.connect());
        this.stage = "login";
        let ctrl = await within(
            REQUEST_MS,
            "login",
            this.tinode.loginBasic(LOGIN, PASSWORD).catch((e) => ({ code: e.code ?? 500, text: e.message })),
        );
        if (ctrl.code === 401) {
            // First start: the account does not exist yet. (A wrong password for an existing login
            // also answers 401; the creation then fails with 409 and the round reports it.)
            ctrl = await within(
                REQUEST_MS,
                "create account",
                this.tinode.createAccountBasic(LOGIN, PASSWORD, { public: { fn: "canary" }, login: true }),
            );
            log(`created the canary account ${LOGIN} through ${this.pod}`);
        }
        if (ctrl.code >= 300) throw new Error(`login ${LOGIN}: ${ctrl.code} ${ctrl.text}`);
        this.stage = "join";
    }

    /** The canary's group topic (found by its private mark, or made): its name. */
    async findOrCreateGroup() {
        const me = this.tinode.getMeTopic();
        // The subscriptions arrive as {meta} after the subscription's {ctrl}; none at all for a new
        // account (then the wait ends at its limit).
        const subs = new Promise((resolve) => (me.onSubsUpdated = resolve));
        await within(REQUEST_MS, "subscribe me", me.subscribe(me.startMetaQuery().withSub().build()));
        await within(3000, "subscriptions", subs).catch(() => undefined);
        let found;
        me.contacts((c) => {
            if (!found && c.name.startsWith("grp") && c.private && c.private.comment === MARK) found = c.name;
        });
        await within(REQUEST_MS, "leave me", me.leave());
        if (found) return found;
        const topic = this.tinode.getTopic(this.tinode.newGroupTopicName(false));
        const ctrl = await within(
            REQUEST_MS,
            "create group",
            topic.subscribe(undefined, { desc: { public: { fn: "canary" }, private: { comment: MARK } } }),
        );
        if (ctrl.code >= 300) throw new Error(`create group: ${ctrl.code} ${ctrl.text}`);
        log(`created the canary group ${topic.name} through ${this.pod}`);
        await within(REQUEST_MS, "leave group", topic.leave());
        return topic.name;
    }

    async join(group) {
        const topic = this.tinode.getTopic(group);
        topic.onData = (msg) => msg && typeof msg.content === "string" && this.received.add(msg.content);
        let ctrl = await within(REQUEST_MS, `subscribe ${group}`, topic.subscribe());
        if (ctrl.code === 304) {
            await within(REQUEST_MS, "leave", topic.leave());
            ctrl = await within(REQUEST_MS, `subscribe ${group}`, topic.subscribe());
        }
        if (ctrl.code >= 300) throw new Error(`subscribe ${group}: ${ctrl.code} ${ctrl.text}`);
        this.topic = topic;
        this.stage = "ready";
    }

    async publish(text) {
        const ctrl = await within(REQUEST_MS, "publish", this.topic.publishDraft(this.topic.createMessage(text, false)));
        if (!ctrl || ctrl.code >= 300) throw new Error(`publish: ${JSON.stringify(ctrl)}`);
    }
}

const pods = Object.keys(PODS).sort();
const sessions = new Map(pods.map((p) => [p, new Session(p)]));
let group;
const stats = {
    rounds: 0,
    lastRound: 0,
    durationMs: 0,
    delivered: 0,
    failed: 0,
    unreachable: 0,
    loginFailed: 0,
    pairs: new Map(),
    errors: 0,
};

/** Opens what is not open; a pod that cannot be reached this round is left out (and counted). */
async function connectAll() {
    // The first session alone until the group is known: the account and the group are made once.
    for (const p of pods) {
        if (group) break;
        await connect(p);
    }
    await Promise.all(pods.map(connect));
}

async function connect(p) {
    const s = sessions.get(p);
    if (s.ready) return;
    try {
        await s.open();
        if (!group) group = await s.findOrCreateGroup();
        await s.join(group);
    } catch (e) {
        log(`${p} (${s.stage}): ${e.message}`);
        s.close();
    }
}

/**
 * One round over the pods that answer and let the canary log in: each publishes once, and every
 * session must receive it within DELIVERY_MS. A pod where the join failed neither sends nor
 * receives: its pairs fail. One resend per sender: after a peer restarts, the first request a node
 * proxies over its stale connection is lost (../shared/TINODE.md), which is no split.
 */
async function round() {
    const started = Date.now();
    await connectAll();
    // A join through a proxying node settles after a moment.
    await sleep(300);
    const up = pods.filter((p) => ["join", "ready"].includes(sessions.get(p).stage));
    const ready = (p) => sessions.get(p).ready;
    const pairs = new Map();
    for (const from of up) {
        let waiting = up.filter(ready);
        for (let attempt = 0; attempt < 2 && waiting.length > 0 && ready(from); attempt++) {
            const text = `canary ${from} ${stats.rounds} ${attempt} ${Date.now()}`;
            try {
                await sessions.get(from).publish(text);
            } catch (e) {
                log(`${from}: ${e.message}`);
                continue;
            }
            const end = Date.now() + DELIVERY_MS;
            while (Date.now() < end && waiting.some((to) => !sessions.get(to).received.has(text))) await sleep(50);
            waiting = waiting.filter((to) => !sessions.get(to).received.has(text));
        }
        for (const to of up) pairs.set(`${from}\t${to}`, ready(from) && ready(to) && !waiting.includes(to));
    }
    const failedPairs = [...pairs].filter(([, ok]) => !ok).map(([k]) => k.replace("\t", "->"));
    // A session that missed a message may hold a subscription that went quiet (a failover): renew it.
    for (const p of up) {
        if (failedPairs.some((k) => k.endsWith(`->${p}`) || k.startsWith(`${p}->`))) sessions.get(p).close();
        sessions.get(p).received.clear();
    }
    Object.assign(stats, {
        rounds: stats.rounds + 1,
        lastRound: Date.now(),
        durationMs: Date.now() - started,
        delivered: [...pairs.values()].filter(Boolean).length,
        failed: failedPairs.length,
        unreachable: pods.filter((p) => sessions.get(p).stage === "connect").length,
        loginFailed: pods.filter((p) => sessions.get(p).stage === "login").length,
        pairs,
    });
    log(
        `round ${stats.rounds}: ${stats.delivered}/${pairs.size} pairs delivered, ${stats.unreachable} pod(s) unreachable, ${stats.loginFailed} refused the login${failedPairs.length ? `; failed: ${failedPairs.join(" ")}` : ""}`,
    );
}

function metrics() {
    const lines = [
        "# HELP tinode_canary_rounds_total Rounds the delivery canary has completed.",
        "# TYPE tinode_canary_rounds_total counter",
        `tinode_canary_rounds_total ${stats.rounds}`,
        "# HELP tinode_canary_errors_total Rounds that ended in an error of the canary itself.",
        "# TYPE tinode_canary_errors_total counter",
        `tinode_canary_errors_total ${stats.errors}`,
        "# HELP tinode_canary_last_round_timestamp_seconds When the last round completed.",
        "# TYPE tinode_canary_last_round_timestamp_seconds gauge",
        `tinode_canary_last_round_timestamp_seconds ${stats.lastRound / 1000}`,
        "# HELP tinode_canary_round_duration_seconds How long the last round took.",
        "# TYPE tinode_canary_round_duration_seconds gauge",
        `tinode_canary_round_duration_seconds ${stats.durationMs / 1000}`,
        "# HELP tinode_canary_pairs Pod pairs of the last round: delivered, or reachable and not delivered (failed).",
        "# TYPE tinode_canary_pairs gauge",
        `tinode_canary_pairs{result="delivered"} ${stats.delivered}`,
        `tinode_canary_pairs{result="failed"} ${stats.failed}`,
        "# HELP tinode_canary_pods_unreachable Pods the canary could not connect to (restarting, not ready) in the last round.",
        "# TYPE tinode_canary_pods_unreachable gauge",
        `tinode_canary_pods_unreachable ${stats.unreachable}`,
        "# HELP tinode_canary_pods_login_failed Pods that answered but refused the canary's login in the last round.",
        "# TYPE tinode_canary_pods_login_failed gauge",
        `tinode_canary_pods_login_failed ${stats.loginFailed}`,
        "# HELP tinode_canary_pair_delivered Whether a message published through one pod reached a session on another in the last round.",
        "# TYPE tinode_canary_pair_delivered gauge",
    ];
    for (const [k, ok] of stats.pairs) {
        const [from, to] = k.split("\t");
        lines.push(`tinode_canary_pair_delivered{from="${from}",to="${to}"} ${ok ? 1 : 0}`);
    }
    return `${lines.join("\n")}\n`;
}

http.createServer((req, res) => {
    if (req.url === "/metrics") {
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
        res.end(metrics());
    } else if (req.url === "/healthz") {
        // Alive while rounds complete: a round takes at most (pods x 2 x (request + delivery)) plus connects.
        const limit = 3 * INTERVAL_MS + pods.length * 2 * (REQUEST_MS + DELIVERY_MS) + 2 * REQUEST_MS;
        const ok = Date.now() - (stats.lastRound || started) < limit;
        res.writeHead(ok ? 200 : 503);
        res.end(ok ? "ok\n" : "no round completed lately\n");
    } else {
        res.writeHead(404);
        res.end();
    }
}).listen(PORT);
const started = Date.now();

process.on("SIGTERM", () => {
    sessions.forEach((s) => s.close());
    process.exit(0);
});

(async () => {
    log(`canary: ${pods.length} pods, a round every ${INTERVAL_MS / 1000} s, metrics on :${PORT}`);
    for (;;) {
        const t0 = Date.now();
        try {
            await round();
        } catch (e) {
            stats.errors++;
            log(`round failed: ${e.message}`);
        }
        await sleep(Math.max(1000, INTERVAL_MS - (Date.now() - t0)));
    }
})();
