import { expect } from "chai";
import { DEFAULTS } from "../config/defaults";
import { configErrorFor, settingsWith } from "./helpers";

describe("reading the client Service and its TLS", () => {
    const lb = { serviceType: "LoadBalancer" };

    it("gives a NodePort or LoadBalancer Service the TLS proxy with the operator's Secret or cert-manager's", () => {
        expect(settingsWith({ ...lb, serviceTlsSecret: "chat-tls" }).serviceTls).to.deep.equal({
            kind: "proxy",
            secret: "chat-tls",
            image: DEFAULTS.tlsProxyImage,
        });
        expect(
            settingsWith({
                serviceType: "NodePort",
                serviceClusterIssuer: "le",
                serviceHost: "chat.example.org",
                tlsProxyImage: "mirror.example.org/traefik:v3.7.13",
            }).serviceTls,
        ).to.deep.equal({
            kind: "proxy",
            secret: undefined,
            certificate: { clusterIssuer: "le", host: "chat.example.org" },
            image: "mirror.example.org/traefik:v3.7.13",
        });
        expect(settingsWith({ ...lb, serviceTlsTerminatedUpstream: "true" }).serviceTls).to.deep.equal({ kind: "upstream" });
        expect(settingsWith().serviceTls).to.equal(undefined);
    });

    it("refuses a NodePort or LoadBalancer Service without TLS, naming the three ways to give it", () => {
        for (const serviceType of ["NodePort", "LoadBalancer"]) {
            expect(configErrorFor({ serviceType })).to.contain(
                `tinode:serviceType ${serviceType} takes clients directly, so logins would cross the network in clear text: set tinode:serviceTlsSecret (a kubernetes.io/tls Secret) or tinode:serviceClusterIssuer with tinode:serviceHost (cert-manager)`,
            );
        }
        expect(configErrorFor({ serviceType: "NodePort" })).to.contain("set tinode:serviceTlsTerminatedUpstream true");
    });

    it("refuses contradictory or incomplete TLS settings", () => {
        expect(configErrorFor({ ...lb, serviceTlsSecret: "t", serviceTlsTerminatedUpstream: "true" })).to.contain(
            "tinode:serviceTlsTerminatedUpstream says TLS ends before the Service, but tinode:serviceTlsSecret configures TLS in the pods: remove one of them",
        );
        expect(configErrorFor({ ...lb, serviceClusterIssuer: "le" })).to.contain(
            "tinode:serviceClusterIssuer needs tinode:serviceHost: the DNS name clients use",
        );
        expect(
            configErrorFor({ ...lb, serviceClusterIssuer: "le", serviceHost: "chat.example.org", serviceTlsTerminatedUpstream: "true" }),
        ).to.contain(
            "tinode:serviceTlsTerminatedUpstream says TLS ends before the Service, but tinode:serviceClusterIssuer configures TLS in the pods: remove one of them",
        );
        expect(configErrorFor({ ...lb, serviceTlsSecret: "t", serviceHost: "chat.example.org" })).to.contain(
            "tinode:serviceHost needs tinode:serviceClusterIssuer: it names the certificate cert-manager issues; with tinode:serviceTlsSecret the Secret's certificate says which names it serves; remove this key",
        );
        expect(configErrorFor({ ...lb, serviceTlsTerminatedUpstream: "true", tlsProxyImage: "traefik:v3.7.1" })).to.contain(
            "tinode:tlsProxyImage needs tinode:serviceTlsSecret or tinode:serviceClusterIssuer",
        );
        expect(configErrorFor({ ...lb, serviceTlsSecret: "Not_A_Name" })).to.contain("tinode:serviceTlsSecret");
        expect(configErrorFor({ ...lb, serviceClusterIssuer: "le", serviceHost: "-bad-" })).to.contain("tinode:serviceHost");
        expect(configErrorFor({ ...lb, serviceTlsSecret: "t", tlsProxyImage: "traefik:latest" })).to.contain("tinode:tlsProxyImage");
    });

    it("refuses TLS keys on a ClusterIP Service, and the proxy next to an Ingress or a Gateway", () => {
        for (const [key, value] of [
            ["serviceTlsSecret", "t"],
            ["serviceClusterIssuer", "le"],
            ["serviceHost", "chat.example.org"],
            ["serviceTlsTerminatedUpstream", "true"],
            ["tlsProxyImage", "traefik:v3.7.1"],
        ]) {
            expect(configErrorFor({ [key]: value })).to.contain(`tinode:${key} needs tinode:serviceType NodePort or LoadBalancer`);
        }
        // Harmless: the keys at their defaults, as Pulumi.yaml's defaults give them.
        expect(configErrorFor({ serviceTlsTerminatedUpstream: "false", tlsProxyImage: DEFAULTS.tlsProxyImage })).to.equal("");
        expect(configErrorFor({ ...lb, serviceTlsSecret: "t", ingressHost: "chat.example.com", ingressClusterIssuer: "le" })).to.contain(
            "tinode:serviceTlsSecret cannot be used with tinode:ingressHost: the TLS proxy takes the client Service's ports",
        );
        expect(
            configErrorFor({
                ...lb,
                serviceClusterIssuer: "le",
                serviceHost: "a.example.org",
                gatewayName: "gw",
                gatewayHost: "chat.example.com",
            }),
        ).to.contain("tinode:serviceClusterIssuer cannot be used with tinode:gatewayHost");
        // The upstream statement keeps the Service's plain ports, which an Ingress can use.
        expect(
            configErrorFor({ ...lb, serviceTlsTerminatedUpstream: "true", ingressHost: "chat.example.com", ingressClusterIssuer: "le" }),
        ).to.equal("");
    });
});
