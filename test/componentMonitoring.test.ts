import { expect } from "chai";
import { objectNames } from "../builders/names";
import type { TinodeCluster as TinodeClusterType } from "../components/tinodeCluster";
import { childrenOf, deployWith, installMocks, one } from "./mocks";

let TinodeCluster: typeof TinodeClusterType;

const deploy = (name: string, values: Record<string, string> = {}) => deployWith(TinodeCluster, name, values);
const customResources = (name: string) => childrenOf(name).filter((r) => r.type.startsWith("kubernetes:monitoring.coreos.com"));

describe("TinodeCluster monitoring (mocks)", function () {
    before(async () => {
        await installMocks();
        ({ TinodeCluster } = await import("../components/tinodeCluster"));
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
    });

    it("deploys none of it with the exporter off", async () => {
        await deploy("m-off", { monitoringExporter: "false" });
        const pod = one("m-off", "kubernetes:apps/v1:StatefulSet", objectNames("m-off").tinode).inputs.spec.template.spec;
        expect(pod.containers.map((c: any) => c.name)).to.deep.equal(["tinode"]);
        expect(childrenOf("m-off").filter((r) => r.name === "m-off-metrics" || r.name === "m-off-dashboard")).to.deep.equal([]);
    });
});
