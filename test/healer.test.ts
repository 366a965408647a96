import { expect } from "chai";
import { SelfHealSettings, TinodeSettings } from "../config/settings";
import {
    API_SERVER_PORTS,
    HEAL_TIMING,
    healerConfigMapArgs,
    healerDeploymentArgs,
    healerFiles,
    healerRoleArgs,
    healerRoleBindingArgs,
    healerServiceAccountArgs,
} from "../builders/healer";
import { healerNetworkPolicyArgs } from "../builders/networkPolicies";
import { objectNames } from "../builders/names";
import { configErrorFor, settingsWith } from "./helpers";
// The script the Deployment runs: its pure decision, tested where it lives.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require("../healer/healer.js") as {
    staleTopics(text: string): Map<string, { failures: number; last: number }>;
    verdict(
        logs: Map<string, string>,
        threshold: number,
        recentSince: number,
    ): { pod: string; topic: string; failures: number } | undefined;
};

const names = objectNames("chat");
function setup(values: Record<string, string> = {}): [TinodeSettings, SelfHealSettings] {
    const s = settingsWith(values);
    if (!s.selfHeal) throw new Error("no healer");
    return [s, s.selfHeal];
}
const files = { "healer.js": "// script" };

/** A line as `kubectl logs --timestamps` shows Tinode 0.25.3's (MariaDB's key name unless given). */
const refused = (at: string, topic: string, key = "messages_topic_seqid") =>
    `${at} W2026/12/06 13:00:04 topic[${topic}]: failed to save message: Error 1062 (23000): Duplicate entry '${topic}-372' for key '${key}'`;

describe("self-healer (builder)", () => {
    it("is on by default with more than one replica, off with one, and refuses an unpinned image", () => {
        expect(settingsWith().selfHeal).to.deep.equal({ image: "node:24.11.1-alpine3.22" });
        expect(settingsWith({ replicas: "1" }).selfHeal).to.equal(undefined);
        expect(settingsWith({ selfHeal: "false" }).selfHeal).to.equal(undefined);
        expect(configErrorFor({ selfHealImage: "node" })).to.contain("tinode:selfHealImage must be pinned");
    });

    it("may get the StatefulSet, read its pods' logs and evict them, by name, and nothing else", () => {
        const [s, h] = setup({ replicas: "4" });
        const role = healerRoleArgs("chat", names, s, h) as any;
        const pods = ["chat-0", "chat-1", "chat-2", "chat-3"];
        expect(role.rules).to.deep.equal([
            { apiGroups: ["apps"], resources: ["statefulsets"], resourceNames: ["chat"], verbs: ["get"] },
            { apiGroups: [""], resources: ["pods/log"], resourceNames: pods, verbs: ["get"] },
            { apiGroups: [""], resources: ["pods/eviction"], resourceNames: pods, verbs: ["create"] },
        ]);
        const binding = healerRoleBindingArgs("chat", names, s, h) as any;
        expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "chat-healer" });
        expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "chat-healer", namespace: s.namespace }]);
        // The account mounts no token by default; only the healer's pod asks for it.
        expect((healerServiceAccountArgs("chat", names, s, h) as any).automountServiceAccountToken).to.equal(false);
    });

    it("runs the mounted script as the service account, non-root, with its timing and the Tinode container", () => {
        const [s, h] = setup({ namespace: "im", selfHealImage: "node:22.21.0" });
        const d = healerDeploymentArgs("chat", names, s, h, files) as any;
        const pod = d.spec.template.spec;
        const c = pod.containers[0];
        expect(c.image).to.equal("node:22.21.0");
        expect(c.command).to.deep.equal(["node", "/healer/healer.js"]);
        expect(pod.serviceAccountName).to.equal("chat-healer");
        expect(pod.automountServiceAccountToken).to.equal(true);
        expect(pod.securityContext).to.include({ runAsNonRoot: true, runAsUser: 1000 });
        expect(c.securityContext).to.include({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
        expect(env).to.deep.equal({
            HEAL_NAMESPACE: "im",
            HEAL_STATEFULSET: "chat",
            HEAL_CONTAINER: "tinode",
            HEAL_INTERVAL_SECONDS: String(HEAL_TIMING.intervalSeconds),
            HEAL_WINDOW_SECONDS: String(HEAL_TIMING.windowSeconds),
            HEAL_THRESHOLD: String(HEAL_TIMING.threshold),
            HEAL_COOLDOWN_SECONDS: String(HEAL_TIMING.cooldownSeconds),
            HEAL_PORT: "8080",
        });
        expect(d.spec.strategy).to.deep.equal({ type: "Recreate" });
        expect(c.resources).to.deep.equal(s.resources.healer);
        expect(pod.volumes).to.deep.equal([{ name: "files", configMap: { name: "chat-healer" } }]);
        // A new script rolls the pod: the annotation follows the files.
        const other = healerDeploymentArgs("chat", names, s, h, { "healer.js": "// other" }) as any;
        expect(other.spec.template.metadata.annotations).to.not.deep.equal(d.spec.template.metadata.annotations);
    });

    it("mounts the script the repository holds", () => {
        const [s, h] = setup();
        const cm = healerConfigMapArgs("chat", names, s, h, healerFiles()) as any;
        expect(cm.data["healer.js"]).to.contain("pods/${v.pod}/eviction");
    });

    it("reaches the API server's ports only, and takes nothing in", () => {
        const [s, h] = setup();
        const p = healerNetworkPolicyArgs("chat", names, s, h) as any;
        expect(p.spec.ingress).to.deep.equal([]);
        expect(p.spec.egress).to.deep.equal([{ ports: API_SERVER_PORTS.map((port) => ({ port, protocol: "TCP" })) }]);
        expect(p.spec.podSelector.matchLabels["app.kubernetes.io/component"]).to.equal("healer");
    });
});

describe("self-healer (script's decision)", () => {
    const t = (s: number) => new Date(Date.UTC(2026, 11, 6, 13, 0, s)).toISOString();
    const at = (s: number) => Date.parse(t(s));

    it("counts a topic's refused messages with MariaDB's and MySQL's key names, and ignores other lines", () => {
        const text = [
            refused(t(1), "grpA"),
            refused(t(2), "grpA", "messages.messages_topic_seqid"),
            `${t(3)} E2026/12/06 13:00:04 topic[grpA]: failed to save messagge - Error 1062 (23000): Duplicate entry 'grpA-372' for key 'messages_topic_seqid'`,
            `${t(4)} W2026/12/06 13:00:04 topic[grpB]: failed to save message: Error 1213: Deadlock found`,
            refused(t(5), "grpC", "PRIMARY"),
        ].join("\n");
        expect(Object.fromEntries(script.staleTopics(text))).to.deep.equal({ grpA: { failures: 2, last: at(2) } });
    });

    it("names the pod whose topic failed the threshold times, the last one recent; else nothing", () => {
        const three = [refused(t(1), "grpA"), refused(t(2), "grpA"), refused(t(9), "grpA")].join("\n");
        const logs = new Map([
            ["chat-0", refused(t(9), "grpB")],
            ["chat-1", three],
        ]);
        expect(script.verdict(logs, 3, at(5))).to.deep.equal({ pod: "chat-1", topic: "grpA", failures: 3 });
        // Not enough failures, or none since the topic was last seen failing: it healed by itself.
        expect(script.verdict(logs, 4, at(5))).to.equal(undefined);
        expect(script.verdict(logs, 3, at(10))).to.equal(undefined);
    });
});
