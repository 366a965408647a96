import { expect } from "chai";
import { objectNames } from "../builders/names";
import { mysqlStatefulSetArgs } from "../builders/mysql";
import { CLAIM_AWAIT_ANNOTATIONS, rolloutAwaitAnnotations, WAIT_FOR_ANNOTATION } from "../builders/rollout";
import { schemaDumpClaimArgs } from "../builders/schemaDump";
import { mediaVolumeClaimArgs } from "../builders/media";
import { backupVolumeClaimArgs } from "../builders/backup";
import { databaseTarget } from "../builders/database";
import { tinodeStatefulSetArgs } from "../builders/tinodeStatefulSet";
import { settingsWith } from "./helpers";

describe("rollout await (builders/rollout.ts)", () => {
    it("waits for every pod updated and ready, in the provider's waitFor list form", () => {
        const conditions = JSON.parse(rolloutAwaitAnnotations(5)[WAIT_FOR_ANNOTATION]) as string[];
        expect(conditions).to.deep.equal(["jsonpath={.status.updatedReplicas}=5", "jsonpath={.status.readyReplicas}=5"]);
    });

    it("is on the Tinode StatefulSet for its replica count and on MySQL's for one pod", () => {
        const s = settingsWith({ replicas: "5" });
        const names = objectNames("tinode");
        const tinode = tinodeStatefulSetArgs("tinode", names, s, databaseTarget(names, s), "sum") as any;
        expect(tinode.metadata.annotations[WAIT_FOR_ANNOTATION]).to.equal(rolloutAwaitAnnotations(5)[WAIT_FOR_ANNOTATION]);
        if (s.mysql.kind !== "internal") throw new Error("expected the deployed MySQL");
        const mysql = mysqlStatefulSetArgs("tinode", names, s, s.mysql) as any;
        expect(mysql.metadata.annotations[WAIT_FOR_ANNOTATION]).to.equal(rolloutAwaitAnnotations(1)[WAIT_FOR_ANNOTATION]);
        // The pod template does not carry it: adding it rolls no pod on an existing stack.
        expect(tinode.spec.template.metadata.annotations).to.not.have.property(WAIT_FOR_ANNOTATION);
    });
});

describe("volume claims the program creates", () => {
    it("are not awaited and carry no version label, so an upgrade leaves them alone", () => {
        const s = settingsWith({
            image: "tinode/tinode-mysql:0.25.4",
            mediaHandler: "fs",
            mediaAccessMode: "ReadWriteOnce",
            replicas: "1",
            backupDestination: "volume",
        });
        const names = objectNames("tinode");
        if (s.media.handler !== "fs" || s.backup?.destination.kind !== "volume") throw new Error("expected fs media and volume backups");
        const claims = [
            schemaDumpClaimArgs("tinode", names, s),
            mediaVolumeClaimArgs("tinode", names, s, s.media),
            backupVolumeClaimArgs("tinode", names, s, s.backup.destination),
        ] as any[];
        for (const claim of claims) {
            expect(claim.metadata.annotations, claim.metadata.name).to.deep.equal(CLAIM_AWAIT_ANNOTATIONS);
            expect(claim.metadata.labels, claim.metadata.name).to.not.have.property("app.kubernetes.io/version");
            expect(claim.metadata.labels["app.kubernetes.io/instance"]).to.equal("tinode");
        }
    });
});
