import { expect } from "chai";
import { retention } from "../builders/retention";

describe("retention on destroy", () => {
    const base = { protectData: false, deleteDataOnDestroy: false, renderYamlTo: undefined };

    it("keeps the data in the cluster by default, without protecting anything", () => {
        expect(retention(base)).to.deep.equal({ keep: {}, keepData: { retainOnDelete: true } });
    });

    it("deletes it only when the stack opts in, and keeps nothing of a rendering stack", () => {
        expect(retention({ ...base, deleteDataOnDestroy: true })).to.deep.equal({ keep: {}, keepData: {} });
        expect(retention({ ...base, renderYamlTo: "out" })).to.deep.equal({ keep: {}, keepData: {} });
    });

    it("protects and keeps both levels with protectData, whatever else is set", () => {
        const both = { protect: true, retainOnDelete: true };
        expect(retention({ ...base, protectData: true })).to.deep.equal({ keep: both, keepData: both });
        expect(retention({ ...base, protectData: true, deleteDataOnDestroy: true })).to.deep.equal({ keep: both, keepData: both });
    });
});
