// Unix-socket relays to addresses inside the cluster, run in a node's network namespace, for an SDK
// process in the client namespace (e2e/real/steps.sh at_edge): its clients on the controller's
// address use the client namespace's own network, which reaches nothing else; its clients on pods
// or the Service connect through these relays (chatter.ts RelayedWebSocket). A path-named unix socket
// belongs to no network namespace.
//   relay.ts DIR HOST:PORT...   serves DIR/<HOST>_<PORT>.sock for each, writes DIR/ready, runs until killed
import { writeFileSync } from "fs";
import * as net from "net";

/** The unix socket this relay serves for HOST:PORT in DIR. */
export const relaySocket = (dir: string, host: string, port: number) => `${dir}/${host}_${port}.sock`;

function relay(dir: string, targets: string[]): void {
    for (const target of targets) {
        const at = target.lastIndexOf(":");
        const [host, port] = [target.slice(0, at), Number(target.slice(at + 1))];
        net.createServer((client) => {
            const upstream = net.connect(port, host);
            client.pipe(upstream).pipe(client);
            client.on("error", () => upstream.destroy());
            upstream.on("error", () => client.destroy());
        }).listen(relaySocket(dir, host, port));
    }
    writeFileSync(`${dir}/ready`, `${targets.join(" ")}\n`);
}

if (require.main === module) {
    const [dir, ...targets] = process.argv.slice(2);
    if (!dir || targets.length === 0) throw new Error("usage: relay.ts DIR HOST:PORT...");
    relay(dir, targets);
}
