import { expect } from "chai";
import { keptOnDestroy, retention } from "../builders/retention";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

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

describe("what destroy says it keeps", () => {
    const names = objectNames("tinode");
    const kept = (values: Record<string, string>) => keptOnDestroy("tinode", names, settingsWith(values));

    it("names the namespace, every data claim and the data Secrets, and the command that deletes them", () => {
        expect(kept({ mediaHandler: "fs" })).to.equal(
            "kept in the cluster: namespace tinode with claims data-tinode-mysql-0, tinode-media, tinode-schema-dumps and Secrets tinode-config, tinode-mysql-credentials (passwords, UID key); to take them over again: scripts/adopt-kept-data.sh; to delete them: kubectl delete namespace tinode",
        );
    });

    it("deletes by label in a namespace the stack did not make, and lists only the claims that exist", () => {
        const s = kept({
            createNamespace: "false",
            namespace: "chat",
            mysqlExternalHost: "db.example",
            mysqlExternalUser: "chat",
            mysqlExternalPassword: "pw",
            backupSchedule: "0 3 * * *",
            backupDestination: "volume",
        });
        expect(s).to.match(/^kept in the cluster: claims tinode-backups, tinode-schema-dumps and Secrets tinode-config \(/);
        expect(s).to.contain("kubectl delete pvc,secret -n chat -l app.kubernetes.io/instance=tinode");
    });

    it("with deleteDataOnDestroy keeps nothing, but MySQL's claim in a namespace the stack did not make", () => {
        expect(kept({ deleteDataOnDestroy: "true" })).to.equal("nothing: deleteDataOnDestroy deletes namespace tinode with the data in it");
        expect(kept({ deleteDataOnDestroy: "true", createNamespace: "false" })).to.contain(
            "kubectl delete pvc -n tinode data-tinode-mysql-0",
        );
        const external = { mysqlExternalHost: "db.example.com", mysqlExternalUser: "chat", mysqlExternalPassword: "pw" };
        expect(kept({ ...external, deleteDataOnDestroy: "true", createNamespace: "false" })).to.equal(
            "nothing: deleteDataOnDestroy deletes the claims and Secrets with the stack",
        );
    });

    it("says protectData stops destroy first, and that a rendering stack keeps nothing", () => {
        expect(kept({ protectData: "true", deleteDataOnDestroy: "true" })).to.match(
            /^protectData: .*pulumi state unprotect --all.*kubectl delete namespace tinode$/,
        );
        expect(kept({ renderYamlTo: "out" })).to.equal("nothing: this stack renders files and holds no data");
    });
});
