import { expect } from "chai";
import { objectNames } from "../builders/names";
import { clientServiceArgs, clientsBehindProxy, clientUrl, grpcServiceArgs, headlessServiceArgs } from "../builders/services";
import { settingsWith } from "./helpers";

const names = objectNames("chat");

describe("Tinode Services (builder)", () => {
    it("keeps a long-polling client on the node that holds its session", () => {
        const svc = clientServiceArgs(
            "chat",
            names,
            settingsWith({ serviceType: "NodePort", serviceTlsTerminatedUpstream: "true" }),
        ) as any;
        expect(svc.spec.sessionAffinity).to.equal("ClientIP");
        expect(svc.spec.type).to.equal("NodePort");
        expect(svc.spec.ports.map((p: { name: string }) => p.name)).to.deep.equal(["http", "grpc"]);
    });

    it("publishes only the TLS proxy's ports when it has one: Tinode's HTTP port also serves expvar", () => {
        const svc = clientServiceArgs("chat", names, settingsWith({ serviceType: "LoadBalancer", serviceTlsSecret: "chat-tls" })) as any;
        expect(svc.spec.type).to.equal("LoadBalancer");
        expect(svc.spec.ports).to.deep.equal([
            { name: "https", port: 443, targetPort: "https", protocol: "TCP" },
            { name: "grpcs", port: 16060, targetPort: "grpcs", protocol: "TCP" },
        ]);
        expect(clientUrl(names, settingsWith({ serviceType: "LoadBalancer", serviceTlsSecret: "chat-tls" }))).to.equal(
            "https://chat.tinode.svc.cluster.local",
        );
        expect(clientUrl(names, settingsWith())).to.equal("http://chat.tinode.svc.cluster.local:6060");
    });

    it("carries the operator's annotations next to its own, which they cannot replace", () => {
        const sticky = { "traefik.ingress.kubernetes.io/service.sticky.cookie": "true" };
        const svc = clientServiceArgs("chat", names, settingsWith({ serviceAnnotations: JSON.stringify(sticky) })) as any;
        expect(svc.metadata.annotations).to.deep.equal({ ...sticky, "pulumi.com/skipAwait": "true" });
        expect((clientServiceArgs("chat", names, settingsWith()) as any).metadata.annotations).to.deep.equal({
            "pulumi.com/skipAwait": "true",
        });
    });

    it("gives the gRPC Ingress the gRPC port alone, with the operator's annotations, no affinity", () => {
        const h2c = { "traefik.ingress.kubernetes.io/service.serversscheme": "h2c" };
        const svc = grpcServiceArgs("chat", names, settingsWith(), h2c) as any;
        expect(svc.metadata.name).to.equal("chat-grpc");
        expect(svc.metadata.labels["app.kubernetes.io/component"]).to.equal("server");
        expect(svc.metadata.annotations).to.deep.equal({ ...h2c, "pulumi.com/skipAwait": "true" });
        expect(svc.spec.ports).to.deep.equal([{ name: "grpc", port: 16060, targetPort: "grpc", protocol: "TCP" }]);
        expect(svc.spec).to.not.have.property("sessionAffinity");
        expect(svc.spec.type).to.equal("ClusterIP");
    });

    it("publishes peers before they are Ready: the cluster forms before any node is useful", () => {
        const svc = headlessServiceArgs("chat", names, settingsWith()) as any;
        expect(svc.spec).to.deep.include({ clusterIP: "None", publishNotReadyAddresses: true });
        expect(svc.metadata.name).to.equal("chat-cluster");
    });

    it("trusts X-Forwarded-For only behind a proxy (an Ingress, a ClusterIP Service, the TLS proxy)", () => {
        const trusts = (values: Record<string, string>) => clientsBehindProxy(settingsWith(values));
        const upstream = { serviceTlsTerminatedUpstream: "true" };
        expect(trusts({})).to.equal(true);
        expect(trusts({ ingressHost: "chat.example.com", ingressClusterIssuer: "le", serviceType: "NodePort", ...upstream })).to.equal(
            true,
        );
        expect(trusts({ serviceType: "LoadBalancer", ...upstream })).to.equal(false);
        expect(trusts({ serviceType: "NodePort", ...upstream })).to.equal(false);
        expect(trusts({ serviceType: "NodePort", serviceTlsSecret: "chat-tls" })).to.equal(true);
    });
});
