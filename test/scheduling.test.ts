import { expect } from "chai";
import { schedulingFields } from "../builders/scheduling";

describe("scheduling fields (builder)", () => {
    it("adds nothing for empty settings, so a pod spec without constraints is unchanged", () => {
        expect(schedulingFields({ priorityClassName: undefined, nodeSelector: {}, tolerations: [] })).to.deep.equal({});
    });

    it("passes each set field on as the pod spec's own", () => {
        const toleration = { key: "dedicated", operator: "Equal" as const, value: "chat", effect: "NoSchedule" as const };
        expect(
            schedulingFields({
                priorityClassName: "chat-critical",
                nodeSelector: { "kubernetes.io/os": "linux" },
                tolerations: [toleration],
            }),
        ).to.deep.equal({
            priorityClassName: "chat-critical",
            nodeSelector: { "kubernetes.io/os": "linux" },
            tolerations: [toleration],
        });
    });
});
