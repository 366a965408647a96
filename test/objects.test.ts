import { expect } from "chai";
import { opaqueSecretArgs, volumeClaimArgs } from "../builders/objects";
import { CLAIM_AWAIT_ANNOTATIONS } from "../builders/rollout";
import { OWNER_ANNOTATION } from "../config/clusterOwners";

describe("shared object shapes (builder)", () => {
    it("makes a volume claim with claim labels (no version), the rollout's await and the owning stack", () => {
        const claim = volumeClaimArgs("chat", { namespace: "ns", owner: "org/tinode/prod" }, "chat-media", "server", {
            accessMode: "ReadWriteMany",
            storageClass: "nfs",
            storageSize: "5Gi",
        }) as any;
        expect(claim.metadata.name).to.equal("chat-media");
        expect(claim.metadata.labels).to.not.have.property("app.kubernetes.io/version");
        expect(claim.metadata.labels["app.kubernetes.io/component"]).to.equal("server");
        expect(claim.metadata.annotations).to.deep.equal({ ...CLAIM_AWAIT_ANNOTATIONS, [OWNER_ANNOTATION]: "org/tinode/prod" });
        expect(claim.spec).to.deep.equal({
            accessModes: ["ReadWriteMany"],
            storageClassName: "nfs",
            resources: { requests: { storage: "5Gi" } },
        });
        // No owner: no annotation of it; no class: the cluster's default.
        const plain = volumeClaimArgs("chat", { namespace: "ns" }, "c", "backup", {
            accessMode: "ReadWriteOnce",
            storageSize: "1Gi",
        }) as any;
        expect(plain.metadata.annotations).to.deep.equal(CLAIM_AWAIT_ANNOTATIONS);
        expect(plain.spec.storageClassName).to.equal(undefined);
    });

    it("makes an Opaque Secret with its values as text and the component's labels", () => {
        const secret = opaqueSecretArgs("chat", { namespace: "ns" }, "chat-x", "db-init", "tinode/tinode-mysql:0.25.3", { a: "b" }) as any;
        expect(secret.type).to.equal("Opaque");
        expect(secret.stringData).to.deep.equal({ a: "b" });
        expect(secret.metadata).to.deep.include({ name: "chat-x", namespace: "ns" });
        expect(secret.metadata.labels["app.kubernetes.io/version"]).to.equal("0.25.3");
    });
});
