// Chat through the deployed cluster with Tinode's official JavaScript SDK (npm tinode-sdk, the
// server's version), as a real client would: websocket transport, basic login, group and p2p
// topics, and a client's own retries (reconnect, log in again, resubscribe, resend) on failure.
//
// In Node 20 the SDK needs a WebSocket implementation (ws) and an IndexedDB provider
// (fake-indexeddb; without one it rejects a promise nobody handles). Topic.publish() in 0.25.3 drops
// a cached message on every ack, so messages are sent as the web app does: createMessage +
// publishDraft. Publish failures are not thrown by the SDK (it only marks the draft failed), so
// every ack is checked here.
//
// CLI, run by e2e/real/run.sh from a node's network namespace (JSON result on stdout, log on stderr):
//   sdk.ts setup    --url WS --api-key K --out STATE          two users, a group topic, a p2p topic
//   sdk.ts exchange --state STATE --api-key K --endpoints JSON  both users, every pair of endpoints
//                                                               ([{"name","url"}]), both topics, both ways
//   sdk.ts steady   --state STATE --api-key K --send-url WS --recv-url WS --rate N --stop-file F --ready-file R
//                                                               writes R after its first acknowledged
//                                                               message, sends until F exists, then drains
//   sdk.ts connect  --state STATE --api-key K --endpoints JSON --rounds N
//                                                               connect + {hi} + login times per endpoint
//   sdk.ts longpoll --state STATE --api-key K --lp-url HTTPS --ws-url WS --messages N
//                                                               Alice long-polls, Bob on a websocket
//   sdk.ts history  --state STATE --api-key K --url WS --expect FILE
//                                                               every token in FILE is in the group's history
//   sdk.ts mesh     --state STATE --api-key K --pods-file F --pods P,.. --rate N --stop-file S
//   sdk.ts matrix   --state STATE --api-key K --pods-file F   clients on every pod (mesh.ts)
import dns from "dns";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { arg } from "../lib/cli";
import { Chatter, delivered, Endpoint, log, Lost, sdk, sendWithRetries, SendCounts, sleep, State } from "./chatter";
import { connectTimes, longpoll } from "./edge";
import { matrix, mesh } from "./mesh";

// E2E_RESOLVE="host=ip": the name a client outside the cluster would look up (the TLS front's
// certificate and route are for that name), answered here as a DNS record would; nothing else changes.
const resolve = process.env.E2E_RESOLVE?.split("=");
if (resolve?.length === 2) {
    const [name, ip] = resolve;
    const lookup = dns.lookup.bind(dns);
    (dns as { lookup: unknown }).lookup = (host: string, options: unknown, callback?: unknown) => {
        const cb = (typeof options === "function" ? options : callback) as (...a: unknown[]) => void;
        const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
        if (host !== name) return (lookup as (...a: unknown[]) => void)(host, options, callback);
        return all ? cb(null, [{ address: ip, family: 4 }]) : cb(null, ip, 4);
    };
}

// ---------------------------------------------------------------------------------------------
// Commands.

/**
 * A client's answer to a request that timed out: open a new connection and do it again, up to
 * RETRIES times. Tinode 0.25.3 notices a peer that restarted only when a call to it fails, and that
 * call's request is dropped (server/cluster.go ClusterNode.call): after a rolling update, the first
 * request a node proxies to each restarted peer times out. One attempt clears the stale link it
 * met; an exchange crosses two pods and two topics' masters, so after a scale (every pod rolled at
 * a different time) it can meet up to four. Every retry is logged and returned, so a broken route
 * fails every attempt and a flaky one shows in the step's evidence. A lost message is never retried.
 */
const RETRIES = 3;
async function retrying<T>(what: string, retried: string[], fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await fn();
        } catch (e) {
            if (e instanceof Lost || attempt > RETRIES) throw e;
            log(`${what} failed, retrying on a new connection (${attempt} of ${RETRIES}): ${(e as Error).message}`);
            retried.push(what);
        }
    }
}

async function setup(url: string, apiKey: string, out: string): Promise<object> {
    const retried: string[] = [];
    const state = await retrying("setup", retried, () => createAccounts(url, apiKey));
    writeFileSync(out, JSON.stringify(state, null, 2));
    return { alice: state.alice.uid, bob: state.bob.uid, group: state.group, retried };
}

/** Two new users (a fresh tag per attempt), a group topic both joined and their p2p topic. */
async function createAccounts(url: string, apiKey: string): Promise<State> {
    const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const alice = new Chatter("alice", url, apiKey);
    const bob = new Chatter("bob", url, apiKey);
    try {
        const a = await alice.create(`alice${tag}`, `pw-${tag}-a`);
        const b = await bob.create(`bob${tag}`, `pw-${tag}-b`);
        const group = await alice.createGroup();
        await bob.join(group);
        // The p2p topic exists once one side subscribes to the other's user id.
        await alice.join(b.uid);
        await bob.join(a.uid);
        return { alice: a, bob: b, group };
    } finally {
        alice.close();
        bob.close();
    }
}

/** Alice on one endpoint and Bob on another exchange messages on both topics, both ways. */
async function exchange(state: State, apiKey: string, endpoints: Endpoint[]): Promise<object> {
    const results: string[] = [];
    const retried: string[] = [];
    let messages = 0;
    for (const ea of endpoints) {
        for (const eb of endpoints) {
            if (endpoints.length > 1 && ea === eb) continue;
            const pair = `${ea.name}->${eb.name}`;
            messages += await retrying(pair, retried, () => exchangePair(state, apiKey, ea, eb));
            results.push(pair);
        }
    }
    return { pairs: results, messages, retried };
}

/** One pair, both topics, both ways, on connections of its own; returns the messages delivered. */
async function exchangePair(state: State, apiKey: string, ea: Endpoint, eb: Endpoint): Promise<number> {
    const alice = new Chatter("alice", ea.url, apiKey);
    const bob = new Chatter("bob", eb.url, apiKey);
    try {
        await alice.login(state.alice);
        await bob.login(state.bob);
        const aTopics = [await alice.join(state.group), await alice.join(state.bob.uid)];
        const bTopics = [await bob.join(state.group), await bob.join(state.alice.uid)];
        // A join through a proxying node settles after a moment (TINODE.md).
        await sleep(500);
        let messages = 0;
        for (let i = 0; i < 2; i++) {
            const kind = i === 0 ? "group" : "p2p";
            const toBob = `${kind} alice@${ea.name} -> bob@${eb.name} ${Date.now()}`;
            await alice.send(aTopics[i], toBob);
            await delivered(`bob receives ${toBob}`, () => bob.has(bTopics[i], toBob));
            const toAlice = `${kind} bob@${eb.name} -> alice@${ea.name} ${Date.now()}`;
            await bob.send(bTopics[i], toAlice);
            await delivered(`alice receives ${toAlice}`, () => alice.has(aTopics[i], toAlice));
            messages += 2;
        }
        return messages;
    } finally {
        alice.close();
        bob.close();
    }
}

/**
 * Alice sends to the group at a steady rate until the stop file appears; Bob receives on another
 * endpoint. Either side that fails does what a client does: reconnect, log in, resubscribe, and
 * (the sender) resend the same message; the receiver fetches what it missed from the history.
 */
async function steady(
    state: State,
    apiKey: string,
    sendUrl: string,
    recvUrl: string,
    rate: number,
    stopFile: string,
    readyFile: string,
): Promise<object> {
    const acked: string[] = [];
    const counts: SendCounts = { failedAttempts: 0, resends: 0 };
    let reconnects = 0;
    let sender: Chatter | undefined;
    let receiver: Chatter | undefined;
    const got = new Set<string>();

    const connectSender = async () => {
        sender?.close();
        sender = new Chatter("alice", sendUrl, apiKey);
        await sender.login(state.alice);
        await sender.join(state.group);
    };
    const connectReceiver = async () => {
        const before = receiver ? [...(receiver.received.get(state.group) ?? [])] : [];
        before.forEach((t) => got.add(t));
        receiver?.close();
        receiver = new Chatter("bob", recvUrl, apiKey);
        await receiver.login(state.bob);
        await receiver.join(state.group);
    };
    const retry = async (what: string, fn: () => Promise<void>) => {
        for (let attempt = 1; ; attempt++) {
            try {
                await fn();
                return;
            } catch (e) {
                reconnects++;
                log(`${what} failed (attempt ${attempt}): ${(e as Error).message}`);
                if (attempt >= 60) throw e;
                await sleep(Math.min(2000, 250 * attempt));
            }
        }
    };
    await retry("sender connect", connectSender);
    await retry("receiver connect", connectReceiver);

    const started = Date.now();
    let n = 0;
    let lastRecvCheck = Date.now();
    while (!existsSync(stopFile)) {
        const text = `steady ${n++} ${Date.now()}`;
        await sendWithRetries(text, () => sender!.send(state.group, text), connectSender, counts);
        acked.push(text);
        // The caller waits for this before it disturbs the cluster: both sides connected, one message through.
        if (acked.length === 1) writeFileSync(readyFile, text);
        // Every few seconds: is the receiver still getting messages? If not, it reconnects.
        if (Date.now() - lastRecvCheck > 3000) {
            lastRecvCheck = Date.now();
            const recent = acked.slice(-Math.max(1, rate * 2), -Math.max(1, rate));
            if (recent.length > 0 && !recent.every((t) => receiver!.has(state.group, t))) {
                log("receiver missed recent messages: reconnecting");
                await retry("receiver reconnect", connectReceiver);
            }
        }
        await sleep(1000 / rate);
    }
    // Drain: whatever the receiver did not see live, a real client fetches from the history.
    await sleep(2000);
    (receiver!.received.get(state.group) ?? new Set<string>()).forEach((t) => got.add(t));
    let history = new Set<string>();
    await retry("history", async () => {
        // A fresh session: the old one may have lost its login when its node went away.
        await connectReceiver();
        history = await receiver!.readHistory(state.group);
    });
    const live = acked.filter((t) => got.has(t)).length;
    const missing = acked.filter((t) => !got.has(t) && !history.has(t));
    sender?.close();
    receiver?.close();
    return {
        seconds: Math.round((Date.now() - started) / 100) / 10,
        sent: acked.length,
        receivedLive: live,
        fromHistory: acked.length - live - missing.length,
        lost: missing.length,
        ...counts,
        reconnects,
        acked,
    };
}

async function history(state: State, apiKey: string, url: string, expectFile: string): Promise<object> {
    const expected = JSON.parse(readFileSync(expectFile, "utf8")) as string[];
    // A client that meets a node still settling after a restart (504, 500) tries again, as apps do.
    for (let attempt = 1; ; attempt++) {
        const bob = new Chatter("bob", url, apiKey);
        try {
            await bob.login(state.bob);
            await bob.join(state.group);
            const all = await bob.readHistory(state.group);
            const missing = expected.filter((t) => !all.has(t));
            return {
                messages: all.size,
                expected: expected.length,
                missing: missing.length,
                firstMissing: missing.slice(0, 3),
                attempts: attempt,
            };
        } catch (e) {
            log(`history attempt ${attempt} failed: ${(e as Error).message}`);
            if (attempt >= 5) throw e;
            await sleep(2000);
        } finally {
            bob.close();
        }
    }
}

async function main(argv: string[]): Promise<object> {
    const apiKey = arg(argv, "--api-key");
    const state = () => JSON.parse(readFileSync(arg(argv, "--state"), "utf8")) as State;
    switch (argv[0]) {
        case "setup":
            return setup(arg(argv, "--url"), apiKey, arg(argv, "--out"));
        case "exchange":
            return exchange(state(), apiKey, JSON.parse(arg(argv, "--endpoints")) as Endpoint[]);
        case "steady":
            return steady(
                state(),
                apiKey,
                arg(argv, "--send-url"),
                arg(argv, "--recv-url"),
                Number(arg(argv, "--rate")),
                arg(argv, "--stop-file"),
                arg(argv, "--ready-file"),
            );
        case "connect":
            return connectTimes(state(), apiKey, JSON.parse(arg(argv, "--endpoints")) as Endpoint[], Number(arg(argv, "--rounds")));
        case "longpoll":
            return longpoll(state(), apiKey, arg(argv, "--lp-url"), arg(argv, "--ws-url"), Number(arg(argv, "--messages")));
        case "history":
            return history(state(), apiKey, arg(argv, "--url"), arg(argv, "--expect"));
        case "mesh":
            return mesh(
                state(),
                apiKey,
                arg(argv, "--pods-file"),
                arg(argv, "--pods").split(","),
                Number(arg(argv, "--rate")),
                arg(argv, "--stop-file"),
            );
        case "matrix":
            return matrix(state(), apiKey, arg(argv, "--pods-file"));
        default:
            throw new Error("usage: sdk.ts setup|exchange|steady|connect|longpoll|history|mesh|matrix ...");
    }
}

if (require.main === module) {
    // The SDK's own reconnect attempts reject promises nobody awaits when a node is away; a browser
    // logs those and goes on, and so does this client (its own retries handle the outage).
    process.on("unhandledRejection", (reason) => log(`ignored an unhandled rejection from the SDK: ${String(reason)}`));
    // tinode-sdk 0.25.3 sends a delayed read receipt from a timer and throws "Websocket is not
    // connected" there when the connection dropped meanwhile (topic.js noteRecv): a browser logs
    // that and the app goes on; here it would end the process. Only that error is let through.
    process.on("uncaughtException", (e) => {
        if (e.message !== "Websocket is not connected") throw e;
        log(`ignored an exception from an SDK timer: ${e.message}`);
    });
    log(`tinode-sdk ${sdk.Tinode.getVersion()}`);
    main(process.argv.slice(2)).then(
        (result) => {
            process.stdout.write(JSON.stringify(result) + "\n");
            process.exit(0);
        },
        (e: Error) => {
            log(`failed: ${e.stack ?? e.message}`);
            process.exit(1);
        },
    );
}
