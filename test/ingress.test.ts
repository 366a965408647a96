import { expect } from "chai";
import { clientHttpPaths, grpcIngressArgs, ingressArgs } from "../builders/ingress";
import { objectNames } from "../builders/names";
import { EXPVAR_PATH } from "../tinode/facts";
import { settingsWith } from "./helpers";

/** Whether an Ingress path matches a request path, as the Ingress API defines it (Prefix: by path element). */
function matches(p: { path: string; pathType: string }, request: string): boolean {
    if (p.pathType === "Exact") return request === p.path;
    const prefix = p.path.split("/").filter(Boolean);
    const parts = request.split("/").filter(Boolean);
    return prefix.every((element, i) => parts[i] === element);
}

describe("Ingress (builder)", () => {
    const s = settingsWith({ ingressHost: "chat.example.com", ingressTlsSecret: "chat-tls" });
    // Built at each call, not when the file loads: Stryker counts what a test runs as covered by it.
    const build = () => ingressArgs("tinode", objectNames("tinode"), s, s.ingress!) as any;
    const httpPaths = () => build().spec.rules[0].http.paths;
    const routed = (request: string) => httpPaths().some((p: any) => matches(p, request));

    it("routes what the SDK and the web app ask for", () => {
        for (const request of [
            "/v0/channels",
            "/v0/channels/lp",
            "/v0/file/u/",
            "/v0/file/s/abc.png",
            "/",
            "/index.html",
            "/umd/tinode.prod.js",
            "/css/base.min.css",
            "/img/logo192.png",
            "/audio/msg.m4a",
            "/manifest.json",
            "/firebase-init.js",
            "/firebase-messaging-sw.js",
            "/service-worker.js",
            "/version.js",
        ])
            expect(routed(request), request).to.equal(true);
    });

    it("keeps expvar and every other internal endpoint off the public route", () => {
        for (const request of [EXPVAR_PATH, "/stats/expvar", "/debug/pprof/", "/status", "/v0x", "/umdx/a.js", "/index.html/x"])
            expect(routed(request), request).to.equal(false);
        const paths = httpPaths();
        expect(paths.every((p: any) => p.backend.service.port.name === "http")).to.equal(true);
        expect(paths.map((p: any) => ({ path: p.path, pathType: p.pathType }))).to.deep.equal(clientHttpPaths());
    });

    it("carries the operator's annotations for their controller on both Ingresses, over the program's own", () => {
        const own = settingsWith({
            ingressHost: "chat.example.com",
            ingressClusterIssuer: "ca",
            ingressAnnotations: JSON.stringify({
                "haproxy.org/timeout-tunnel": "1h",
                "nginx.ingress.kubernetes.io/proxy-read-timeout": "7200",
            }),
            ingressGrpcHost: "grpc.example.com",
        });
        const http = ingressArgs("tinode", objectNames("tinode"), own, own.ingress!) as any;
        expect(http.metadata.annotations).to.deep.include({
            "haproxy.org/timeout-tunnel": "1h",
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "7200",
            "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
            "cert-manager.io/cluster-issuer": "ca",
        });
        const grpc = grpcIngressArgs("tinode", objectNames("tinode"), own, own.ingress!, own.features.grpcIngressHost!) as any;
        expect(grpc.metadata.annotations).to.deep.include({
            "haproxy.org/timeout-tunnel": "1h",
            "nginx.ingress.kubernetes.io/backend-protocol": "GRPC",
        });
        expect(build().metadata.annotations).to.not.have.property("haproxy.org/timeout-tunnel");
    });
});
