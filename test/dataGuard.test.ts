import { expect } from "chai";
import { checkDataChanges, DataIdentity, dataChangeProblems, dataIdentity } from "../config/dataGuard";
import { ConfigError } from "../config/reader";
import { configErrorFor, settingsWith, source } from "./helpers";

const identityOf = (values: Record<string, string> = {}): DataIdentity => dataIdentity(settingsWith(values), source(values));
/** The problems of changing a stack deployed with `before` to `after`. */
const change = (before: Record<string, string>, after: Record<string, string>, accepted: string[] = []) =>
    dataChangeProblems(identityOf(before), identityOf(after), accepted);

const s3 = { mediaHandler: "s3", mediaS3Bucket: "b", mediaS3Region: "r", mediaS3AccessKeyId: "i", mediaS3SecretAccessKey: "k" };
const dsn = "u:p@tcp(db.example:3306)/tinode?parseTime=true";

describe("data guard", () => {
    it("describes what holds the data, and nothing secret", () => {
        expect(identityOf()).to.deep.equal({
            namespace: "tinode",
            createNamespace: true,
            mysql: { kind: "internal" },
            deployedMysql: { database: "tinode", user: "tinode", storageClass: "", storageSize: "10Gi" },
            media: { handler: "none" },
            schemaDumpStorageSize: "10Gi",
        });
        expect(JSON.stringify(identityOf({ mysqlExternalDsn: dsn }))).not.to.contain("u:p");
        expect(identityOf({ mysqlExternalHost: "db", mysqlExternalUser: "u", mysqlExternalPassword: "pw" }).mysql).to.deep.include({
            via: "mysqlExternalHost",
        });
    });

    it("lets a new stack, an old stack without an identity, and changes that keep data through", () => {
        expect(dataChangeProblems(undefined, identityOf(), [])).to.deep.equal([]);
        expect(dataChangeProblems({ something: "else" }, identityOf(), [])).to.deep.equal([]);
        expect(change({}, { replicas: "5", image: "tinode/tinode-mysql:0.25.4", mysqlStorageSize: "20Gi" })).to.deep.equal([]);
        expect(change({ mysqlExternalDsn: dsn }, { mysqlExternalDsn: dsn.replace("u:p", "u:other") })).to.deep.equal([]);
        expect(change({ mediaHandler: "fs" }, { mediaHandler: "fs", mediaStorageSize: "40Gi" })).to.deep.equal([]);
        expect(change({}, s3)).to.deep.equal([]);
    });

    it("refuses a new namespace, naming the key, what happens and how to do it safely", () => {
        expect(change({}, { namespace: "chat" })).to.deep.equal([
            'tinode:namespace changed from "tinode" to "chat": everything would be created anew there with an empty database, and namespace "tinode" deleted with the MySQL and upload volumes in it (see README, "Operations that touch data"; once the data is safe, accept it with: pulumi config set tinode:acceptDataChange namespace)',
        ]);
        expect(change({ namespace: "a", createNamespace: "false" }, { namespace: "b", createNamespace: "false" })[0]).not.to.contain(
            "deleted",
        );
        expect(change({}, { namespace: "chat", acceptDataChange: "namespace" }, ["namespace"])).to.deep.equal([]);
    });

    it("refuses handing a namespace this stack created over, until Pulumi forgets it", () => {
        expect(change({}, { createNamespace: "false" })[0]).to.contain(
            'tinode:createNamespace went from true to false: Pulumi would delete namespace "tinode", which this stack created, with the volumes in it',
        );
        expect(change({ createNamespace: "false" }, {})).to.deep.equal([]);
    });

    it("refuses moving between the deployed and an external MySQL, and between external servers or databases", () => {
        expect(change({}, { mysqlExternalDsn: dsn })[0]).to.match(
            /^tinode:mysqlExternalDsn moves Tinode from the MySQL this stack runs to an external one/,
        );
        const host = { mysqlExternalHost: "db", mysqlExternalUser: "u", mysqlExternalPassword: "pw" };
        expect(change(host, {})[0]).to.match(/^tinode:mysqlExternalHost moves Tinode from the external MySQL to one this stack runs/);
        expect(change(host, { ...host, mysqlExternalHost: "db2" })[0]).to.contain(
            "tinode:mysqlExternalHost moves Tinode from db:3306 to db2:3306",
        );
        expect(change(host, { ...host, mysqlDatabase: "chat" })[0]).to.contain(
            'tinode:mysqlDatabase changes the database from "tinode" to "chat"',
        );
        expect(change({ mysqlExternalDsn: dsn }, { mysqlExternalDsn: dsn.replace("/tinode", "/chat") })[0]).to.contain(
            'tinode:mysqlExternalDsn changes the database from "tinode" to "chat"',
        );
    });

    it("remembers the deployed MySQL's kept volume while an external one is used, and checks a switch back against it", () => {
        const internal = identityOf({ mysqlStorageSize: "20Gi", mysqlUser: "chat" });
        const external = dataIdentity(settingsWith({ mysqlExternalDsn: dsn }), source({ mysqlExternalDsn: dsn }), internal);
        expect(external.deployedMysql).to.deep.equal(internal.deployedMysql);
        const back = dataChangeProblems(external, identityOf(), ["mysqlExternalDsn"]);
        expect(back.map((p) => p.split(" ")[0])).to.deep.equal(["tinode:mysqlUser", "tinode:mysqlStorageSize"]);
        expect(
            dataChangeProblems(external, identityOf({ mysqlStorageSize: "20Gi", mysqlUser: "chat" }), ["mysqlExternalDsn"]),
        ).to.deep.equal([]);
    });

    it("refuses a new user, database or storage class for the deployed MySQL, and a smaller volume without a way around", () => {
        const problems = change({}, { mysqlUser: "chat", mysqlDatabase: "chat", mysqlStorageClass: "fast", mysqlStorageSize: "5Gi" });
        expect(problems.map((p) => p.split(" ")[0])).to.deep.equal([
            "tinode:mysqlDatabase",
            "tinode:mysqlUser",
            "tinode:mysqlStorageClass",
            "tinode:mysqlStorageSize",
        ]);
        expect(problems[1]).to.contain("MySQL creates its user only when its volume is new");
        expect(problems[3]).to.equal(
            'tinode:mysqlStorageSize went from 10Gi to 5Gi: Kubernetes cannot shrink a volume; keep 10Gi or more (see README, "Operations that touch data")',
        );
        // Shrinking cannot be accepted: listing it is itself a mistake.
        expect(() => configErrorFor({ acceptDataChange: "mysqlStorageSize" })).not.to.throw();
        expect(configErrorFor({ acceptDataChange: "mysqlStorageSize" })).to.contain(
            "tinode:acceptDataChange must list keys from: namespace,",
        );
    });

    it("refuses dropping or replacing the upload volume and leaving uploads behind in a bucket", () => {
        const fs = { mediaHandler: "fs" };
        expect(change(fs, {})[0]).to.contain(
            "tinode:mediaHandler went from fs to none: the upload volume would be deleted with the uploads on it",
        );
        expect(change(fs, { ...fs, mediaStorageClass: "nfs" })[0]).to.match(
            /^tinode:mediaStorageClass changed: the upload volume would be replaced/,
        );
        expect(change({ ...fs, replicas: "1" }, { ...fs, replicas: "1", mediaAccessMode: "ReadWriteOnce" })[0]).to.match(
            /^tinode:mediaAccessMode/,
        );
        expect(change(fs, { ...fs, mediaStorageSize: "1Gi" })[0]).to.match(/^tinode:mediaStorageSize went from 20Gi to 1Gi/);
        expect(change(s3, {})[0]).to.contain('the uploads in bucket "b" would no longer be served');
        expect(change(s3, { ...s3, mediaS3Bucket: "c" })[0]).to.match(/^tinode:mediaS3Bucket moves uploads from bucket "b" to "c"/);
        expect(change({}, { schemaDumpStorageSize: "1Gi" })[0]).to.match(/^tinode:schemaDumpStorageSize went from 10Gi to 1Gi/);
    });

    it("refuses dropping or replacing the backup volume, which holds the backups themselves", () => {
        const vol = { backupDestination: "volume" };
        expect(change({}, vol)).to.deep.equal([]);
        expect(change(vol, {})[0]).to.match(/^tinode:backupDestination no longer writes to the backup volume: its claim would be deleted/);
        expect(change(vol, {}, ["backupDestination"])).to.deep.equal([]);
        expect(change(vol, { ...vol, backupStorageClass: "fast" })[0]).to.match(
            /^tinode:backupStorageClass changed from "\(default\)" to "fast": the backup volume would be replaced/,
        );
        expect(change(vol, { ...vol, backupStorageSize: "1Gi" })[0]).to.match(/^tinode:backupStorageSize went from 20Gi to 1Gi/);
        expect(change(vol, { ...vol, backupStorageSize: "50Gi" })).to.deep.equal([]);
        // An identity exported before backups existed has no backup volume to protect.
        const old = identityOf(vol) as unknown as Record<string, unknown>;
        delete old.backupVolume;
        expect(dataChangeProblems(old, identityOf({}), [])).to.deep.equal([]);
    });

    it("refuses an acceptance that accepts nothing, so none is left lying around", () => {
        expect(change({}, {}, ["namespace"])).to.deep.equal([
            "tinode:acceptDataChange lists namespace, which does not change now: remove it (pulumi config rm tinode:acceptDataChange)",
        ]);
        expect(dataChangeProblems(undefined, identityOf(), ["mysqlUser"])[0]).to.contain("tinode:acceptDataChange lists mysqlUser");
        expect(settingsWith({ acceptDataChange: "namespace, mysqlUser" }).acceptDataChanges).to.deep.equal(["namespace", "mysqlUser"]);
    });

    it("throws one ConfigError with every problem", () => {
        try {
            checkDataChanges(identityOf(), identityOf({ namespace: "x", mediaHandler: "fs" }), []);
            expect.fail("no error");
        } catch (e) {
            expect(e).to.be.instanceOf(ConfigError);
            expect((e as ConfigError).problems).to.have.length(1);
        }
        expect(() => checkDataChanges(identityOf(), identityOf(), [])).not.to.throw();
    });
});
