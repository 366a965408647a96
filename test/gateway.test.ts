import { expect } from "chai";
import { grpcRouteArgs, httpRouteArgs } from "../builders/gateway";
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
});
