// The self-healer: restarts a Tinode pod whose topic refuses every message because the topic's master
// holds a stale sequence id (docs/upstream-stale-topic-seq.md). Tinode 0.25.3 never recovers from it
// while clients stay subscribed: each publish fails with "Duplicate entry '<topic>-<seq>' for key
// 'messages_topic_seqid'" and answers 500. A restart reloads the topic from the database (where
// every acknowledged message is), so it loses nothing; the pod's clients reconnect to the others.
//
// What it does, every HEAL_INTERVAL_SECONDS: reads the last HEAL_WINDOW_SECONDS of each Tinode pod's
// log (the Kubernetes API, pods/log); a pod that logged HEAL_THRESHOLD or more such failures for one
// topic is evicted (the Eviction API, so the PodDisruptionBudget has the last word) when the
// StatefulSet is not rolling and every pod is Ready, at most once per HEAL_COOLDOWN_SECONDS.
// Its Role allows exactly these calls on these objects (builders/healer.ts).
//
// Plain Node.js (18 or later), no dependencies; the program mounts it from a ConfigMap.
//
// Environment:
//   HEAL_NAMESPACE, HEAL_STATEFULSET, HEAL_CONTAINER   where the Tinode pods are
//   HEAL_INTERVAL_SECONDS, HEAL_WINDOW_SECONDS, HEAL_THRESHOLD, HEAL_COOLDOWN_SECONDS
//   HEAL_PORT                      where /healthz is served
//   KUBERNETES_SERVICE_HOST/_PORT  set by the kubelet in every pod
"use strict";
const fs = require("fs");
const http = require("http");
const https = require("https");

const env = (k, fallback) => {
    const v = process.env[k] ?? fallback;
    if (v === undefined || v === "") throw new Error(`${k} is not set`);
    return v;
};
/** The settings from the environment (read when the script runs, not when a test loads it). */
function settings() {
    return {
        namespace: env("HEAL_NAMESPACE"),
        statefulSet: env("HEAL_STATEFULSET"),
        container: env("HEAL_CONTAINER", "tinode"),
        intervalMs: Number(env("HEAL_INTERVAL_SECONDS", "10")) * 1000,
        windowS: Number(env("HEAL_WINDOW_SECONDS", "120")),
        threshold: Number(env("HEAL_THRESHOLD", "3")),
        cooldownMs: Number(env("HEAL_COOLDOWN_SECONDS", "120")) * 1000,
        port: Number(env("HEAL_PORT", "8080")),
        api: `https://${env("KUBERNETES_SERVICE_HOST")}:${env("KUBERNETES_SERVICE_PORT", "443")}`,
    };
}
const SA = "/var/run/secrets/kubernetes.io/serviceaccount";

const log = (...parts) => process.stderr.write(`${new Date().toISOString()} ${parts.join(" ")}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The line Tinode 0.25.3 logs for each refused message (server/topic.go, saveAndBroadcastMessage).
 * MySQL names the key `messages.messages_topic_seqid`, MariaDB `messages_topic_seqid`.
 */
const STALE_SEQ = /topic\[([^\]\s]+)\]: failed to save message: .*Duplicate entry '[^']*' for key '(?:[^']*\.)?messages_topic_seqid'/;

/**
 * Topic -> { failures, last } in these log lines (read with timestamps=true: each line starts with
 * the kubelet's RFC 3339 time).
 */
function staleTopics(text) {
    const topics = new Map();
    for (const line of text.split("\n")) {
        const m = STALE_SEQ.exec(line);
        if (!m) continue;
        const at = Date.parse(line.slice(0, line.indexOf(" ")));
        const t = topics.get(m[1]) ?? { failures: 0, last: 0 };
        topics.set(m[1], { failures: t.failures + 1, last: Number.isNaN(at) ? t.last : Math.max(t.last, at) });
    }
    return topics;
}

/**
 * The pod to restart and why, or undefined: the first pod with a topic that failed `threshold`
 * times and still failed at `recentSince` (a topic unloaded since then has healed by itself).
 */
function verdict(logsByPod, threshold, recentSince) {
    for (const [pod, text] of logsByPod) {
        for (const [topic, t] of staleTopics(text)) {
            if (t.failures >= threshold && t.last >= recentSince) return { pod, topic, failures: t.failures };
        }
    }
    return undefined;
}

/** A request to the API server with the pod's service account (the token file rotates: read each time). */
function api(c, method, path, body) {
    return new Promise((resolve, reject) => {
        const req = https.request(
            `${c.api}${path}`,
            {
                method,
                ca: fs.readFileSync(`${SA}/ca.crt`),
                headers: {
                    Authorization: `Bearer ${fs.readFileSync(`${SA}/token`, "utf8").trim()}`,
                    Accept: "application/json, */*",
                    ...(body ? { "Content-Type": "application/json" } : {}),
                },
                timeout: 10_000,
            },
            (res) => {
                let data = "";
                res.setEncoding("utf8");
                res.on("data", (c) => (data += c));
                res.on("end", () => resolve({ status: res.statusCode, body: data }));
            },
        );
        req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${path}`)));
        req.on("error", reject);
        req.end(body ? JSON.stringify(body) : undefined);
    });
}
async function getJson(c, path) {
    const r = await api(c, "GET", path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.slice(0, 200)}`);
    return JSON.parse(r.body);
}

/** The StatefulSet's pods, and whether it is settled: not rolling, every pod Ready. */
async function cluster(c) {
    const sts = await getJson(c, `/apis/apps/v1/namespaces/${c.namespace}/statefulsets/${c.statefulSet}`);
    const replicas = sts.spec.replicas ?? 1;
    const st = sts.status ?? {};
    const pods = Array.from({ length: replicas }, (_, i) => `${c.statefulSet}-${i}`);
    const rolling = st.currentRevision !== st.updateRevision || (st.updatedReplicas ?? 0) !== replicas;
    return { pods, settled: !rolling && (st.readyReplicas ?? 0) === replicas };
}

const state = { lastHeal: 0, lastRound: Date.now(), heals: 0 };

async function round(c) {
    const ns = `/api/v1/namespaces/${c.namespace}`;
    const { pods, settled } = await cluster(c);
    const logs = new Map();
    for (const pod of pods) {
        const r = await api(c, "GET", `${ns}/pods/${pod}/log?container=${c.container}&sinceSeconds=${c.windowS}&timestamps=true`);
        // A pod that is being replaced has no log to read: nothing to heal there.
        if (r.status === 200) logs.set(pod, r.body);
    }
    const v = verdict(logs, c.threshold, Date.now() - Math.max(3 * c.intervalMs, 30_000));
    if (!v) return;
    const why = `topic ${v.topic} refused ${v.failures} messages in ${c.windowS} s (stale sequence id)`;
    if (Date.now() - state.lastHeal < c.cooldownMs) return log(`${v.pod}: ${why}; waiting for the cooldown after the last restart`);
    if (!settled) return log(`${v.pod}: ${why}; waiting until the StatefulSet is not rolling and every pod is Ready`);
    const r = await api(c, "POST", `${ns}/pods/${v.pod}/eviction`, {
        apiVersion: "policy/v1",
        kind: "Eviction",
        metadata: { name: v.pod, namespace: c.namespace },
    });
    if (r.status === 201 || r.status === 200) {
        state.lastHeal = Date.now();
        state.heals++;
        log(`restarted ${v.pod} (eviction): ${why}; restarts so far: ${state.heals}`);
    } else {
        // 429: the PodDisruptionBudget allows no disruption now; the next round asks again.
        log(`${v.pod}: ${why}; eviction refused: ${r.status} ${r.body.slice(0, 200)}`);
    }
}

async function main() {
    const c = settings();
    http.createServer((req, res) => {
        // Healthy while rounds complete: a hung loop restarts the container.
        const ok = Date.now() - state.lastRound < Math.max(6 * c.intervalMs, 60_000);
        res.writeHead(ok ? 200 : 503, { "Content-Type": "text/plain" });
        res.end(ok ? "ok\n" : "no round completed recently\n");
    }).listen(c.port);
    log(
        `watching ${c.namespace}/${c.statefulSet} every ${c.intervalMs / 1000} s (threshold ${c.threshold} in ${c.windowS} s, cooldown ${c.cooldownMs / 1000} s)`,
    );
    for (;;) {
        try {
            await round(c);
            state.lastRound = Date.now();
        } catch (e) {
            log(`round failed: ${e && e.message ? e.message : e}`);
        }
        await sleep(c.intervalMs);
    }
}

if (require.main === module) main();
module.exports = { staleTopics, verdict, STALE_SEQ };
