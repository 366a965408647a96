import { expect } from "chai";
import { ClusterFindings, ownerProblems } from "../config/clusterOwners";

describe("cluster owners (what a new stack may deploy over)", () => {
    const self = "org/tinode/beta";
    const other = "org/tinode/alpha";
    const s = { namespace: "tinode", createNamespace: true };
    const problems = (found: ClusterFindings, settings: { namespace: string; createNamespace: boolean; keptSecrets?: unknown } = s) =>
        ownerProblems(found, self, settings);

    it("lets a stack deploy where nothing is, or over what it made itself", () => {
        expect(problems({ claims: [] })).to.deep.equal([]);
        expect(problems({ namespace: { owner: self }, claims: [{ name: "data-tinode-mysql-0", owner: self }] })).to.deep.equal([]);
        const own = { namespace: {}, claims: [{ name: "data-tinode-mysql-0", owner: self }] };
        expect(problems(own, { ...s, createNamespace: false }), "its own claims in a namespace nobody wrote on").to.deep.equal([]);
    });

    it("refuses another stack's namespace, naming the owner, the key and both ways on", () => {
        const [p, ...rest] = problems({ namespace: { owner: other }, claims: [{ name: "data-tinode-mysql-0", owner: other }] });
        expect(rest, "the namespace's owner covers its claims").to.deep.equal([]);
        expect(p).to.match(/^tinode:namespace "tinode" belongs to stack org\/tinode\/alpha \(annotation tinode\.co\/stack\)/);
        expect(p).to.contain("pulumi config set tinode:namespace <name>");
        expect(p).to.contain("kubectl annotate namespace tinode tinode.co/stack=org/tinode/beta --overwrite");
    });

    it("refuses another stack's claims in a namespace nobody or this stack owns", () => {
        const found = { claims: [{ name: "tinode-media", owner: other }] };
        expect(problems({ namespace: {}, ...found }, { ...s, createNamespace: false })).to.deep.equal([
            'tinode:namespace "tinode" holds claim tinode-media of stack org/tinode/alpha: this stack would take over its data. Give this stack its own namespace; if stack org/tinode/alpha is gone for good and this one takes its data over: kubectl annotate pvc tinode-media -n tinode tinode.co/stack=org/tinode/beta --overwrite, then scripts/adopt-kept-data.sh (README, "Operations that touch data")',
        ]);
    });

    it("takes over a namespace nobody claims only when told it is not to be created", () => {
        expect(problems({ namespace: {}, claims: [] })[0]).to.match(/^tinode:namespace "tinode" exists and no stack wrote itself on it/);
        expect(problems({ namespace: {}, claims: [] }, { ...s, createNamespace: false })).to.deep.equal([]);
    });

    it("starts on unclaimed data only with that data's own secrets (keptSecrets)", () => {
        const found = { namespace: { owner: self }, claims: [{ name: "data-tinode-mysql-0" }] };
        expect(problems(found)[0]).to.contain("holds claim data-tinode-mysql-0, data of an earlier install that no stack claims");
        expect(problems(found)[0]).to.contain("scripts/adopt-kept-data.sh <stack> tinode");
        expect(problems(found, { ...s, keptSecrets: {} })).to.deep.equal([]);
        expect(problems({ namespace: {}, claims: [] }, { ...s, keptSecrets: {} })).to.deep.equal([]);
    });
});
