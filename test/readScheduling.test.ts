import { expect } from "chai";
import { configErrorFor, settingsWith } from "./helpers";

describe("readSettings: scheduling (config/readScheduling.ts)", () => {
    it("passes node selector, tolerations and priority class through", () => {
        const s = settingsWith({
            priorityClassName: "chat-critical",
            nodeSelector: JSON.stringify({ "kubernetes.io/os": "linux" }),
            tolerations: JSON.stringify([{ key: "dedicated", operator: "Equal", value: "chat", effect: "NoSchedule" }]),
        });
        expect(s.scheduling).to.deep.equal({
            priorityClassName: "chat-critical",
            nodeSelector: { "kubernetes.io/os": "linux" },
            tolerations: [{ key: "dedicated", operator: "Equal", value: "chat", effect: "NoSchedule" }],
        });
    });

    it("rejects malformed tolerations and node selectors", () => {
        const msg = configErrorFor({
            nodeSelector: JSON.stringify({ "bad key!": "x", zone: 3 }),
            tolerations: JSON.stringify([{ key: "a", effect: "Never" }, { keyy: "b" }, "c"]),
        });
        expect(msg).to.contain("tinode:nodeSelector.bad key! must be a label key such as kubernetes.io/os");
        expect(msg).to.contain("tinode:nodeSelector.zone must be a text value");
        expect(msg).to.contain('tinode:tolerations[0].effect must be NoSchedule, PreferNoSchedule or NoExecute (got "Never")');
        expect(msg).to.contain("tinode:tolerations[1] has unknown fields keyy");
        expect(msg).to.contain("tinode:tolerations[2] must be an object");
        expect(configErrorFor({ tolerations: "{}" })).to.contain("tinode:tolerations must be a list");
    });

    it("shows a refused toleration as JSON, and nothing for unknown fields", () => {
        expect(configErrorFor({ tolerations: JSON.stringify([["a"], { keyy: "b" }]) })).to.equal(
            [
                "Invalid stack configuration:",
                '  - tinode:tolerations[0] must be an object with key, operator, value, effect (got "[\\"a\\"]")',
                "  - tinode:tolerations[1] has unknown fields keyy: use key, operator, value, effect, tolerationSeconds",
            ].join("\n"),
        );
    });

    it("refuses what the API server refuses in node selectors and tolerations", () => {
        const msg = configErrorFor({
            nodeSelector: JSON.stringify({ zone: "x y", "-bad": "v", "example.com/ok": "fine" }),
            tolerations: JSON.stringify([
                { key: "a", operator: "Exists", value: "v" },
                { operator: "Equal", value: "v" },
                { key: "a", value: "v", effect: "NoSchedule", tolerationSeconds: 30 },
                { key: "a b", operator: "Exists" },
                { key: "a", value: "x y" },
                { key: "a", effect: "NoExecute", tolerationSeconds: "soon" },
            ]),
        });
        expect(msg).to.contain("tinode:nodeSelector.zone must be a label value: at most 63 letters, digits");
        expect(msg).to.contain("tinode:nodeSelector.-bad must be a label key such as kubernetes.io/os");
        expect(msg).not.to.contain("example.com/ok");
        expect(msg).to.contain('tinode:tolerations[0].value must be empty when operator is Exists: remove it, or use Equal (got "v")');
        expect(msg).to.contain(
            'tinode:tolerations[1].operator must be Exists when key is empty (a toleration without a key matches every taint) (got "Equal")',
        );
        expect(msg).to.contain(
            'tinode:tolerations[2].tolerationSeconds is allowed only with effect NoExecute (it bounds how long a pod stays after such a taint) (got "30")',
        );
        expect(msg).to.contain("tinode:tolerations[3].key must be a label key such as kubernetes.io/os");
        expect(msg).to.contain("tinode:tolerations[4].value must be a label value");
        expect(msg).to.contain('tinode:tolerations[5].tolerationSeconds must be a whole number of seconds (got "soon")');
    });

    it("accepts what the API server accepts, with tolerationSeconds as a number", () => {
        const s = settingsWith({
            nodeSelector: JSON.stringify({ "node.example.com/pool": "chat_1.a-b", empty: "" }),
            tolerations: JSON.stringify([
                { operator: "Exists" },
                { key: "dedicated", operator: "", value: "chat" },
                { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: "60" },
            ]),
        });
        expect(s.scheduling.tolerations[2].tolerationSeconds).to.equal(60);
        expect(s.scheduling.nodeSelector).to.deep.equal({ "node.example.com/pool": "chat_1.a-b", empty: "" });
    });
});
