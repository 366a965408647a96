// The users of e2e/tinode/restore-drill.sh: they chat before the backup, and after the restore
// log in again and read their history. Uses the project's protocol client (tinodeClient.ts).
//
//   restore-client.ts chat --nodes JSON --api-key KEY --messages N --out state.json
//       Alice, Bob and Carol sign up on three different nodes; Alice creates a group topic that
//       Bob and Carol join; all three write N messages there in turn; Alice and Bob write in
//       their p2p topic. Writes the credentials, user ids, topic names and each topic's history
//       as the server returns it ({get what:"data"}) to state.json.
//   restore-client.ts verify --nodes JSON --api-key KEY --state state.json
//       Each user logs in with the same login and password on another node than before; their
//       user ids must be the same (the UID key encodes them), and the group and p2p history must
//       equal the recorded one (seq, sender, content). Then Carol writes once more and Bob, who
//       is subscribed, receives it.
// Prints one line: PASS|FAIL {json}; the log goes to stderr.
import { readFileSync, writeFileSync } from "fs";
import { arg } from "../lib/cli";
import { log, NodeEndpoint, settle, TinodeClient, uniqueLogin } from "./tinodeClient";

interface Message {
    seq: number;
    from: string;
    content: unknown;
}

interface UserState {
    label: string;
    login: string;
    password: string;
    user: string;
    node: string;
}

interface State {
    users: UserState[];
    group: string;
    groupHistory: Message[];
    p2pHistory: Message[];
}

const basic = (login: string, password: string) => Buffer.from(`${login}:${password}`).toString("base64");

/** {get what:"data"} on a subscribed topic: every message, in seq order. */
async function history(c: TinodeClient, topic: string, expected?: number): Promise<Message[]> {
    const since = Date.now() - 1;
    await c.request("get", { topic, what: "data", data: { limit: 10000 } });
    const got: Message[] = [];
    // On a proxying node the {ctrl} may come before the messages themselves: wait for them.
    for (;;) {
        try {
            const r = await c.waitFor(
                (m) => m.data?.topic === topic,
                expected === undefined || got.length < expected ? 5000 : 300,
                "{data}",
                since,
            );
            got.push({ seq: r.msg.data!.seq!, from: r.msg.data!.from ?? "", content: r.msg.data!.content });
        } catch {
            break;
        }
    }
    return got.sort((a, b) => a.seq - b.seq);
}

async function signUp(label: string, node: NodeEndpoint, apiKey: string): Promise<{ c: TinodeClient; u: UserState }> {
    const c = await TinodeClient.connect(label, node.name, node.url, apiKey);
    const login = uniqueLogin(label.toLowerCase());
    const password = `drill-${uniqueLogin("")}`;
    await c.signUpAndLogin(login, password);
    log(`${label} signed up on ${node.name} as ${c.user}`);
    return { c, u: { label, login, password, user: c.user, node: node.name } };
}

async function chat(nodes: NodeEndpoint[], apiKey: string, perUser: number, out: string): Promise<Record<string, unknown>> {
    const [a, b, c] = await Promise.all(["Alice", "Bob", "Carol"].map((l, i) => signUp(l, nodes[i % nodes.length], apiKey)));
    const clients = [a.c, b.c, c.c];
    try {
        const group = await a.c.createGroupTopic();
        await b.c.subscribe(group);
        await c.c.subscribe(group);
        await settle();
        for (let i = 1; i <= perUser; i++) {
            for (const x of clients) await x.publish(group, `${x.label} #${i}: ünïcödé ✓ in ${group}`);
        }
        // p2p: each side names the topic by the other's user id.
        await a.c.subscribe(b.u.user);
        await b.c.subscribe(a.u.user);
        await settle();
        for (let i = 1; i <= perUser; i++) {
            await a.c.publish(b.u.user, `Alice to Bob #${i}`);
            await b.c.publish(a.u.user, `Bob to Alice #${i}`);
        }
        await settle();
        const groupHistory = await history(a.c, group, 3 * perUser);
        const p2pHistory = await history(a.c, b.u.user, 2 * perUser);
        const state: State = { users: [a.u, b.u, c.u], group, groupHistory, p2pHistory };
        writeFileSync(out, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
        const ok = groupHistory.length === 3 * perUser && p2pHistory.length === 2 * perUser;
        return {
            ok,
            group,
            groupMessages: groupHistory.length,
            p2pMessages: p2pHistory.length,
            users: [a.u, b.u, c.u].map((u) => `${u.label}=${u.user}@${u.node}`).join(" "),
        };
    } finally {
        clients.forEach((x) => x.close());
    }
}

const same = (x: Message[], y: Message[]) => JSON.stringify(x) === JSON.stringify(y);

async function verify(nodes: NodeEndpoint[], apiKey: string, statePath: string): Promise<Record<string, unknown>> {
    const state = JSON.parse(readFileSync(statePath, "utf8")) as State;
    const clients: TinodeClient[] = [];
    try {
        const result: Record<string, unknown> = {};
        let ok = true;
        const logged: Record<string, TinodeClient> = {};
        for (const u of state.users) {
            // Another node than the one the user signed up on.
            const i = nodes.findIndex((n) => n.name === u.node);
            const node = nodes[(i + 1) % nodes.length];
            const c = await TinodeClient.connect(u.label, node.name, node.url, apiKey);
            clients.push(c);
            const ctrl = await c.request("login", { scheme: "basic", secret: basic(u.login, u.password) });
            c.user = ctrl.params?.user ?? "";
            const sameId = c.user === u.user;
            ok = ok && sameId;
            result[u.label] = `${c.user}@${node.name}${sameId ? "" : ` (was ${u.user})`}`;
            logged[u.label] = c;
        }
        const [alice, bob, carol] = [logged.Alice, logged.Bob, logged.Carol];
        for (const c of [alice, bob, carol]) await c.subscribe(state.group);
        const groupAlice = await history(alice, state.group, state.groupHistory.length);
        const groupCarol = await history(carol, state.group, state.groupHistory.length);
        await bob.subscribe(alice.user);
        const p2pBob = await history(bob, alice.user, state.p2pHistory.length);
        result.group = `${groupAlice.length}/${state.groupHistory.length} messages for Alice, ${groupCarol.length} for Carol`;
        result.p2p = `${p2pBob.length}/${state.p2pHistory.length} messages for Bob`;
        const histOk = same(groupAlice, state.groupHistory) && same(groupCarol, state.groupHistory) && same(p2pBob, state.p2pHistory);
        result.historyIdentical = histOk;
        ok = ok && histOk;
        // Chat goes on: Carol writes, Bob (subscribed on another node) receives it.
        await settle();
        const text = `after the restore, from Carol`;
        await carol.publish(state.group, text);
        const r = await bob.expectData(state.group, text, 10000);
        result.newMessageSeq = r.msg.data?.seq;
        ok = ok && r.msg.data?.seq === state.groupHistory.length + 1;
        result.ok = ok;
        return result;
    } finally {
        clients.forEach((x) => x.close());
    }
}

async function main(argv: string[]): Promise<number> {
    const nodes = JSON.parse(arg(argv, "--nodes")) as NodeEndpoint[];
    const apiKey = arg(argv, "--api-key");
    let result: Record<string, unknown>;
    try {
        if (argv[0] === "chat") result = await chat(nodes, apiKey, Number(arg(argv, "--messages")), arg(argv, "--out"));
        else if (argv[0] === "verify") result = await verify(nodes, apiKey, arg(argv, "--state"));
        else throw new Error("usage: restore-client.ts chat|verify ...");
    } catch (e) {
        result = { ok: false, error: (e as Error).message };
    }
    const ok = result.ok === true;
    delete result.ok;
    process.stdout.write(`${ok ? "PASS" : "FAIL"} ${JSON.stringify(result)}\n`);
    return ok ? 0 : 1;
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
