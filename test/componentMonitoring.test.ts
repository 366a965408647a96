import { expect } from "chai";
import { objectNames } from "../builders/names";
import type { ClusterCore as ClusterCoreType } from "../components/clusterCore";
import { childrenOf, dependencyNames, deployWith, installMocks, one, valueOf } from "./mocks";

let ClusterCore: typeof ClusterCoreType;

const deploy = (name: string, values: Record<string, string> = {}) => deployWith(ClusterCore, name, values);
const customResources = (name: string) => childrenOf(name).filter((r) => r.type.startsWith("kubernetes:monitoring.coreos.com"));

describe("ClusterCore monitoring (mocks)", function () {
    before(async () => {
        await installMocks();
        ({ ClusterCore } = await import("../components/clusterCore"));
    });

    it("by default: the exporter sidecar, the metrics Service and the dashboard, and no CRD objects", async () => {
        await deploy("m-default");
        const pod = one("m-default", "kubernetes:apps/v1:StatefulSet", objectNames("m-default").tinode).inputs.spec.template.spec;
        expect(pod.containers.map((c: any) => c.name)).to.deep.equal(["tinode", "exporter"]);
        const svc = one("m-default", "kubernetes:core/v1:Service", "m-default-metrics").inputs;
        expect(svc.spec.selector).to.deep.equal(
            one("m-default", "kubernetes:apps/v1:StatefulSet", objectNames("m-default").tinode).inputs.spec.selector.matchLabels,
        );
        const cm = one("m-default", "kubernetes:core/v1:ConfigMap", "m-default-dashboard").inputs;
        expect(cm.metadata.labels.grafana_dashboard).to.equal("1");
        expect(customResources("m-default")).to.deep.equal([]);
    });

    it("creates a PodMonitor and a PrometheusRule when asked, in the stack's namespace", async () => {
        await deploy("m-crd", { monitoringMonitor: "PodMonitor", monitoringRules: "true", namespace: "chat", monitoringRelease: "kps" });
        const pm = one("m-crd", "kubernetes:monitoring.coreos.com/v1:PodMonitor").inputs;
        expect(pm.metadata).to.deep.include({ name: "m-crd", namespace: "chat" });
        expect(pm.metadata.labels.release).to.equal("kps");
        const pr = one("m-crd", "kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs;
        const alerts = pr.spec.groups[0].rules.map((r: any) => r.alert);
        expect(alerts).to.include.members(["TinodeServerDown", "TinodeClusterDegraded", "TinodeNoLeader", "TinodeMysqlDown"]);
        expect(pr.spec.groups[0].rules.find((r: any) => r.alert === "TinodeServerDown").expr).to.contain('job="m-crd",namespace="chat"');
    });

    it("creates a ServiceMonitor instead when asked", async () => {
        await deploy("m-sm", { monitoringMonitor: "ServiceMonitor" });
        expect(customResources("m-sm").map((r) => r.type)).to.deep.equal(["kubernetes:monitoring.coreos.com/v1:ServiceMonitor"]);
        // It selects the metrics Service, so it comes after it.
        const n = objectNames("m-sm");
        expect(await dependencyNames("m-sm", "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", n.monitor)).to.include(n.metricsService);
    });

    it("deploys none of it with the exporter off", async () => {
        await deploy("m-off", { monitoringExporter: "false" });
        const pod = one("m-off", "kubernetes:apps/v1:StatefulSet", objectNames("m-off").tinode).inputs.spec.template.spec;
        expect(pod.containers.map((c: any) => c.name)).to.deep.equal(["tinode"]);
        expect(childrenOf("m-off").filter((r) => r.name === "m-off-metrics" || r.name === "m-off-dashboard")).to.deep.equal([]);
    });

    it("deploys the delivery canary when asked: its files, its credentials as secrets, its policy and PodMonitor", async () => {
        const c = await deploy("m-can", { monitoringCanary: "true", monitoringMonitor: "ServiceMonitor" });
        const d = one("m-can", "kubernetes:apps/v1:Deployment", "m-can-canary").inputs;
        expect(d.spec.template.spec.containers[0].env.find((e: any) => e.name === "CANARY_PODS").value).to.contain("m-can-2.m-can-cluster");
        const cm = one("m-can", "kubernetes:core/v1:ConfigMap", "m-can-canary").inputs;
        expect(Object.keys(cm.data)).to.deep.equal(["canary.js", "tinode.prod.js"]);
        const secret = one("m-can", "kubernetes:core/v1:Secret", "m-can-canary");
        expect(Object.keys(secret.inputs.stringData)).to.have.members(["password", "api-key"]);
        expect(secret.inputs.stringData["api-key"]).to.equal(await valueOf(c.apiKey));
        expect(one("m-can", "kubernetes:networking.k8s.io/v1:NetworkPolicy", "m-can-canary").inputs.spec.egress).to.have.length(2);
        expect(customResources("m-can").map((r) => `${r.type} ${r.name}`)).to.have.members([
            "kubernetes:monitoring.coreos.com/v1:ServiceMonitor m-can",
            "kubernetes:monitoring.coreos.com/v1:PodMonitor m-can-canary",
        ]);
        expect(childrenOf("m-default").filter((r) => r.name.endsWith("-canary"))).to.deep.equal([]);
    });
});
