import { expect } from "chai";
import { configErrorFor, settingsWith } from "./helpers";

describe("readSettings: ingress (config/readIngress.ts)", () => {
    it("refuses a host without TLS unless TLS is said to end upstream", () => {
        expect(configErrorFor({ ingressHost: "chat.example.com" })).to.contain(
            "tinode:ingressHost has no TLS, so logins would cross the network in clear text: set tinode:ingressClusterIssuer (cert-manager) or tinode:ingressTlsSecret, or, if a load balancer or proxy in front of the Ingress ends TLS, set tinode:ingressTlsTerminatedUpstream true",
        );
        expect(configErrorFor({ ingressHost: "chat.example.com", ingressTlsTerminatedUpstream: "true" })).to.equal("");
        expect(configErrorFor({ ingressHost: "chat.example.com", ingressTlsSecret: "tls" })).to.equal("");
        expect(
            configErrorFor({ ingressHost: "chat.example.com", ingressTlsSecret: "tls", ingressTlsTerminatedUpstream: "true" }),
        ).to.contain(
            "tinode:ingressTlsTerminatedUpstream says TLS ends before the Ingress, but tinode:ingressTlsSecret or tinode:ingressClusterIssuer configures TLS on it: remove one of them",
        );
        expect(configErrorFor({ ingressTlsTerminatedUpstream: "true" })).to.contain(
            "tinode:ingressTlsTerminatedUpstream needs tinode:ingressHost",
        );
        // Pulumi.yaml's default (false) is not "set".
        expect(configErrorFor({ ingressTlsTerminatedUpstream: "false" })).to.equal("");
    });

    it("refuses an upper-case host instead of passing it on to the API server", () => {
        expect(configErrorFor({ ingressHost: "Chat.Example.com", ingressClusterIssuer: "le" })).to.contain(
            'tinode:ingressHost must be lower case (the API server refuses upper-case hosts): use "chat.example.com" (got "Chat.Example.com")',
        );
        expect(configErrorFor({ ingressHost: `${"a".repeat(64)}.example.com`, ingressClusterIssuer: "le" })).to.contain(
            "tinode:ingressHost must be a DNS name whose labels are at most 63 characters",
        );
    });

    it("leaves the TLS secret to the names module when cert-manager issues the certificate", () => {
        expect(settingsWith({ ingressHost: "chat.example.com", ingressClusterIssuer: "letsencrypt" }).ingress).to.deep.equal({
            host: "chat.example.com",
            className: undefined,
            tlsSecret: undefined,
            clusterIssuer: "letsencrypt",
            annotations: {},
            grpcServiceAnnotations: {},
        });
    });

    it("rejects ingress details without a host, and a host that is not one", () => {
        expect(configErrorFor({ ingressTlsSecret: "tls" })).to.contain(
            "tinode:ingressTlsSecret needs tinode:ingressHost: set the host, or remove this key",
        );
        expect(
            configErrorFor({
                ingressHost: "chat.example.com",
                ingressTlsSecret: "tls",
                ingressGrpcServiceAnnotations: JSON.stringify({ "traefik.ingress.kubernetes.io/service.serversscheme": "h2c" }),
            }),
        ).to.contain("tinode:ingressGrpcServiceAnnotations needs tinode:ingressGrpcHost");
        expect(configErrorFor({ ingressAnnotations: JSON.stringify({ "haproxy.org/timeout-tunnel": "1h" }) })).to.contain(
            "tinode:ingressAnnotations needs tinode:ingressHost: set the host, or remove this key",
        );
        expect(
            configErrorFor({ ingressHost: "chat.example.com", ingressTlsSecret: "tls", ingressAnnotations: JSON.stringify({ "-x": "1" }) }),
        ).to.contain("tinode:ingressAnnotations.-x must be a label key");
        expect(configErrorFor({ ingressHost: "chat", ingressTlsSecret: "tls" })).to.contain(
            'tinode:ingressHost must be a fully qualified host name such as chat.example.com (got "chat")',
        );
    });

    it("rejects an unknown service type", () => {
        expect(configErrorFor({ serviceType: "ExternalName" })).to.contain(
            'tinode:serviceType must be one of ClusterIP, NodePort, LoadBalancer (got "ExternalName")',
        );
    });
});
