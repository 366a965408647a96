// A chat load for k6 (go.k6.io/k6, built into the tools cache), speaking Tinode's own websocket
// protocol (https://github.com/tinode/chat/blob/v0.25.3/docs/API.md): {hi}, {acc}, {login}, {sub},
// {pub}, and the {data} every subscriber receives. USERS users, each in two of GROUPS group topics and
// one p2p chat, send RATE messages a second in all for SECONDS seconds; every receiver times each
// message's delivery from the send time it carries (one machine, one clock). Run by bench/load.sh.
//
// Environment: URL (ws://host:port, or several separated by commas), API_KEY, USERS, GROUPS, RATE,
// SECONDS, PREFIX (unique per run: logins are new accounts), SUMMARY (the file handleSummary writes).
import encoding from "k6/encoding";
import exec from "k6/execution";
import { Counter, Trend } from "k6/metrics";
import ws from "k6/ws";

// One URL, or several separated by commas: user i connects to the i-th (modulo), setup to the first.
const URLS = __ENV.URL.split(",").map((u) => `${u}/v0/channels?apikey=${__ENV.API_KEY}`);
const URL = URLS[0];
const USERS = Number(__ENV.USERS);
const GROUPS = Number(__ENV.GROUPS);
const RATE = Number(__ENV.RATE);
const SECONDS = Number(__ENV.SECONDS);
const PREFIX = __ENV.PREFIX;
// Time for every user to connect, log in and subscribe before anyone sends; and to drain after.
const JOIN_MS = 10000 + USERS * 100;
const DRAIN_MS = 5000;

const delivery = new Trend("delivery_ms", true);
const acked = new Counter("acked");
const expected = new Counter("expected_deliveries");
const delivered = new Counter("deliveries");
const failed = new Counter("send_failed");
const lateJoin = new Counter("late_join");
const retried = new Counter("retried"); // logins and subscriptions the server asked to repeat (5xx)

export const options = {
    setupTimeout: `${60 + USERS}s`,
    scenarios: {
        chat: {
            executor: "per-vu-iterations",
            vus: USERS,
            iterations: 1,
            maxDuration: `${Math.ceil((JOIN_MS + DRAIN_MS) / 1000) + SECONDS + 60}s`,
        },
    },
    summaryTrendStats: ["min", "med", "p(95)", "p(99)", "max", "count"],
};

const login = (i) => `${PREFIX}u${i}`;
const secret = (i) => encoding.b64encode(`${login(i)}:pw-${PREFIX}-${i}`);
// User i's groups: two neighbours in the ring of groups; its p2p partner: i ^ 1.
const groupsOf = (i) => [i % GROUPS, (i + 1) % GROUPS];
const membersOf = (g) => {
    let n = 0;
    for (let i = 0; i < USERS; i++) if (groupsOf(i).includes(g)) n++;
    return n;
};

// One websocket session that sends STEPS one after another, each when the last was answered:
// step.msg() is the request, step.then(ctrl) takes the answer. For setup only.
function session(steps) {
    let at = -1;
    const res = ws.connect(URL, {}, (socket) => {
        const next = () => {
            if (++at === steps.length) return socket.close();
            const msg = steps[at].msg();
            msg[Object.keys(msg)[0]].id = String(at);
            socket.send(JSON.stringify(msg));
        };
        socket.on("open", next);
        socket.on("message", (text) => {
            const m = JSON.parse(text);
            if (!m.ctrl || m.ctrl.id !== String(at)) return;
            if (m.ctrl.code >= 300) throw new Error(`setup step ${at}: ${JSON.stringify(m.ctrl)}`);
            if (steps[at].then) steps[at].then(m.ctrl);
            next();
        });
        socket.setTimeout(
            () => {
                throw new Error(`setup timed out at step ${at} of ${steps.length}`);
            },
            60000 + USERS * 500,
        );
    });
    if (!res || res.status !== 101) throw new Error(`setup: websocket status ${res && res.status}`);
}

// Accounts for every user (one unauthenticated session makes them all), then the group topics,
// made by user 0. Returns the uids and the group names.
export function setup() {
    const hi = { msg: () => ({ hi: { ver: "0.25", ua: "k6-tinode-load/1.0" } }) };
    const uids = [];
    const accounts = [];
    for (let i = 0; i < USERS; i++) {
        accounts.push({
            msg: () => ({ acc: { user: "new", scheme: "basic", secret: secret(i), login: false, desc: { public: { fn: login(i) } } } }),
            then: (ctrl) => (uids[i] = ctrl.params.user),
        });
    }
    session([hi, ...accounts]);
    const groups = [];
    const made = [];
    for (let g = 0; g < GROUPS; g++) made.push({ msg: () => ({ sub: { topic: "new" } }), then: (ctrl) => groups.push(ctrl.topic) });
    session([hi, { msg: () => ({ login: { scheme: "basic", secret: secret(0) } }) }, ...made]);
    // Each pair's p2p topic, made by its even user (both users subscribing at once can collide).
    for (let i = 0; i + 1 < USERS; i += 2) {
        session([hi, { msg: () => ({ login: { scheme: "basic", secret: secret(i) } }) }, { msg: () => ({ sub: { topic: uids[i + 1] } }) }]);
    }
    return { uids, groups, startAt: Date.now() + JOIN_MS };
}

export default function (data) {
    const i = exec.vu.idInTest - 1;
    const partner = (i ^ 1) < USERS ? i ^ 1 : -1;
    const topics = groupsOf(i).map((g) => ({ name: data.groups[g], others: membersOf(g) - 1 }));
    // A p2p topic is named after the other user from each side (its uid, "usr...").
    if (partner >= 0) topics.push({ name: data.uids[partner], others: 1 });
    const intervalMs = (1000 * USERS) / RATE;
    const pending = new Map(); // request id -> topic
    let id = 0;
    const subs = new Map(); // request id -> {topic, tries}
    let subscribed = 0;
    let failures = 0;
    let closing = false;
    let loginId = "";
    let loginTries = 0;
    let sending = false;
    const send = (socket, msg) => {
        const [what] = Object.keys(msg);
        msg[what].id = String(++id);
        socket.send(JSON.stringify(msg));
        return msg[what].id;
    };
    ws.connect(URLS[i % URLS.length], {}, (socket) => {
        socket.on("open", () => {
            send(socket, { hi: { ver: "0.25", ua: "k6-tinode-load/1.0" } });
            loginId = send(socket, { login: { scheme: "basic", secret: secret(i) } });
        });
        socket.on("message", (text) => {
            const m = JSON.parse(text);
            if (m.ctrl) {
                const c = m.ctrl;
                if (c.id === loginId) {
                    // A server busy with a crowd of logins may answer 500: a client tries again.
                    if (c.code >= 500 && loginTries++ < 10) {
                        retried.add(1);
                        socket.setTimeout(() => (loginId = send(socket, { login: { scheme: "basic", secret: secret(i) } })), 500);
                        return;
                    }
                    if (c.code !== 200) throw new Error(`login ${login(i)}: ${c.code} ${c.text}`);
                    for (const t of topics) subs.set(send(socket, { sub: { topic: t.name } }), { topic: t, tries: 1 });
                } else if (pending.has(c.id)) {
                    const t = pending.get(c.id);
                    pending.delete(c.id);
                    if (c.code === 202) {
                        acked.add(1);
                        expected.add(t.others);
                    } else {
                        failed.add(1);
                        if (failures++ < 3) console.warn(`${login(i)}: pub to ${t.name}: ${c.code} ${c.text}`);
                    }
                } else if (subs.has(c.id)) {
                    const s = subs.get(c.id);
                    subs.delete(c.id);
                    if (c.code < 300) subscribed++;
                    else if (c.code >= 500 && s.tries < 10) {
                        retried.add(1);
                        // 503 "locked": the topic is being loaded or unloaded on its node (the group's
                        // maker left it in setup); 500 when many join at once; a client tries again.
                        socket.setTimeout(
                            () => subs.set(send(socket, { sub: { topic: s.topic.name } }), { topic: s.topic, tries: s.tries + 1 }),
                            300,
                        );
                    } else console.warn(`${login(i)}: sub ${s.topic.name}: ${c.code} ${c.text}`);
                }
            } else if (m.data && m.data.from !== data.uids[i] && m.data.content && m.data.content.k6) {
                delivery.add(Date.now() - m.data.content.t);
                delivered.add(1);
            }
        });
        socket.on("error", (e) => {
            // Once this client closes, k6 reports its own "close sent": not a failure of the server's.
            if (closing) return;
            failed.add(1);
            console.warn(`${login(i)}: websocket error: ${e.error()}`);
        });
        const started = () => {
            if (subscribed < topics.length) lateJoin.add(1);
            sending = true;
            let n = 0;
            // Spread the users' sends over the interval, so that the rate is even.
            socket.setTimeout(
                () => {
                    const tick = () => {
                        if (!sending) return;
                        const t = topics[n++ % topics.length];
                        pending.set(send(socket, { pub: { topic: t.name, noecho: true, content: { k6: 1, t: Date.now() } } }), t);
                    };
                    tick();
                    socket.setInterval(tick, intervalMs);
                },
                // k6's timers take no 0.
                1 + (i * intervalMs) / USERS,
            );
            socket.setTimeout(() => {
                sending = false;
                // Unanswered sends count as failed; deliveries still arriving are counted.
                socket.setTimeout(() => {
                    failed.add(pending.size);
                    closing = true;
                    socket.close();
                }, DRAIN_MS);
            }, SECONDS * 1000);
        };
        socket.setTimeout(started, Math.max(1, data.startAt - Date.now()));
    });
}

export function handleSummary(summary) {
    const m = summary.metrics;
    const v = (name, stat) => (m[name] ? m[name].values[stat] : 0);
    const result = {
        users: USERS,
        groups: GROUPS,
        rate: RATE,
        seconds: SECONDS,
        acked: v("acked", "count"),
        sendFailed: v("send_failed", "count"),
        expected: v("expected_deliveries", "count"),
        delivered: v("deliveries", "count"),
        lateJoin: v("late_join", "count"),
        retried: v("retried", "count"),
        p50: v("delivery_ms", "med"),
        p95: v("delivery_ms", "p(95)"),
        p99: v("delivery_ms", "p(99)"),
        max: v("delivery_ms", "max"),
    };
    return { [__ENV.SUMMARY]: JSON.stringify(result) + "\n", stdout: "" };
}
