// A chat load for k6 (go.k6.io/k6, built into the tools cache), speaking Tinode's own websocket
// protocol (https://github.com/tinode/chat/blob/v0.25.3/docs/API.md): {hi}, {acc}, {login}, {sub},
// {pub}, and the {data} every subscriber receives. USERS users, each in two of GROUPS group topics and
// one p2p chat, send RATE messages a second in all for SECONDS seconds; every receiver times each
// message's delivery from the send time it carries (one machine, one clock). Run by bench/load.sh.
//
// Environment: URL (ws://host:port, or several separated by commas), API_KEY, USERS, GROUPS, RATE,
// SECONDS, PREFIX (unique per run: logins are new accounts), SUMMARY (the file handleSummary writes),
// RESOLVE (optional, host=ip). wss:// URLs verify the server against SSL_CERT_FILE (Go's TLS).
import encoding from "k6/encoding";
import exec from "k6/execution";
import { Counter, Trend } from "k6/metrics";
import { sleep } from "k6";
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

// Each user is a client that keeps chatting through faults, as Tinode's own SDK does: it reconnects
// when its connection drops, re-subscribes a topic the server terminated ({pres what:"term"}, e.g.
// after the topic moved to another node), reads the history it missed after every (re)subscription,
// resends a message whose publish failed or went unanswered for ANSWER_MS, and reads each topic's
// history once more at the end. Deliveries are counted once per message (sender, number), so a
// message stored twice (its first acknowledgement lost with the connection) is not counted twice.
const ANSWER_MS = 5000;
const SLOW_MS = 1000;
// Tinode's MySQL adapter returns at most 100 messages a read, newest first (maxMessageResults).
const HISTORY_PAGE = 100;
const FINAL_MS = 30000;
// The last history read begins this long after the last acknowledgement that counts.
const READ_AFTER_MS = 1000;

const delivery = new Trend("delivery_ms", true);
const acked = new Counter("acked");
const expected = new Counter("expected_deliveries");
const delivered = new Counter("deliveries");
const failed = new Counter("send_failed");
const lateJoin = new Counter("late_join");
const retried = new Counter("retried"); // logins, subscriptions and history reads asked again (a 5xx, or no answer)
const resent = new Counter("resent"); // publishes sent again: refused with 5xx/409, unanswered, or their connection lost
const reconnects = new Counter("reconnects");
const noSeq = new Counter("accepted_unsaved"); // 202 without a seq: dropped by Tinode, resent
const tooLate = new Counter("too_late"); // acknowledged after the drain: not counted as acked
const caughtUp = new Counter("caught_up"); // deliveries that only the final history read found
// When something was slow (epoch ms): a delivery later than SLOW_MS, or the first acknowledgement
// after a resend or a lost connection. Its max is when the last client recovered.
const slowAt = new Trend("slow_at");

export const options = {
    setupTimeout: `${60 + USERS}s`,
    scenarios: {
        chat: {
            executor: "per-vu-iterations",
            vus: USERS,
            iterations: 1,
            maxDuration: `${Math.ceil((JOIN_MS + DRAIN_MS + FINAL_MS) / 1000) + SECONDS + 120}s`,
        },
    },
    summaryTrendStats: ["min", "med", "p(95)", "p(99)", "max", "count"],
    // RESOLVE=host=ip: the URL's host name at that address (a Gateway's name at a node's NodePort).
    ...(__ENV.RESOLVE ? { hosts: Object.fromEntries([__ENV.RESOLVE.split("=")]) } : {}),
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
    const startAt = Date.now() + JOIN_MS;
    // For a harness that times a fault from the start of the sends (bench/load.sh).
    console.log(`k6-start-at ${startAt}`);
    return { uids, groups, startAt };
}

export default function (data) {
    const i = exec.vu.idInTest - 1;
    const partner = (i ^ 1) < USERS ? i ^ 1 : -1;
    // hw: every message up to this seq is known (received, or this user's own); known: seqs above it.
    // g: the group's index, -1 for the p2p topic.
    const topic = (name, others, g) => ({ name, others, g, attached: false, hw: 0, known: new Set(), reading: null });
    const topics = groupsOf(i).map((g) => topic(data.groups[g], membersOf(g) - 1, g));
    // A p2p topic is named after the other user from each side (its uid, "usr...").
    if (partner >= 0) topics.push(topic(data.uids[partner], 1, -1));
    const byName = new Map(topics.map((t) => [t.name, t]));
    const intervalMs = (1000 * USERS) / RATE;
    const endSendAt = data.startAt + SECONDS * 1000;
    const seen = new Set(); // "sender:number" of every message delivered to this user
    const ackedN = new Set();
    const ackedList = []; // [g, n] of every message acknowledged (stored), for the loss count
    let outbox = []; // messages waiting for their topic (re)attached: {t, n, at, tries}
    let made = 0;
    let ticks = 0;
    let failures = 0;
    let phase = "join"; // join -> send -> final -> done
    let connections = 0;
    let lostAt = 0; // when the last connection or subscription was lost; 0 once a send is acknowledged again

    const mark = (t, seq) => {
        if (seq <= t.hw) return;
        t.known.add(seq);
        while (t.known.has(t.hw + 1)) t.known.delete(++t.hw);
    };
    const slow = () => slowAt.add(Date.now());

    const connection = (socket) => {
        let id = 0;
        const pending = new Map(); // request id -> message
        const subs = new Map(); // request id -> {t, tries}
        const reads = new Map(); // request id -> {t, r: the read's state, t.reading while it is current}
        let loginId = "";
        let loginTries = 0;
        const send = (msg) => {
            const [what] = Object.keys(msg);
            msg[what].id = String(++id);
            socket.send(JSON.stringify(msg));
            return msg[what].id;
        };
        const publish = (m) => {
            m.sentAt = Date.now();
            pending.set(send({ pub: { topic: m.t.name, noecho: true, content: { k6: 1, t: m.at, u: i, n: m.n } } }), m);
        };
        // Resends until the drain ends (a client keeps what its user typed); unacknowledged then: failed.
        const retry = (m) => {
            if (Date.now() > endSendAt + DRAIN_MS) {
                failed.add(1);
                return;
            }
            m.tries++;
            resent.add(1);
            if (m.t.attached) publish(m);
            else outbox.push(m);
        };
        // 300 ms, growing to 2 s while a message keeps failing (a database that is down for a minute).
        const backoff = (m) => Math.min(2000, 300 * m.tries);
        const subscribe = (t, tries) => subs.set(send({ sub: { topic: t.name } }), { t, tries, sentAt: Date.now() });
        // Reads the history above hw, newest first, a page at a time (before: the lowest seq read).
        // Only the seqs read (and received) move hw: a seq that never got stored leaves a gap that
        // later reads page through again, which costs reads, never a message.
        const read = (t, before) => {
            const r = { before, low: Infinity, count: 0, sentAt: Date.now() };
            t.reading = r;
            reads.set(send({ get: { topic: t.name, what: "data", data: before ? { since: t.hw + 1, before } : { since: t.hw + 1 } } }), {
                t,
                r,
            });
        };
        const flush = (t) => {
            const waiting = outbox.filter((m) => m.t === t);
            outbox = outbox.filter((m) => m.t !== t);
            waiting.forEach(publish);
        };
        const finalRead = () => {
            phase = "final";
            for (const t of topics) if (t.attached && !t.reading) read(t, 0);
            socket.setTimeout(() => {
                phase = "done";
                socket.close();
            }, FINAL_MS);
        };
        const readEnd = (t, r) => {
            t.reading = null;
            if (r.expect >= HISTORY_PAGE && r.low > t.hw + 1) read(t, r.low);
            else readDone();
        };
        const readDone = () => {
            if (phase === "final" && topics.every((t) => t.attached && !t.reading)) {
                phase = "done";
                socket.close();
            }
        };

        socket.on("open", () => {
            connections++;
            send({ hi: { ver: "0.25", ua: "k6-tinode-load/1.0" } });
            loginId = send({ login: { scheme: "basic", secret: secret(i) } });
        });
        socket.on("message", (text) => {
            const m = JSON.parse(text);
            if (m.ctrl) {
                const c = m.ctrl;
                if (c.id === loginId) {
                    // A server busy with a crowd of logins may answer 500: a client tries again.
                    if (c.code >= 500 && loginTries++ < 10) {
                        retried.add(1);
                        socket.setTimeout(() => (loginId = send({ login: { scheme: "basic", secret: secret(i) } })), 500);
                        return;
                    }
                    if (c.code !== 200) throw new Error(`login ${login(i)}: ${c.code} ${c.text}`);
                    for (const t of topics) subscribe(t, 1);
                } else if (pending.has(c.id)) {
                    const msg = pending.get(c.id);
                    pending.delete(c.id);
                    if (c.code === 202 && !(c.params && c.params.seq)) {
                        // Tinode answers 202 without a seq, and drops the message, when the publish is
                        // routed to a topic not loaded where it went (hub.go routeCli: "accepted" so that
                        // clients cannot guess topic names): after a term or a move. Subscribe, resend.
                        // The session may still count itself subscribed (304) while the topic's node
                        // does not know it: after the second such answer, start a new session.
                        noSeq.add(1);
                        msg.t.attached = false;
                        if (msg.tries >= 2) {
                            msg.tries++;
                            resent.add(1);
                            outbox.push(msg);
                            socket.close();
                            return;
                        }
                        subscribe(msg.t, 1);
                        socket.setTimeout(() => retry(msg), backoff(msg));
                    } else if (c.code === 202 && Date.now() > endSendAt + DRAIN_MS) {
                        // Acknowledged after the receivers' last history read may have begun: not checked.
                        tooLate.add(1);
                    } else if (c.code === 202) {
                        mark(msg.t, c.params.seq);
                        if (!ackedN.has(msg.n)) {
                            ackedN.add(msg.n);
                            ackedList.push([msg.t.g, msg.n]);
                            acked.add(1);
                            expected.add(msg.t.others);
                        }
                        if (msg.tries > 1 || lostAt) slow();
                        lostAt = 0;
                    } else if (c.code >= 500 || c.code === 409 || c.code === 408) {
                        // 409: the topic is no longer attached (terminated while the publish was on its way).
                        if (c.code === 409) msg.t.attached = false;
                        if (failures++ < 3) console.warn(`${login(i)}: pub to ${msg.t.name}: ${c.code} ${c.text}, resending`);
                        socket.setTimeout(() => retry(msg), backoff(msg));
                        if (c.code === 409) subscribe(msg.t, 1);
                    } else {
                        failed.add(1);
                        console.warn(`${login(i)}: pub to ${msg.t.name}: ${c.code} ${c.text}`);
                    }
                } else if (subs.has(c.id)) {
                    const s = subs.get(c.id);
                    subs.delete(c.id);
                    // 304: this session is subscribed already (a resubscription after a 409 or a term).
                    if (c.code < 300 || c.code === 304) {
                        s.t.attached = true;
                        read(s.t, 0);
                        flush(s.t);
                    } else if (c.code >= 500 || c.code === 408) {
                        retried.add(1);
                        // 503 "locked": the topic is being loaded or unloaded on its node (the group's
                        // maker left it in setup); 500 when many join at once; a client tries again.
                        socket.setTimeout(() => subscribe(s.t, s.tries + 1), 300);
                    } else console.warn(`${login(i)}: sub ${s.t.name}: ${c.code} ${c.text}`);
                } else if (reads.has(c.id)) {
                    const { t, r } = reads.get(c.id);
                    reads.delete(c.id);
                    // An answer to a read that a newer one (after a resubscription) replaced.
                    if (t.reading !== r) return;
                    if (c.code >= 300) {
                        t.reading = null;
                        if (c.code === 409) subscribe(t, 1);
                        else socket.setTimeout(() => read(t, r.before), 500);
                        return;
                    }
                    // Through a proxying node the answer can overtake its messages: the read ends
                    // when as many as it says have arrived (or ANSWER_MS later).
                    r.expect = (c.params && c.params.count) || 0;
                    r.answeredAt = Date.now();
                    if (r.count >= r.expect) readEnd(t, r);
                }
            } else if (m.data && m.data.content && m.data.content.k6) {
                const t = byName.get(m.data.topic);
                const d = m.data;
                if (t) {
                    mark(t, d.seq);
                    const r = t.reading;
                    if (r) {
                        r.count++;
                        r.low = Math.min(r.low, d.seq);
                        if (r.answeredAt && r.count >= r.expect) readEnd(t, r);
                    }
                }
                const key = `${d.content.u}:${d.content.n}`;
                if (d.content.u === i || seen.has(key)) return;
                seen.add(key);
                const late = Date.now() - d.content.t;
                delivery.add(late);
                delivered.add(1);
                // Only the final read found it: the recovery time is that of the live deliveries.
                if (phase === "final" || phase === "done") caughtUp.add(1);
                else if (late > SLOW_MS) slow();
            } else if (m.pres && m.pres.what === "term") {
                // The server dropped this session's subscription (the topic moved or its node left):
                // subscribe again; the read after it fetches what was missed.
                const t = byName.get(m.pres.topic === "me" ? m.pres.src : m.pres.topic);
                if (t && t.attached) {
                    t.attached = false;
                    lostAt = lostAt || Date.now();
                    subscribe(t, 1);
                }
            }
        });
        socket.on("error", (e) => {
            // Once this client closes, k6 reports its own "close sent": not a failure of the server's.
            if (phase === "done") return;
            if (failures++ < 3) console.warn(`${login(i)}: websocket error: ${e.error()}`);
        });
        socket.on("close", () => {
            // Whatever was on its way is sent again on the next connection.
            for (const msg of pending.values()) {
                if (phase !== "done") {
                    msg.tries++;
                    resent.add(1);
                }
                outbox.push(msg);
            }
            pending.clear();
            for (const t of topics) {
                t.attached = false;
                t.reading = null;
            }
            if (phase !== "done") lostAt = lostAt || Date.now();
        });
        // The sends of this user, spread over the interval so that the rate is even; a tick while
        // the topic is detached leaves the message in the outbox.
        const tick = () => {
            if (phase !== "send") return;
            if (Date.now() >= endSendAt) {
                phase = "drain";
                socket.setTimeout(finalRead, DRAIN_MS + READ_AFTER_MS);
                return;
            }
            const t = topics[ticks++ % topics.length];
            const msg = { t, n: ++made, at: Date.now(), tries: 1 };
            if (t.attached) publish(msg);
            else outbox.push(msg);
            // Unanswered publishes (their node went away under the proxying one) are sent again.
            for (const [rid, p] of pending) {
                if (Date.now() - p.sentAt > ANSWER_MS) {
                    pending.delete(rid);
                    if (failures++ < 3) console.warn(`${login(i)}: pub to ${p.t.name}: no answer in ${ANSWER_MS} ms, resending`);
                    retry(p);
                }
            }
        };
        const begin = () => {
            if (phase === "join") {
                if (topics.some((t) => !t.attached)) lateJoin.add(1);
                phase = "send";
            }
            if (phase === "send") {
                // The next tick of this user's schedule (the first one offset by its place among the users).
                const first = data.startAt + 1 + (i * intervalMs) / USERS;
                const wait = Math.max(1, first + Math.ceil((Date.now() - first) / intervalMs) * intervalMs - Date.now());
                socket.setTimeout(() => {
                    tick();
                    socket.setInterval(tick, intervalMs);
                }, wait);
            } else if (phase === "drain") socket.setTimeout(finalRead, Math.max(1, endSendAt + DRAIN_MS + READ_AFTER_MS - Date.now()));
            else if (phase === "final") finalRead();
        };
        socket.setTimeout(begin, Math.max(1, data.startAt - Date.now()));
        // A subscription or history read that goes unanswered (forwarded to a node that is gone,
        // before the cluster noticed) is asked again, as the SDK's request timeout does.
        socket.setInterval(() => {
            const now = Date.now();
            for (const [rid, s] of subs) {
                if (now - s.sentAt > ANSWER_MS) {
                    subs.delete(rid);
                    retried.add(1);
                    subscribe(s.t, s.tries + 1);
                }
            }
            for (const [rid, { t, r }] of reads) {
                if (t.reading === r && now - r.sentAt > ANSWER_MS) {
                    reads.delete(rid);
                    retried.add(1);
                    read(t, r.before);
                }
            }
            for (const t of topics) {
                const r = t.reading;
                if (r && r.answeredAt && now - r.answeredAt > ANSWER_MS) readEnd(t, r);
            }
        }, 1000);
    };

    const giveUpAt = endSendAt + DRAIN_MS + FINAL_MS + 60000;
    while (phase !== "done" && Date.now() < giveUpAt) {
        if (connections > 0) reconnects.add(1);
        try {
            ws.connect(URLS[(i + connections) % URLS.length], {}, connection);
        } catch (e) {
            if (failures++ < 3) console.warn(`${login(i)}: connect: ${e}`);
        }
        if (phase !== "done") sleep(0.2 + Math.random() * 0.5);
    }
    // Messages that never found their topic again.
    failed.add(outbox.length);
    // What this user sent and got, for the harness to count acknowledged messages some member never
    // got (e2e/real/load.sh k6_lost); base64 keeps it one token in k6's log line.
    const got = {};
    for (const key of seen) {
        const [u, n] = key.split(":");
        (got[u] = got[u] || []).push(Number(n));
    }
    console.log(`k6-vu ${encoding.b64encode(JSON.stringify({ i, acked: ackedList, got }))}`);
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
        resent: v("resent", "count"),
        reconnects: v("reconnects", "count"),
        caughtUp: v("caught_up", "count"),
        tooLate: v("too_late", "count"),
        acceptedUnsaved: v("accepted_unsaved", "count"),
        startAt: summary.setup_data ? summary.setup_data.startAt : null,
        slowFirst: v("slow_at", "min") || null,
        slowLast: v("slow_at", "max") || null,
        p50: v("delivery_ms", "med"),
        p95: v("delivery_ms", "p(95)"),
        p99: v("delivery_ms", "p(99)"),
        max: v("delivery_ms", "max"),
    };
    return { [__ENV.SUMMARY]: JSON.stringify(result) + "\n", stdout: "" };
}
