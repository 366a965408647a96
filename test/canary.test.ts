import { expect } from "chai";
import { CanarySettings, TinodeSettings } from "../config/settings";
import {
    CANARY_LOGIN,
    CANARY_PORT,
    CANARY_SECRET_KEYS,
    canaryConfigMapArgs,
    canaryDeploymentArgs,
    canaryFiles,
    canaryPods,
    canarySelector,
    heapMiB,
} from "../builders/canary";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

const names = objectNames("chat");
function setup(values: Record<string, string> = {}): [TinodeSettings, CanarySettings] {
    const s = settingsWith({ monitoringCanary: "true", ...values });
    if (!s.monitoring.exporter || !s.monitoring.canary) throw new Error("no canary");
    return [s, s.monitoring.canary];
}
const files = { "canary.js": "// script", "tinode.prod.js": "// sdk" };

describe("delivery canary (builder)", () => {
    it("has a session URL for every Tinode pod, through the headless Service", () => {
        const [s] = setup({ replicas: "4", namespace: "im", clusterDomain: "k8s.local" });
        const pods = canaryPods(names, s);
        expect(Object.keys(pods)).to.deep.equal(["chat-0", "chat-1", "chat-2", "chat-3"]);
        expect(pods["chat-3"]).to.equal("ws://chat-3.chat-cluster.im.svc.k8s.local:6060");
    });

    it("runs the mounted script with its pods, login, interval and port; credentials only from the Secret", () => {
        const [s, c] = setup({ monitoringCanaryIntervalSeconds: "15" });
        const d = canaryDeploymentArgs("chat", names, s, c, files) as any;
        const container = d.spec.template.spec.containers[0];
        expect(container.image).to.equal("node:24.11.1-alpine3.22");
        expect(container.command).to.deep.equal(["node", "--max-old-space-size=96", "/canary/canary.js"]);
        const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
        expect(JSON.parse(env.CANARY_PODS)).to.deep.equal(canaryPods(names, s));
        expect(env).to.deep.include({ CANARY_LOGIN: CANARY_LOGIN, CANARY_INTERVAL_SECONDS: "15", CANARY_PORT: String(CANARY_PORT) });
        expect(env.CANARY_PASSWORD).to.deep.equal({ secretKeyRef: { name: "chat-canary", key: CANARY_SECRET_KEYS.password } });
        expect(env.TINODE_API_KEY).to.deep.equal({ secretKeyRef: { name: "chat-canary", key: CANARY_SECRET_KEYS.apiKey } });
        expect(d.spec.template.spec.volumes).to.deep.equal([{ name: "files", configMap: { name: "chat-canary" } }]);
        expect(container.livenessProbe.httpGet).to.deep.equal({ path: "/healthz", port: "metrics" });
        expect(d.spec.strategy).to.deep.equal({ type: "Recreate" });
        expect(d.spec.template.spec.automountServiceAccountToken).to.equal(false);
        expect(d.spec.template.spec.securityContext).to.include({ runAsNonRoot: true, runAsUser: 1000 });
        expect(container.securityContext).to.include({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        expect(d.spec.selector.matchLabels["app.kubernetes.io/component"]).to.equal("canary");
    });

    it("is a valid Tinode basic login (letters, digits, '.' or '_' inside, at most 32)", () => {
        expect(CANARY_LOGIN).to.match(/^[\p{L}\p{N}][_.\p{L}\p{N}]*[\p{L}\p{N}]+$/u);
        expect(CANARY_LOGIN.length).to.be.at.most(32);
    });

    it("restarts the canary when its files change, not otherwise", () => {
        const [s, c] = setup();
        const sum = (f: typeof files) =>
            (canaryDeploymentArgs("chat", names, s, c, f) as any).spec.template.metadata.annotations["tinode.co/canary-files"];
        expect(sum(files)).to.equal(sum({ ...files }));
        expect(sum({ ...files, "canary.js": "// changed" })).to.not.equal(sum(files));
    });

    it("caps the heap at 3/5 of the memory limit, never below 32 MiB", () => {
        expect(heapMiB("160Mi")).to.equal(96);
        expect(heapMiB("1Gi")).to.equal(614);
        expect(heapMiB("40Mi")).to.equal(32);
        const [s, c] = setup();
        s.resources.canary.limits.memory = "320Mi";
        expect((canaryDeploymentArgs("chat", names, s, c, files) as any).spec.template.spec.containers[0].command[1]).to.equal(
            "--max-old-space-size=192",
        );
    });

    it("ships the script and the official SDK of the server's version", () => {
        const f = canaryFiles();
        expect(f["canary.js"]).to.contain("CANARY_PODS");
        expect(f["tinode.prod.js"]).to.contain("0.25.3");
        const [s, c] = setup();
        expect(Object.keys((canaryConfigMapArgs("chat", names, s, c, f) as any).data)).to.deep.equal(["canary.js", "tinode.prod.js"]);
    });

    it("selects its own series for the alerts", () => {
        const [s] = setup({ namespace: "im" });
        expect(canarySelector(names, s)).to.equal('job="chat-canary",namespace="im"');
    });
});
