import { expect } from "chai";
import { gatewayArgs, grpcRouteArgs, httpRouteArgs } from "../builders/gateway";
import { OwnGateway } from "../config/settings";
import { clientHttpPaths } from "../builders/ingress";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

describe("Gateway API routes (builder)", () => {
    const names = objectNames("tinode");
    const s = settingsWith({
        gatewayName: "public",
        gatewayNamespace: "gw",
        gatewayHost: "chat.example.org",
        gatewayGrpcHost: "grpc.example.org",
    });
    const g = s.gateway!;

    it("routes the client paths of one host to the client Service's HTTP port, nothing else", () => {
        const route = httpRouteArgs("tinode", names, s, g) as any;
        expect([route.apiVersion, route.kind]).to.deep.equal(["gateway.networking.k8s.io/v1", "HTTPRoute"]);
        expect(route.spec.parentRefs).to.deep.equal([{ name: "public", namespace: "gw" }]);
        expect(route.spec.hostnames).to.deep.equal(["chat.example.org"]);
        expect(route.spec.rules).to.have.length(1);
        const [rule] = route.spec.rules;
        expect(rule.backendRefs).to.deep.equal([{ name: "tinode", port: 6060 }]);
        expect(rule.matches).to.deep.equal(
            clientHttpPaths().map((p) => ({ path: { type: p.pathType === "Prefix" ? "PathPrefix" : "Exact", value: p.path } })),
        );
        expect(rule.matches.some((m: any) => m.path.value.startsWith("/stats"))).to.equal(false);
    });

    it("sends gRPC of its own host to the gRPC port, on the listener named when one is", () => {
        const withSection = settingsWith({
            gatewayName: "public",
            gatewayHost: "chat.example.org",
            gatewaySectionName: "grpc",
            gatewayGrpcHost: "grpc.example.org",
        });
        const route = grpcRouteArgs("tinode", names, withSection, { ...withSection.gateway!, grpcHost: "grpc.example.org" }) as any;
        expect(route.kind).to.equal("GRPCRoute");
        expect(route.metadata.name).to.equal("tinode-grpc");
        expect(route.spec.parentRefs).to.deep.equal([{ name: "public", namespace: "tinode", sectionName: "grpc" }]);
        expect(route.spec.hostnames).to.deep.equal(["grpc.example.org"]);
        expect(route.spec.rules).to.deep.equal([{ backendRefs: [{ name: "tinode", port: 16060 }] }]);
        expect(g.grpcHost).to.equal("grpc.example.org");
    });

    describe("the stack's own Gateway (gatewayClassName)", () => {
        const own = { gatewayClassName: "traefik", gatewayHost: "chat.example.org", gatewayGrpcHost: "grpc.example.org" };
        const ownGateway = (values: Record<string, string>) => {
            const so = settingsWith({ ...own, ...values });
            return { so, g: so.gateway as OwnGateway };
        };

        it("has one HTTPS listener per host, each taking its kind of route from the stack's namespace only", () => {
            const { so, g } = ownGateway({ gatewayTlsSecret: "chat-tls" });
            const gw = gatewayArgs("tinode", names, so, g) as any;
            expect([gw.apiVersion, gw.kind, gw.metadata.name, gw.metadata.namespace]).to.deep.equal([
                "gateway.networking.k8s.io/v1",
                "Gateway",
                "tinode",
                "tinode",
            ]);
            expect(gw.metadata.annotations).to.equal(undefined);
            // Part of the chat server's front, like its Services.
            expect(gw.metadata.labels["app.kubernetes.io/component"]).to.equal("server");
            expect(gw.spec.gatewayClassName).to.equal("traefik");
            const tls = { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "chat-tls" }] };
            expect(gw.spec.listeners).to.deep.equal([
                {
                    name: "https",
                    protocol: "HTTPS",
                    port: 443,
                    hostname: "chat.example.org",
                    tls,
                    allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ kind: "HTTPRoute" }] },
                },
                {
                    name: "grpc",
                    protocol: "HTTPS",
                    port: 443,
                    hostname: "grpc.example.org",
                    tls,
                    allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ kind: "GRPCRoute" }] },
                },
            ]);
        });

        it("asks cert-manager for the certificate of both hosts into a Secret of its own, on the port given", () => {
            const { so, g } = ownGateway({ gatewayClusterIssuer: "letsencrypt", gatewayPort: "8443" });
            const gw = gatewayArgs("chat", objectNames("chat"), so, g) as any;
            expect(gw.metadata.annotations).to.deep.equal({ "cert-manager.io/cluster-issuer": "letsencrypt" });
            expect(gw.spec.listeners.map((l: any) => [l.port, l.tls.certificateRefs[0].name])).to.deep.equal([
                [8443, "chat-gateway-tls"],
                [8443, "chat-gateway-tls"],
            ]);
        });

        it("attaches each route to its own listener of that Gateway", () => {
            const { so, g } = ownGateway({ gatewayTlsSecret: "chat-tls" });
            const http = httpRouteArgs("tinode", names, so, g) as any;
            const grpc = grpcRouteArgs("tinode", names, so, { ...g, grpcHost: "grpc.example.org" }) as any;
            expect(http.spec.parentRefs).to.deep.equal([{ name: "tinode", namespace: "tinode", sectionName: "https" }]);
            expect(grpc.spec.parentRefs).to.deep.equal([{ name: "tinode", namespace: "tinode", sectionName: "grpc" }]);
        });

        it("has no gRPC listener without a gRPC host", () => {
            const { so, g } = ownGateway({ gatewayGrpcHost: "", gatewayTlsSecret: "chat-tls" });
            expect((gatewayArgs("tinode", names, so, g) as any).spec.listeners.map((l: any) => l.name)).to.deep.equal(["https"]);
        });
    });
});
