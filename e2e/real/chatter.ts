// A Tinode user on one endpoint through the official JavaScript SDK (npm tinode-sdk), with the glue
// Node 20 needs: a WebSocket implementation (ws) and an IndexedDB provider (fake-indexeddb; without
// one the SDK rejects a promise nobody handles). Used by the commands of sdk.ts.
import { indexedDB } from "fake-indexeddb";
import { existsSync } from "fs";
import * as net from "net";
import WebSocket from "ws";
import { relaySocket } from "./relay";
import { CookieXhr } from "./xhr";

// ---------------------------------------------------------------------------------------------
// The SDK's surface used here (tinode-sdk ships no type declarations).

export interface Ctrl {
    code: number;
    text?: string;
    topic?: string;
    params?: { user?: string; seq?: number };
}
export interface DataMessage {
    from?: string;
    seq?: number;
    content?: unknown;
}
export interface Draft {
    seq?: number;
}
export interface SdkTopic {
    name: string;
    onData?: (msg?: DataMessage) => void;
    subscribe(getParams?: unknown, setParams?: unknown): Promise<Ctrl>;
    createMessage(content: string, noEcho: boolean): Draft;
    publishDraft(draft: Draft): Promise<Ctrl | undefined>;
    leave(unsub?: boolean): Promise<Ctrl>;
    getMeta(params: unknown): Promise<Ctrl>;
    startMetaQuery(): { withData(since?: number, before?: number, limit?: number): { build(): unknown } };
}
export interface SdkTinode {
    onDisconnect?: (err: Error) => void;
    connect(): Promise<unknown>;
    disconnect(): void;
    isConnected(): boolean;
    createAccountBasic(login: string, password: string, params: unknown): Promise<Ctrl>;
    loginBasic(login: string, password: string): Promise<Ctrl>;
    getCurrentUserID(): string;
    getTopic(name: string): SdkTopic;
    newGroupTopicName(isChannel: boolean): string;
}
export interface SdkModule {
    Tinode: {
        new (config: {
            appName: string;
            host: string;
            apiKey: string;
            secure: boolean;
            transport: "ws" | "lp";
            persist: boolean;
        }): SdkTinode;
        setNetworkProviders(ws: unknown, xhr: unknown): void;
        setDatabaseProvider(idb: unknown): void;
        getVersion(): string;
    };
}

/**
 * The SDK's websocket: ws, but through relay.ts's unix socket for an address that has one in
 * E2E_RELAY_DIR (a pod or the Service, from the client namespace that cannot reach them itself).
 */
class RelayedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[], options?: WebSocket.ClientOptions) {
        const url = new URL(address);
        const dir = process.env.E2E_RELAY_DIR;
        const socket = dir && relaySocket(dir, url.hostname, Number(url.port || (url.protocol === "wss:" ? 443 : 80)));
        super(address, protocols, socket && existsSync(socket) ? { ...options, createConnection: () => net.connect(socket) } : options);
    }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a UMD bundle without types
export const sdk = require("tinode-sdk") as SdkModule;
// XMLHttpRequest only serves long polling (an https:// or http:// endpoint): e2e/real/xhr.ts.
sdk.Tinode.setNetworkProviders(RelayedWebSocket, CookieXhr);
sdk.Tinode.setDatabaseProvider(indexedDB);

export const log = (...parts: unknown[]): void => {
    process.stderr.write(
        `[sdk ${new Date().toISOString()}] ${parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ")}\n`,
    );
};
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms)));
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// A logged-in user on one endpoint, collecting what arrives on the topics it joined.

export interface Account {
    login: string;
    password: string;
    uid: string;
}
export interface State {
    alice: Account;
    bob: Account;
    group: string;
}

/**
 * "host:port" of the endpoint's URL, which is what the SDK's `host` means; ws:// and wss:// say
 * websocket, http:// and https:// long polling.
 */
const hostOf = (url: string) => new URL(url).host;

export class Chatter {
    readonly received = new Map<string, Set<string>>(); // topic -> message texts from others
    private readonly topics = new Map<string, SdkTopic>();
    private tinode!: SdkTinode;
    uid = "";

    constructor(
        readonly label: string,
        readonly url: string,
        private readonly apiKey: string,
    ) {}

    private async open(): Promise<void> {
        this.tinode = new sdk.Tinode({
            appName: "tinode-k8s-e2e",
            host: hostOf(this.url),
            apiKey: this.apiKey,
            // wss:// or https:// through a TLS front (the exposure steps): the CA comes from NODE_EXTRA_CA_CERTS.
            secure: ["wss:", "https:"].includes(new URL(this.url).protocol),
            transport: new URL(this.url).protocol.startsWith("http") ? "lp" : "ws",
            persist: false,
        });
        this.tinode.onDisconnect = () => undefined;
        // The SDK swallows a rejected publish (the draft is only marked failed) and reports why
        // through its logger, which is silent unless enabled: keep its warnings in our log.
        (this.tinode as unknown as { logger: (s: string, ...a: unknown[]) => void }).logger = (s, ...a) => {
            if (s.startsWith("WARNING")) log(`${this.label}: ${s}`, ...a.map(String));
        };
        // Log in only after the server answered {hi} (the SDK sends it on open): over long polling
        // each request is an HTTP POST of its own, and a login that overtakes {hi} gets 409.
        const hello = new Promise<void>((resolve) => ((this.tinode as unknown as { onConnect: () => void }).onConnect = resolve));
        await within(10_000, `${this.label} connect ${this.url}`, this.tinode.connect());
        await within(10_000, `${this.label} hello ${this.url}`, hello);
    }

    async create(login: string, password: string): Promise<Account> {
        await this.open();
        const ctrl = await within(10_000, "create account", this.tinode.createAccountBasic(login, password, { public: { fn: login } }));
        if (ctrl.code >= 300) throw new Error(`create ${login}: ${ctrl.code} ${ctrl.text}`);
        this.uid = this.tinode.getCurrentUserID();
        return { login, password, uid: this.uid };
    }

    async login(account: Account): Promise<void> {
        await this.open();
        const ctrl = await within(10_000, `login ${account.login}`, this.tinode.loginBasic(account.login, account.password));
        if (ctrl.code >= 300) throw new Error(`login ${account.login}: ${ctrl.code} ${ctrl.text}`);
        this.uid = this.tinode.getCurrentUserID();
    }

    /** Subscribes to `name` ("new" + a group name, a group topic, or a user id for p2p); returns the topic name. */
    async join(name: string): Promise<string> {
        const topic = this.tinode.getTopic(name);
        topic.onData = (msg) => {
            if (!msg || msg.from === undefined || msg.from === this.uid || typeof msg.content !== "string") return;
            const set = this.received.get(topic.name) ?? new Set<string>();
            set.add(msg.content);
            this.received.set(topic.name, set);
        };
        const ctrl = await within(10_000, `${this.label} subscribe ${name}`, topic.subscribe());
        // 304: already subscribed (possible after a failover); leave and join again, or nothing arrives.
        if (ctrl.code === 304) {
            await within(10_000, "leave", topic.leave());
            const again = await within(10_000, `${this.label} resubscribe ${name}`, topic.subscribe());
            if (again.code >= 300) throw new Error(`subscribe ${name}: ${again.code} ${again.text}`);
        } else if (ctrl.code >= 300) throw new Error(`subscribe ${name}: ${ctrl.code} ${ctrl.text}`);
        this.topics.set(topic.name, topic);
        return topic.name;
    }

    async createGroup(): Promise<string> {
        return this.join(this.tinode.newGroupTopicName(false));
    }

    /** Sends `text` to a joined topic; resolves with the message's seq id, rejects on any failure. */
    async send(topicName: string, text: string): Promise<number> {
        const topic = this.topics.get(topicName);
        if (!topic) throw new Error(`not joined: ${topicName}`);
        const ctrl = await within(10_000, `publish on ${topicName}`, topic.publishDraft(topic.createMessage(text, false)));
        if (!ctrl || ctrl.code >= 300 || ctrl.params?.seq === undefined) throw new Error(`publish rejected: ${JSON.stringify(ctrl)}`);
        return ctrl.params.seq;
    }

    /** Reads a topic's whole history, page by page, into `received` (messages of every sender). */
    async readHistory(topicName: string): Promise<Set<string>> {
        const topic = this.topics.get(topicName);
        if (!topic) throw new Error(`not joined: ${topicName}`);
        const all = new Set<string>();
        let lowest = Number.MAX_SAFE_INTEGER;
        topic.onData = (msg) => {
            if (!msg || typeof msg.content !== "string" || msg.seq === undefined) return;
            all.add(msg.content);
            lowest = Math.min(lowest, msg.seq);
        };
        for (let page = 0; page < 1000; page++) {
            const before = all.size;
            const ctrl = await within(
                10_000,
                "history page",
                topic.getMeta(topic.startMetaQuery().withData(undefined, lowest, 100).build()),
            );
            // On a proxying node the "done" ctrl may overtake the page's messages: let them land.
            await sleep(300);
            if (ctrl.code === 204 || all.size === before || lowest <= 1) break;
        }
        return all;
    }

    has(topicName: string, text: string): boolean {
        return this.received.get(topicName)?.has(text) ?? false;
    }

    close(): void {
        try {
            this.tinode?.disconnect();
        } catch {
            // already gone
        }
    }
}

/** What a client's resends cost: failed attempts, and reconnects made to resend. */
export interface SendCounts {
    failedAttempts: number;
    resends: number;
}

/**
 * Sends as an app does: after a failure it waits (250 ms longer each time, at most 2 s), reconnects
 * and sends the same text again; it gives up after 60 attempts.
 */
export async function sendWithRetries(
    text: string,
    send: () => Promise<unknown>,
    reconnect: () => Promise<void>,
    counts: SendCounts,
): Promise<void> {
    for (let attempt = 0; ; attempt++) {
        try {
            if (attempt > 0) {
                counts.resends++;
                await reconnect();
            }
            await send();
            return;
        } catch (e) {
            counts.failedAttempts++;
            log(`send "${text}" failed: ${(e as Error).message}`);
            if (attempt >= 60) throw new Error(`gave up sending "${text}"`);
            await sleep(Math.min(2000, 250 * (attempt + 1)));
        }
    }
}

export async function waitFor(what: string, ms: number, check: () => boolean): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
        if (Date.now() > end) throw new Error(`timeout: ${what}`);
        await sleep(50);
    }
}

/** A client's endpoint: a name for the evidence, and its URL (ws://, wss://, http:// or https://). */
export interface Endpoint {
    name: string;
    url: string;
}

/** An acknowledged message that never arrived: a failure no retry may hide. */
export class Lost extends Error {}

/** Waits for an acknowledged message; not seeing it is a loss (Lost), never retried. */
export async function delivered(what: string, check: () => boolean): Promise<void> {
    try {
        await waitFor(what, 10_000, check);
    } catch (e) {
        throw new Lost((e as Error).message);
    }
}
