// A browser's XMLHttpRequest, as much of it as tinode-sdk's long-polling transport uses (open, send,
// abort, readyState, status, responseText, onreadystatechange), over Node's http/https, with what a
// browser adds and a sticky balancer relies on: a cookie jar. Cookies the edge sets (Traefik's sticky
// cookie) are sent back on every later request, so one client's polls reach the pod that holds its
// session. One jar per process: one long-poll client per process (sdk.ts longpoll). TLS uses the
// process's CAs (NODE_EXTRA_CA_CERTS); names resolve through dns.lookup (sdk.ts E2E_RESOLVE).
import http from "http";
import https from "https";

const jar = new Map<string, string>();
/**
 * What the edge answered to polls (requests without a body, which wait for the server's messages)
 * and to sends (a client message in the body), by HTTP status (0: no answer), and the cookies it
 * set: the step's evidence.
 */
export const xhrStats = { polls: {} as Record<string, number>, sends: {} as Record<string, number>, cookies: [] as string[] };

export class CookieXhr {
    readyState = 0;
    status = 0;
    responseText = "";
    onreadystatechange?: (evt: unknown) => void;
    private method = "GET";
    private url = "";
    private readonly headers: Record<string, string> = {};
    private req?: http.ClientRequest;
    private poll = true;

    open(method: string, url: string): void {
        this.method = method;
        this.url = url;
        this.readyState = 1;
    }

    setRequestHeader(name: string, value: string): void {
        this.headers[name] = value;
    }

    send(body?: string | null): void {
        this.poll = !body;
        const u = new URL(this.url);
        const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
        const headers: Record<string, string> = { ...this.headers, ...(cookie ? { Cookie: cookie } : {}) };
        if (body) headers["Content-Type"] ??= "text/plain;charset=UTF-8";
        const request = u.protocol === "https:" ? https.request : http.request;
        this.req = request(u, { method: this.method, headers }, (res) => {
            for (const c of res.headers["set-cookie"] ?? []) {
                const [pair] = c.split(";");
                const eq = pair.indexOf("=");
                if (eq > 0) {
                    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
                    if (!xhrStats.cookies.includes(pair.slice(0, eq).trim())) xhrStats.cookies.push(pair.slice(0, eq).trim());
                }
            }
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () => this.done(res.statusCode ?? 0, text));
            res.on("error", () => this.done(0, ""));
        });
        this.req.on("error", () => this.done(0, ""));
        this.req.end(body ?? undefined);
    }

    abort(): void {
        this.onreadystatechange = undefined;
        this.req?.destroy();
    }

    private done(status: number, text: string): void {
        if (this.readyState === 4) return;
        this.status = status;
        this.responseText = text;
        this.readyState = 4;
        const counts = this.poll ? xhrStats.polls : xhrStats.sends;
        counts[status] = (counts[status] ?? 0) + 1;
        // A browser reports an exception thrown by an event handler and goes on; the SDK's long-poll
        // sender throws on a refused request ("LP sender failed"), which must not end the process.
        try {
            this.onreadystatechange?.({});
        } catch (e) {
            process.stderr.write(`[xhr] the SDK's handler threw (a browser logs it and goes on): ${(e as Error).message}\n`);
        }
    }
}
