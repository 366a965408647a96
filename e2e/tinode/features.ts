// The client side of e2e/tinode/features.sh, on Tinode's official JavaScript SDK (npm tinode-sdk, the
// server's version): a client nobody here wrote. Each command connects, does one thing and prints
// one JSON line for the script to judge:
//
//   features.ts hi     --url ws://H:6060 --api-key K
//       {"params": <the params of the {ctrl} that answers {hi}>}
//   features.ts signup --url ... --api-key K --login L --password P --email E
//       {"code", "text", "params", "authenticated"} of {acc} (new account, login: true)
//   features.ts login  --url ... --api-key K --login L --password P [--code C]
//       {"code", "text", "params", "authenticated", "me"}: the {login} answer (with the email code
//       when given) and the code of subscribing to "me" afterwards (what a logged-in user may do)
//
// In Node the SDK needs a WebSocket implementation and an IndexedDB provider (shared/TINODE.md beside the project).
import { indexedDB } from "fake-indexeddb";
import WebSocket from "ws";
import { arg, optionalArg } from "../lib/cli";

interface Ctrl {
    code: number;
    text: string;
    params?: Record<string, unknown>;
}

/** The part of the SDK's Tinode class used here (the package ships no types). */
interface TinodeClient {
    onMessage?: (pkt: { ctrl?: Ctrl }) => void;
    connect(): Promise<unknown>;
    disconnect(): void;
    createAccountBasic(login: string, password: string, params: Record<string, unknown>): Promise<Ctrl>;
    loginBasic(login: string, password: string, cred?: { meth: string; resp: string }[]): Promise<Ctrl>;
    isAuthenticated(): boolean;
    getMeTopic(): { subscribe(): Promise<Ctrl> };
}

interface TinodeClass {
    new (config: Record<string, unknown>, onComplete?: () => void): TinodeClient;
    setNetworkProviders(ws: unknown, xhr: unknown): void;
    setDatabaseProvider(idb: unknown): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tinode } = require("tinode-sdk") as { Tinode: TinodeClass };

/** A connected client and the {ctrl} that answered its {hi}. */
async function connect(argv: string[]): Promise<{ client: TinodeClient; hi: Ctrl }> {
    Tinode.setNetworkProviders(WebSocket, undefined);
    Tinode.setDatabaseProvider(indexedDB);
    const url = new URL(arg(argv, "--url"));
    const client = new Tinode({ appName: "features-e2e", host: url.host, apiKey: arg(argv, "--api-key"), transport: "ws", secure: false });
    const hi = new Promise<Ctrl>((resolve) => {
        // The first {ctrl} carrying the server's version answers {hi}.
        client.onMessage = (pkt) => {
            if (pkt.ctrl?.params?.ver !== undefined) resolve(pkt.ctrl);
        };
    });
    await client.connect();
    return { client, hi: await withTimeout(hi, "no answer to {hi}") };
}

function withTimeout<T>(p: Promise<T>, what: string, ms = 10_000): Promise<T> {
    return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(what)), ms))]);
}

/** The SDK rejects codes of 400 and above with an Error carrying `code`. */
async function answer(p: Promise<Ctrl>): Promise<Ctrl> {
    try {
        return await withTimeout(p, "no answer");
    } catch (e) {
        const err = e as Error & { code?: number };
        return { code: err.code ?? 0, text: err.message };
    }
}

async function main(argv: string[]): Promise<void> {
    const command = argv[0];
    const { client, hi } = await connect(argv);
    let out: Record<string, unknown>;
    if (command === "hi") {
        out = { params: hi.params };
    } else if (command === "signup") {
        const ctrl = await answer(
            client.createAccountBasic(arg(argv, "--login"), arg(argv, "--password"), {
                public: { fn: arg(argv, "--login") },
                cred: [{ meth: "email", val: arg(argv, "--email") }],
            }),
        );
        out = { ...ctrl, authenticated: client.isAuthenticated() };
    } else if (command === "login") {
        const code = optionalArg(argv, "--code");
        const ctrl = await answer(
            client.loginBasic(arg(argv, "--login"), arg(argv, "--password"), code ? [{ meth: "email", resp: code }] : undefined),
        );
        const me = await answer(client.getMeTopic().subscribe());
        out = { ...ctrl, authenticated: client.isAuthenticated(), me: me.code };
    } else {
        throw new Error("usage: features.ts hi|signup|login --url URL --api-key KEY ...");
    }
    console.log(JSON.stringify(out));
    client.disconnect();
}

main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: Error) => {
        console.error(`features.ts: ${e.message}`);
        process.exit(2);
    },
);
