import { expect } from "chai";
import { readSettings } from "../config/readSettings";
import { TinodeSettings } from "../config/settings";
import { ACCEPTED_CONFIGS } from "./acceptedConfigs";
import type { ClusterCore as ClusterCoreType } from "../components/clusterCore";
import { source } from "./helpers";
import { childrenOf, deployWith, installMocks } from "./mocks";

describe("accepted-config matrix", () => {
    for (const [name, values] of Object.entries(ACCEPTED_CONFIGS)) {
        it(`accepts ${name}`, () => {
            expect(readSettings(source(values)).namespace).to.equal(values.namespace);
        });
    }

    it("covers every option the program offers", () => {
        // Read here, not by the tests above: this test must hold when run alone.
        const all: TinodeSettings[] = Object.values(ACCEPTED_CONFIGS).map((values) => readSettings(source(values)));
        expect([...new Set(all.map((s) => s.replicas))]).to.include.members([1, 2, 3, 5]);
        expect(new Set(all.map((s) => s.mysql.kind))).to.have.all.keys("internal", "external");
        expect(new Set(all.map((s) => s.media.handler))).to.have.all.keys("none", "fs", "s3");
        expect(new Set(all.map((s) => s.serviceType))).to.have.all.keys("ClusterIP", "NodePort", "LoadBalancer");
        expect([...new Set(all.map((s) => s.protectData))].sort()).to.deep.equal([false, true]);
        expect([...new Set(all.map((s) => s.createNamespace))].sort()).to.deep.equal([false, true]);
        expect([...new Set(all.map((s) => s.networkPolicies))].sort()).to.deep.equal([false, true]);
        expect(all.some((s) => s.ingress?.clusterIssuer)).to.equal(true);
        expect(all.some((s) => Object.keys(s.serviceAnnotations).length > 1)).to.equal(true);
        expect(all.some((s) => Object.keys(s.ingress?.annotations ?? {}).length > 1)).to.equal(true);
        expect(all.some((s) => s.features.grpcIngressHost && Object.keys(s.ingress?.grpcServiceAnnotations ?? {}).length > 0)).to.equal(
            true,
        );
        expect(
            all.some(
                (s) => s.gateway?.kind === "attach" && s.gateway.grpcHost && s.gateway.sectionName && s.gateway.namespace !== s.namespace,
            ),
        ).to.equal(true);
        expect(all.some((s) => s.gateway?.kind === "own" && s.gateway.grpcHost && "clusterIssuer" in s.gateway.tls)).to.equal(true);
        expect(all.some((s) => s.ingress && !s.ingress.tlsSecret && !s.ingress.clusterIssuer)).to.equal(true);
        expect(all.some((s) => s.mysql.kind === "external" && s.mysql.tls?.caSecret && s.mysql.runtimeDsn && s.mysql.clientImage)).to.equal(
            true,
        );
        const tls = (s: TinodeSettings) =>
            s.serviceTls?.kind === "proxy" ? (s.serviceTls.certificate ? "issued" : "secret") : (s.serviceTls?.kind ?? "none");
        expect(new Set(all.map(tls))).to.have.all.keys("none", "upstream", "issued", "secret");
        expect(all.some((s) => s.scheduling.tolerations.length > 0 && Object.keys(s.scheduling.nodeSelector).length > 0)).to.equal(true);
        expect(new Set(Object.values(ACCEPTED_CONFIGS).map((v) => v.namespace)).size).to.equal(all.length);
    });
});

describe("accepted-config matrix through the component (mocks)", () => {
    let ClusterCore: typeof ClusterCoreType;
    before(async () => {
        await installMocks();
        ({ ClusterCore } = await import("../components/clusterCore"));
    });

    // A value the reader accepts must not crash the program later (an S3 port once threw a TypeError
    // after 15 resources were registered).
    Object.entries(ACCEPTED_CONFIGS).forEach(([name, values], i) => {
        it(`registers every resource of ${name}`, async () => {
            await deployWith(ClusterCore, `acc${i}`, values);
            expect(childrenOf(`acc${i}`).filter((r) => r.type === "kubernetes:apps/v1:StatefulSet").length).to.be.at.least(1);
        });
    });
});
