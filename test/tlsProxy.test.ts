import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { objectNames } from "../builders/names";
import { tinodeNetworkPolicyArgs } from "../builders/networkPolicies";
import { tinodeStatefulSetArgs } from "../builders/tinodeStatefulSet";
import {
    publicPathRule,
    serviceCertificateArgs,
    TLS_PROXY_CONTAINER,
    tlsProxyConfig,
    tlsProxyConfigMapArgs,
    tlsProxySecretName,
    TlsProxy,
} from "../builders/tlsProxy";
import { databaseTarget } from "../builders/database";
import { DEFAULTS } from "../config/defaults";
import { TinodeSettings } from "../config/settings";
import { settingsWith } from "./helpers";

const names = objectNames("chat");
const proxied = (values: Record<string, string> = {}) =>
    settingsWith({ serviceType: "LoadBalancer", serviceTlsSecret: "chat-lb-tls", ...values });
const proxyOf = (s: TinodeSettings) => s.serviceTls as TlsProxy;
const podSpec = (s: TinodeSettings) => (tinodeStatefulSetArgs("chat", names, s, databaseTarget(names, s), "sum") as any).spec.template.spec;

describe("TLS proxy of a NodePort or LoadBalancer Service (builder)", () => {
    it("routes Tinode's public paths only: the API, the web app, never expvar", () => {
        const rule = publicPathRule();
        expect(rule).to.contain("PathPrefix(`/v0/`)");
        expect(rule).to.contain("Path(`/v0`)");
        expect(rule).to.contain("Path(`/`)");
        expect(rule).to.not.contain("PathPrefix(`/`)");
        expect(rule).to.not.contain("/stats");
        const http = (tlsProxyConfig() as any).http;
        expect(http.routers.tinode).to.deep.equal({ entryPoints: ["https"], rule, service: "tinode", tls: {} });
        expect(http.services.tinode.loadBalancer.servers).to.deep.equal([{ url: "http://127.0.0.1:6060" }]);
        expect(http.services["tinode-grpc"].loadBalancer.servers).to.deep.equal([{ url: "h2c://127.0.0.1:16060" }]);
        expect(http.routers["tinode-grpc"].entryPoints).to.deep.equal(["grpcs"]);
    });

    it("serves the Secret's certificate to every client, from the directory it watches", () => {
        const tls = (tlsProxyConfig() as any).tls;
        const cert = { certFile: "/etc/tinode-tls-proxy/tls.crt", keyFile: "/etc/tinode-tls-proxy/tls.key" };
        expect(tls.stores.default.defaultCertificate).to.deep.equal(cert);
        expect(tls.certificates).to.deep.equal([cert]);
        expect(tls.options.default.minVersion).to.equal("VersionTLS12");
        const data = (tlsProxyConfigMapArgs("chat", names, proxied()) as any).data["dynamic.yaml"];
        expect(JSON.parse(data)).to.deep.equal(tlsProxyConfig());
    });

    it("runs next to Tinode, with the config and the Secret projected into one read-only directory", () => {
        const spec = podSpec(proxied());
        const proxy = spec.containers.find((c: any) => c.name === TLS_PROXY_CONTAINER);
        expect(proxy.image).to.equal(DEFAULTS.tlsProxyImage);
        expect(proxy.args).to.include.members(["--providers.file.directory=/etc/tinode-tls-proxy", "--providers.file.watch=true"]);
        expect(proxy.args.every((a: string) => a.startsWith("--"))).to.equal(true);
        // Uploads may take minutes; a gRPC session is one stream that must never time out.
        expect(proxy.args).to.include.members([
            "--entryPoints.https.transport.respondingTimeouts.readTimeout=600s",
            "--entryPoints.grpcs.transport.respondingTimeouts.readTimeout=0s",
            "--entryPoints.https.http.aliasHeadersStrategy=delete",
            "--entryPoints.grpcs.http.aliasHeadersStrategy=delete",
        ]);
        expect(proxy.ports.map((p: any) => [p.name, p.containerPort])).to.deep.equal([
            ["https", 8443],
            ["grpcs", 18443],
            ["proxy-health", 8082],
        ]);
        expect(proxy.readinessProbe.httpGet).to.deep.equal({ path: "/ping", port: "proxy-health" });
        expect(proxy.securityContext).to.deep.include({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        expect(proxy.resources).to.deep.equal(proxied().resources.tlsProxy);
        expect(proxy.volumeMounts).to.deep.equal([{ name: TLS_PROXY_CONTAINER, mountPath: "/etc/tinode-tls-proxy", readOnly: true }]);
        const volume = spec.volumes.find((v: any) => v.name === TLS_PROXY_CONTAINER);
        expect(volume.projected.sources.map((s: any) => (s.configMap ?? s.secret).name)).to.deep.equal(["chat-tls-proxy", "chat-lb-tls"]);
        // Without the proxy the pod is as before.
        for (const s of [settingsWith(), settingsWith({ serviceType: "NodePort", serviceTlsTerminatedUpstream: "true" })]) {
            expect(podSpec(s).containers.map((c: any) => c.name)).to.not.include(TLS_PROXY_CONTAINER);
            expect(podSpec(s).volumes.map((v: any) => v.name)).to.not.include(TLS_PROXY_CONTAINER);
        }
    });

    it("takes cert-manager's certificate for serviceHost into the stack's Secret", () => {
        const s = proxied({ serviceTlsSecret: "", serviceClusterIssuer: "le", serviceHost: "chat.example.org" });
        const t = proxyOf(s);
        expect(tlsProxySecretName(names, t)).to.equal("chat-service-tls");
        expect(tlsProxySecretName(names, proxyOf(proxied()))).to.equal("chat-lb-tls");
        const cert = serviceCertificateArgs("chat", names, s, { ...t, certificate: t.certificate! }) as any;
        expect(cert).to.deep.include({ apiVersion: "cert-manager.io/v1", kind: "Certificate" });
        expect(cert.metadata.name).to.equal("chat-service-tls");
        expect(cert.spec).to.deep.equal({
            secretName: "chat-service-tls",
            dnsNames: ["chat.example.org"],
            issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "le" },
        });
    });

    it("opens the proxy's ports to clients in the server's NetworkPolicy", () => {
        const clientPorts = (s: TinodeSettings) =>
            (tinodeNetworkPolicyArgs("chat", names, s, databaseTarget(names, s)) as any).spec.ingress[0].ports.map((p: any) => p.port);
        expect(clientPorts(proxied())).to.deep.equal(["http", "grpc", "https", "grpcs"]);
        expect(clientPorts(settingsWith())).to.deep.equal(["http", "grpc"]);
    });

    it("defaults to the Traefik release the e2e builds (e2e/tools/versions.env)", () => {
        const env = readFileSync(join(__dirname, "..", "e2e", "tools", "versions.env"), "utf8");
        const version = /^TRAEFIK_VERSION=(.*)$/m.exec(env)?.[1];
        expect(DEFAULTS.tlsProxyImage).to.equal(`traefik:v${version}`);
    });
});
