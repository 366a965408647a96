// The clients of e2e:real's edge steps (steps.sh step_edge...), commands of sdk.ts: what a client
// pays at its start through the controller, and long polling through it.
import { Chatter, delivered, Endpoint, log, sleep, State } from "./chatter";
import { xhrStats } from "./xhr";

/**
 * How long a client waits at its start on each endpoint: connect (TCP, TLS, the websocket upgrade),
 * {hi} and a basic login, on a new connection each round; the endpoints take turns, so both see the
 * same moments of a busy machine. Milliseconds: median, min and max per endpoint.
 */
export async function connectTimes(state: State, apiKey: string, endpoints: Endpoint[], rounds: number): Promise<object> {
    const times = new Map<string, number[]>(endpoints.map((e) => [e.name, []]));
    for (let i = 0; i < rounds; i++) {
        for (const e of endpoints) {
            const alice = new Chatter("alice", e.url, apiKey);
            const t0 = performance.now();
            try {
                await alice.login(state.alice);
                times.get(e.name)!.push(performance.now() - t0);
            } finally {
                alice.close();
            }
        }
    }
    const out: Record<string, { median: number; min: number; max: number }> = {};
    for (const [name, t] of times) {
        t.sort((a, b) => a - b);
        out[name] = { median: Math.round(t[Math.floor(t.length / 2)]), min: Math.round(t[0]), max: Math.round(t[t.length - 1]) };
    }
    return out;
}

/**
 * Alice long-polls (https:// or http://) through lpUrl while Bob is on a websocket at wsUrl: count
 * messages each way on the group. Long polling keeps its session in one node's memory, so every poll
 * must reach that node. The result says whether the chat went through (ok: every message delivered
 * and no request refused) and what the edge answered, also when it did not: the caller decides
 * (the e2e expects refusals without stickiness and none with it).
 */
export async function longpoll(state: State, apiKey: string, lpUrl: string, wsUrl: string, count: number): Promise<object> {
    const alice = new Chatter("alice", lpUrl, apiKey);
    const bob = new Chatter("bob", wsUrl, apiKey);
    let messages = 0;
    let error: string | undefined;
    try {
        await alice.login(state.alice);
        await bob.login(state.bob);
        const a = await alice.join(state.group);
        const b = await bob.join(state.group);
        await sleep(500);
        for (let i = 0; i < count; i++) {
            const toBob = `lp alice -> bob ${i} ${Date.now()}`;
            await alice.send(a, toBob);
            await delivered(`bob receives ${toBob}`, () => bob.has(b, toBob));
            const toAlice = `lp bob -> alice ${i} ${Date.now()}`;
            await bob.send(b, toAlice);
            await delivered(`alice receives ${toAlice}`, () => alice.has(a, toAlice));
            messages += 2;
        }
    } catch (e) {
        error = (e as Error).message;
        log(`long polling stopped: ${error}`);
    } finally {
        alice.close();
        bob.close();
    }
    const refused = (xhrStats.polls[403] ?? 0) + (xhrStats.sends[403] ?? 0);
    return { ok: error === undefined && refused === 0, error, messages, refused, ...xhrStats };
}
