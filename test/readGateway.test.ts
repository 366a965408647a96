import { expect } from "chai";
import { configErrorFor, settingsWith } from "./helpers";

describe("reading the Gateway API routes", () => {
    const attach = { gatewayName: "public", gatewayHost: "chat.example.org" };

    it("attaches to a Gateway in the stack's namespace unless told another, on every listener unless told one", () => {
        expect(settingsWith(attach).gateway).to.deep.equal({
            kind: "attach",
            name: "public",
            namespace: "tinode",
            sectionName: undefined,
            host: "chat.example.org",
            grpcHost: undefined,
        });
        expect(settingsWith({ ...attach, gatewayNamespace: "gw", gatewaySectionName: "https" }).gateway).to.deep.include({
            namespace: "gw",
            sectionName: "https",
        });
        expect(settingsWith({}).gateway).to.equal(undefined);
    });

    it("refuses details without a Gateway, a Gateway without a host, and one host for HTTP and gRPC", () => {
        expect(configErrorFor({ gatewayHost: "chat.example.org" })).to.contain(
            "tinode:gatewayHost needs tinode:gatewayName or tinode:gatewayClassName: name a Gateway to attach to or a class for the stack's own, or remove this key",
        );
        expect(configErrorFor({ gatewayName: "public" })).to.contain("tinode:gatewayName needs tinode:gatewayHost");
        expect(configErrorFor({ ...attach, gatewayGrpcHost: "chat.example.org" })).to.contain(
            "tinode:gatewayGrpcHost must differ from tinode:gatewayHost",
        );
        expect(configErrorFor({ ...attach, gatewayNamespace: "Not_A_Namespace" })).to.contain("tinode:gatewayNamespace");
        expect(configErrorFor({ ...attach, gatewayHost: "Chat.example.org" })).to.contain("tinode:gatewayHost must be lower case");
    });

    it("makes no route of a refused Gateway, so nothing else is reported as exposed", () => {
        // Each config has one problem; a half-read Gateway would add the sample users' exposure as a second.
        const refused: Record<string, string>[] = [
            { gatewayName: "public" },
            { gatewayName: "Not_A_Name", gatewayHost: "chat.example.org" },
            { gatewayClassName: "Not_A_Class", gatewayHost: "chat.example.org", gatewayTlsSecret: "a" },
            { gatewayClassName: "traefik", gatewayHost: "chat.example.org" },
        ];
        for (const values of refused) {
            const msg = configErrorFor({ ...values, sampleData: "true" });
            expect(msg, JSON.stringify(values)).to.match(/^Invalid stack configuration:\n {2}- tinode:gateway(Name|ClassName) [^\n]*$/);
        }
    });

    it("counts a route as public exposure: no sample users with published passwords", () => {
        expect(configErrorFor({ ...attach, sampleData: "true" })).to.contain(
            "tinode:sampleData cannot be used with a public exposure (tinode:gatewayHost chat.example.org)",
        );
    });

    describe("the stack's own Gateway", () => {
        const own = { gatewayClassName: "traefik", gatewayHost: "chat.example.org" };

        it("reads the class, the port and where the certificate comes from", () => {
            expect(settingsWith({ ...own, gatewayTlsSecret: "chat-tls" }).gateway).to.deep.equal({
                kind: "own",
                className: "traefik",
                port: 443,
                tls: { secret: "chat-tls" },
                host: "chat.example.org",
                grpcHost: undefined,
            });
            expect(settingsWith({ ...own, gatewayClusterIssuer: "ca", gatewayPort: "8443" }).gateway).to.deep.include({
                port: 8443,
                tls: { clusterIssuer: "ca" },
            });
        });

        it("refuses it without TLS, with two certificates, next to gatewayName, or with the attach keys", () => {
            expect(configErrorFor(own)).to.contain(
                "tinode:gatewayClassName needs TLS, or logins would cross the network in clear text: set tinode:gatewayClusterIssuer (cert-manager) or tinode:gatewayTlsSecret",
            );
            expect(configErrorFor({ ...own, gatewayTlsSecret: "a", gatewayClusterIssuer: "b" })).to.contain(
                "tinode:gatewayClusterIssuer cannot be used with tinode:gatewayTlsSecret",
            );
            expect(configErrorFor({ ...own, gatewayName: "public", gatewayTlsSecret: "a" })).to.contain(
                "tinode:gatewayClassName cannot be used with tinode:gatewayName",
            );
            expect(configErrorFor({ ...own, gatewayTlsSecret: "a", gatewaySectionName: "https" })).to.contain(
                "tinode:gatewaySectionName needs tinode:gatewayName",
            );
            expect(configErrorFor({ gatewayClassName: "traefik", gatewayTlsSecret: "a" })).to.contain(
                "tinode:gatewayClassName needs tinode:gatewayHost",
            );
        });

        it("refuses its keys without a class, and a port out of range", () => {
            expect(configErrorFor({ ...attach, gatewayClusterIssuer: "ca" })).to.contain(
                "tinode:gatewayClusterIssuer needs tinode:gatewayClassName",
            );
            expect(configErrorFor({ ...attach, gatewayPort: "8443" })).to.contain("tinode:gatewayPort needs tinode:gatewayClassName");
            expect(configErrorFor({ ...own, gatewayTlsSecret: "a", gatewayPort: "0" })).to.contain(
                "tinode:gatewayPort must be a whole number from 1 to 65535",
            );
            expect(configErrorFor({ ...own, gatewayClusterIssuer: "Bad_Issuer" })).to.contain("tinode:gatewayClusterIssuer");
        });

        it("counts as public exposure", () => {
            expect(configErrorFor({ ...own, gatewayTlsSecret: "a", sampleData: "true" })).to.contain(
                "tinode:sampleData cannot be used with a public exposure (tinode:gatewayHost chat.example.org)",
            );
        });
    });
});
