import { expect } from "chai";
import { checkDataChanges, dataChangeNotices, dataChangeProblems, mysqlUpgrade } from "../config/dataGuard";
import { DataIdentity, dataIdentity, dataTarget, isIdentity, mysqlImageVersion } from "../config/dataIdentity";
import { ConfigError } from "../config/reader";
import { configErrorFor, KEPT, S3_MEDIA, settingsWith, source } from "./helpers";

const identityOf = (values: Record<string, string> = {}): DataIdentity => dataIdentity(settingsWith(values), source(values));
/** The problems of changing a stack deployed with `before` to `after`. */
const change = (before: Record<string, string>, after: Record<string, string>, accepted: string[] = []) =>
    dataChangeProblems(identityOf(before), identityOf(after), accepted);
/** The identity a release before data retention and targets exported: a cluster deployment that kept nothing. */
const legacyOf = (values: Record<string, string> = {}): Partial<DataIdentity> => {
    const identity: Partial<DataIdentity> = identityOf(values);
    delete identity.target;
    delete identity.keepsData;
    delete identity.keptSecrets;
    delete identity.deployedMysql?.image;
    return identity;
};
const fromLegacy = (before: Record<string, string>, after: Record<string, string>, accepted: string[] = []) =>
    dataChangeProblems(legacyOf(before), identityOf(after), accepted);
/** An identity deployed with these kubernetes:* provider settings. */
const onCluster = (kubernetes: Record<string, string>, values: Record<string, string> = {}) =>
    dataIdentity(
        settingsWith(values),
        source(values),
        undefined,
        dataTarget(settingsWith(values), (k) => kubernetes[k]),
    );

const s3 = S3_MEDIA;
const dsn = "u:p@tcp(db.example:3306)/tinode?parseTime=true";

describe("data guard", () => {
    it("describes what holds the data, and nothing secret", () => {
        expect(identityOf()).to.deep.equal({
            namespace: "tinode",
            createNamespace: true,
            mysql: { kind: "internal" },
            deployedMysql: { database: "tinode", user: "tinode", storageClass: "", storageSize: "10Gi", image: "mysql:8.4.6" },
            media: { handler: "none" },
            schemaDumpStorageSize: "10Gi",
            target: { kind: "cluster", provider: {} },
            keepsData: true,
            keptSecrets: false,
        });
        expect(identityOf({ deleteDataOnDestroy: "true" }).keepsData).to.equal(false);
        expect(identityOf({ deleteDataOnDestroy: "true", protectData: "true" }).keepsData).to.equal(true);
        expect(identityOf({ renderYamlTo: "out" })).to.deep.include({ target: { kind: "render" }, keepsData: false });
        // A kubeconfig may be the file's contents, credentials included: only a hash is exported.
        const kc = onCluster({ kubeconfig: "apiVersion: v1\nusers: [{name: a, user: {token: s3cr3t}}]", context: "prod" });
        const provider = kc.target?.kind === "cluster" ? kc.target.provider : {};
        expect(provider.context).to.equal("prod");
        expect(provider.kubeconfig).to.match(/^sha256:[0-9a-f]{16}$/);
        expect(JSON.stringify(kc)).not.to.contain("s3cr3t");
        expect(JSON.stringify(identityOf({ mysqlExternalDsn: dsn }))).not.to.contain("u:p");
        expect(identityOf({ mysqlExternalHost: "db", mysqlExternalUser: "u", mysqlExternalPassword: "pw" }).mysql).to.deep.include({
            via: "mysqlExternalHost",
        });
    });

    it("lets a new stack, an old stack without an identity, and changes that keep data through", () => {
        expect(dataChangeProblems(undefined, identityOf(), [])).to.deep.equal([]);
        // A change the caller found (index.ts: worker ids) is refused even without an identity, and accepted like the others.
        const found = [{ key: "replicas" as const, what: "(12) renames the nodes" }];
        expect(dataChangeProblems(undefined, identityOf(), [], "tinode", found)[0]).to.match(
            /^tinode:replicas \(12\) renames the nodes \(see README, "Operations that touch data"; once the data is safe, accept it with: pulumi config set tinode:acceptDataChange replicas\)$/,
        );
        expect(dataChangeProblems(undefined, identityOf(), ["replicas"], "tinode", found)).to.deep.equal([]);
        expect(dataChangeProblems(identityOf(), identityOf(), ["replicas"])[0]).to.contain("lists replicas, which does not change now");
        expect(dataChangeProblems({ something: "else" }, identityOf(), [])).to.deep.equal([]);
        expect(change({}, { replicas: "5", image: "tinode/tinode-mysql:0.25.4", mysqlStorageSize: "20Gi" })).to.deep.equal([]);
        expect(change({ mysqlExternalDsn: dsn }, { mysqlExternalDsn: dsn.replace("u:p", "u:other") })).to.deep.equal([]);
        expect(change({ mediaHandler: "fs" }, { mediaHandler: "fs", mediaStorageSize: "40Gi" })).to.deep.equal([]);
        expect(change({}, s3)).to.deep.equal([]);
    });

    it("refuses a new namespace, naming the key, what happens and how to do it safely", () => {
        expect(fromLegacy({}, { namespace: "chat" })).to.deep.equal([
            'tinode:namespace changed from "tinode" to "chat": everything would be created anew there with an empty database, and namespace "tinode" deleted with the MySQL, upload, backup and schema-dump volumes in it (see README, "Operations that touch data"; once the data is safe, accept it with: pulumi config set tinode:acceptDataChange namespace)',
        ]);
        // With createNamespace false the claims the stack made still go, with what is on them.
        expect(fromLegacy({ namespace: "a", createNamespace: "false" }, { namespace: "b", createNamespace: "false" })[0]).to.contain(
            'the upload, backup and schema-dump claims in "a" deleted',
        );
        // A deployment that kept data leaves the old namespace with everything in it.
        expect(change({}, { namespace: "chat" })[0]).to.contain(
            'namespace "tinode" would be left with the MySQL, upload, backup and schema-dump volumes and the Secrets in it (delete it by hand once the data is moved)',
        );
        expect(change({}, { namespace: "chat", acceptDataChange: "namespace" }, ["namespace"])).to.deep.equal([]);
    });

    it("refuses handing a namespace this stack created over unless the last deployment kept data, and taking one over", () => {
        expect(fromLegacy({}, { createNamespace: "false" })[0]).to.contain(
            'tinode:createNamespace went from true to false: Pulumi would delete namespace "tinode", which this stack created, with the volumes in it',
        );
        // Deployed with retention, Pulumi forgets the namespace and leaves it in the cluster.
        expect(change({}, { createNamespace: "false" })).to.deep.equal([]);
        expect(change({ deleteDataOnDestroy: "true" }, { createNamespace: "false" })[0]).to.contain("went from true to false");
        expect(change({ createNamespace: "false" }, {})[0]).to.contain(
            'tinode:createNamespace went from false to true: the stack would take over namespace "tinode", which it did not create and which may hold other applications',
        );
        expect(change({ createNamespace: "false" }, {}, ["createNamespace"])).to.deep.equal([]);
    });

    it("refuses rendering a stack that is deployed to a cluster, but not the other way round", () => {
        const msg = change({}, { renderYamlTo: "out" });
        expect(msg).to.have.length(1);
        expect(msg[0]).to.contain("tinode:renderYamlTo is set on a stack deployed to a cluster");
        expect(msg[0]).to.contain("pulumi stack init <name>");
        // An identity from before targets existed came from a cluster deployment (rendering exported none).
        expect(fromLegacy({}, { renderYamlTo: "out" })[0]).to.contain("tinode:renderYamlTo is set");
        // From rendered files to a cluster, and between renders, nothing is lost: no check applies.
        expect(change({ renderYamlTo: "out" }, {})).to.deep.equal([]);
        expect(change({ renderYamlTo: "out" }, { renderYamlTo: "out", namespace: "chat", mediaHandler: "fs" })).to.deep.equal([]);
        // Not acceptable: there is no safe way within the same stack.
        expect(change({}, { renderYamlTo: "out", acceptDataChange: "namespace" }, ["renderYamlTo"])[0]).to.contain("renderYamlTo is set");
    });

    it("refuses pointing the provider at another cluster, naming the kubernetes key", () => {
        const before = onCluster({ context: "prod" });
        const msgs = dataChangeProblems(before, onCluster({ context: "staging" }), []);
        expect(msgs).to.have.length(1);
        expect(msgs[0]).to.match(/^kubernetes:context changed from "prod" to "staging": the Kubernetes provider would be replaced/);
        expect(msgs[0]).to.contain("deploy a new stack there and restore a backup");
        expect(dataChangeProblems(before, onCluster({}), [])[0]).to.contain('kubernetes:context changed from "prod" to (not set)');
        expect(dataChangeProblems(onCluster({}), onCluster({ clusterIdentifier: "a" }), [])[0]).to.contain(
            "kubernetes:clusterIdentifier changed from (not set)",
        );
        const kube = dataChangeProblems(onCluster({ kubeconfig: "/a" }), onCluster({ kubeconfig: "/b" }), []);
        expect(kube[0]).to.contain("kubernetes:kubeconfig changed (another file or contents): the Kubernetes provider would be replaced");
        expect(dataChangeProblems(before, onCluster({ context: "prod" }), [])).to.deep.equal([]);
        // A legacy identity does not know its provider settings: nothing to compare.
        expect(dataChangeProblems(legacyOf(), onCluster({ context: "x" }), [])).to.deep.equal([]);
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
        expect(problems[0]).to.equal(
            'tinode:mysqlDatabase changed from "tinode" to "chat": MySQL granted the user only "tinode" when its volume was new, so the schema Job would fail and the data would stay in "tinode" (see README, "Operations that touch data"; once the data is safe, accept it with: pulumi config set tinode:acceptDataChange mysqlDatabase)',
        );
        expect(problems[2]).to.match(/^tinode:mysqlStorageClass changed from "\(default\)" to "fast": the volume claim keeps its class;/);
        expect(change({ mysqlStorageClass: "fast" }, {})[0]).to.match(/^tinode:mysqlStorageClass changed from "fast" to "\(default\)"/);
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
        expect(change(s3, {})[0]).to.contain('the uploads in bucket "chat-uploads" would no longer be served');
        expect(change(s3, { ...s3, mediaS3Bucket: "chat-other" })[0]).to.match(
            /^tinode:mediaS3Bucket moves uploads from bucket "chat-uploads" to "chat-other"/,
        );
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

    it("refuses switching between generated secrets and secrets taken over with kept data", () => {
        const kept = JSON.stringify(KEPT);
        expect(change({}, { keptSecrets: kept })[0]).to.match(/^tinode:keptSecrets was set on a stack that generated its secrets/);
        expect(change({ keptSecrets: kept }, {})[0]).to.match(/^tinode:keptSecrets was removed: the stack would generate a new UID key/);
        expect(change({ keptSecrets: kept }, { keptSecrets: kept })).to.deep.equal([]);
        // A stack destroyed (or lost) has no previous identity: taking the data over is allowed.
        expect(dataChangeProblems(undefined, identityOf({ keptSecrets: kept }), [])).to.deep.equal([]);
    });

    it("refuses a MySQL downgrade or another server on the data directory, allows upgrades with a warning", () => {
        expect(mysqlImageVersion("mysql:8.4.6")).to.deep.equal({ repository: "mysql", version: [8, 4] });
        expect(mysqlImageVersion("docker.io/library/mysql:9.1.0-oracle")).to.deep.equal({ repository: "mysql", version: [9, 1] });
        expect(mysqlImageVersion("reg.example:5000/db/mysql@sha256:" + "a".repeat(64))).to.deep.equal({
            repository: "reg.example:5000/db/mysql",
            version: undefined,
        });
        expect(change({}, { mysqlImage: "mysql:8.0.40" })[0]).to.match(
            /^tinode:mysqlImage goes back from 8\.4 to 8\.0: MySQL upgraded the data directory when 8\.4 started/,
        );
        expect(change({}, { mysqlImage: "mariadb:11.8.2" })[0]).to.match(/^tinode:mysqlImage changes the server from mysql to mariadb/);
        expect(change({}, { mysqlImage: "mysql:8.0.40" }, ["mysqlImage"])).to.deep.equal([]);
        // Patch releases, upgrades and an identity without the image pass.
        expect(change({}, { mysqlImage: "mysql:8.4.7" })).to.deep.equal([]);
        expect(change({}, { mysqlImage: "mysql:9.1.0" })).to.deep.equal([]);
        expect(dataChangeProblems(legacyOf(), identityOf({ mysqlImage: "mysql:8.0.40" }), [])).to.deep.equal([]);
        expect(dataChangeNotices(identityOf(), identityOf({ mysqlImage: "mysql:9.1.0" }))).to.deep.equal([
            'tinode:mysqlImage goes from mysql:8.4.6 to mysql:9.1.0: MySQL upgrades its data directory when the new pod starts and no older release can start on it again; a Job dumps the database with mysql:8.4.6 into the schema-dumps claim first, the way back (README, "Operations that touch data")',
        ]);
        expect(dataChangeNotices(identityOf(), identityOf({ mysqlImage: "mysql:8.4.7" }))).to.deep.equal([]);
    });

    it("asks for a dump before a newer MySQL release of the same image, and for nothing else", () => {
        const upgrade = (before: Record<string, string>, after: Record<string, string>) =>
            mysqlUpgrade(identityOf(before), identityOf(after));
        expect(upgrade({}, { mysqlImage: "mysql:9.1.0" })).to.deep.equal({ from: "mysql:8.4.6", to: "mysql:9.1.0" });
        expect(upgrade({ mysqlImage: "mysql:8.0.40" }, { mysqlImage: "docker.io/library/mysql:8.4.6" })).to.deep.equal({
            from: "mysql:8.0.40",
            to: "docker.io/library/mysql:8.4.6",
        });
        // A patch release, a downgrade (refused elsewhere), another server, a digest without a tag.
        expect(upgrade({}, { mysqlImage: "mysql:8.4.7" })).to.equal(undefined);
        expect(upgrade({ mysqlImage: "mysql:9.1.0" }, {})).to.equal(undefined);
        expect(upgrade({}, { mysqlImage: "mariadb:11.8.2" })).to.equal(undefined);
        expect(upgrade({}, { mysqlImage: "mysql@sha256:" + "a".repeat(64) })).to.equal(undefined);
        // No earlier deployment, an external MySQL now, or a rendering run on either side.
        expect(mysqlUpgrade(undefined, identityOf({ mysqlImage: "mysql:9.1.0" }))).to.equal(undefined);
        expect(upgrade({}, { mysqlExternalDsn: dsn, acceptDataChange: "mysqlExternalDsn" })).to.equal(undefined);
        const rendered = { ...identityOf({ mysqlImage: "mysql:9.1.0" }), target: { kind: "render" as const } };
        expect(mysqlUpgrade(identityOf(), rendered)).to.equal(undefined);
    });

    it("warns when fewer backups will be kept", () => {
        const b = { backupDestination: "volume" };
        expect(dataChangeNotices(identityOf({ ...b, backupRetention: "7" }), identityOf({ ...b, backupRetention: "3" }))).to.deep.equal([
            "tinode:backupRetention went from 7 to 3: the next backup deletes all but the newest 3 (up to 4 more than now); copy out the ones you want to keep first",
        ]);
        expect(dataChangeNotices(identityOf({ ...b, backupRetention: "3" }), identityOf({ ...b, backupRetention: "7" }))).to.deep.equal([]);
        expect(dataChangeNotices(undefined, identityOf(b))).to.deep.equal([]);
    });
});

describe("data guard, branch by branch", () => {
    const PROC = '(see README, "Operations that touch data")';
    const accept = (k: string) =>
        `(see README, "Operations that touch data"; once the data is safe, accept it with: pulumi config set tinode:acceptDataChange ${k})`;
    /** An identity without the parts older releases did not export, or a caller may leave out. */
    const without = (identity: DataIdentity, ...parts: (keyof DataIdentity)[]) => {
        const copy: Partial<DataIdentity> = { ...identity };
        for (const p of parts) delete copy[p];
        return copy as DataIdentity;
    };

    it("says in full why rendering a deployed stack is refused", () => {
        expect(change({}, { renderYamlTo: "out" })).to.deep.equal([
            `tinode:renderYamlTo is set on a stack deployed to a cluster: Pulumi would replace every object with a rendered copy and delete the originals in the cluster, the namespace and the data with them. Render from a stack of its own (pulumi stack init <name>, the same config, then tinode:renderYamlTo), and remove the key here: pulumi config rm tinode:renderYamlTo ${PROC}`,
        ]);
    });

    it("compares provider settings only when both deployments name them, and tolerates an identity without a target", () => {
        const prod = onCluster({ context: "prod" });
        expect(dataChangeProblems(prod, without(onCluster({ context: "x" }), "target"), [])).to.deep.equal([]);
        expect(dataChangeProblems(without(prod, "target"), without(identityOf(), "target"), [])).to.deep.equal([]);
        expect(dataChangeNotices(prod, without(identityOf(), "target"))).to.deep.equal([]);
        expect(mysqlUpgrade(prod, without(identityOf({ mysqlImage: "mysql:9.1.0" }), "target"))).to.deep.equal({
            from: "mysql:8.4.6",
            to: "mysql:9.1.0",
        });
        expect(mysqlUpgrade(without(prod, "target"), identityOf({ mysqlImage: "mysql:9.1.0" }))?.to).to.equal("mysql:9.1.0");
    });

    it("says whether a kubeconfig was set, unset or changed, and how to set a provider key back", () => {
        const kube = (before: Record<string, string>, after: Record<string, string>) =>
            dataChangeProblems(onCluster(before), onCluster(after), []);
        expect(kube({}, { kubeconfig: "/a" })[0]).to.match(/^kubernetes:kubeconfig changed \(it was not set\): /);
        expect(kube({ kubeconfig: "/a" }, {})[0]).to.match(/^kubernetes:kubeconfig changed \(it is no longer set\): /);
        expect(kube({ context: "prod" }, { context: "staging" })).to.deep.equal([
            `kubernetes:context changed from "prod" to "staging": the Kubernetes provider would be replaced, and with it every object of this stack: created anew where the new setting points (with an empty database) and deleted, with the data, where the old one did. Set it back (pulumi config set kubernetes:context ...); to move the chat to another cluster, deploy a new stack there and restore a backup ${PROC}`,
        ]);
        expect(kube({}, { context: "staging" })[0]).to.contain(
            "Set it back (pulumi config set kubernetes:context ..., or pulumi config rm kubernetes:context); to move",
        );
    });

    it("says in full why taking over a namespace is refused", () => {
        expect(change({ createNamespace: "false" }, {})).to.deep.equal([
            `tinode:createNamespace went from false to true: the stack would take over namespace "tinode", which it did not create and which may hold other applications, and a destroy with tinode:deleteDataOnDestroy would delete it with everything in it ${accept("createNamespace")}`,
        ]);
    });

    it("names the external key the operator set when moving to or from the deployed MySQL", () => {
        const host = { mysqlExternalHost: "db", mysqlExternalUser: "u", mysqlExternalPassword: "pw" };
        expect(change({}, host)).to.deep.equal([
            `tinode:mysqlExternalHost moves Tinode from the MySQL this stack runs to an external one, where init-db would create an empty database (the deployed MySQL's volume and passwords are kept); copy the database over first ${accept("mysqlExternalHost")}`,
        ]);
        expect(change({ mysqlExternalDsn: dsn }, {})).to.deep.equal([
            `tinode:mysqlExternalDsn moves Tinode from the external MySQL to one this stack runs, which starts empty (or with what an earlier switch left on its volume); copy the database over first ${accept("mysqlExternalDsn")}`,
        ]);
    });

    it("refuses another port of the same external server", () => {
        const host = { mysqlExternalHost: "db", mysqlExternalUser: "u", mysqlExternalPassword: "pw" };
        expect(change(host, { ...host, mysqlExternalPort: "3307" })).to.deep.equal([
            `tinode:mysqlExternalHost moves Tinode from db:3306 to db:3307; copy the database there first ${accept("mysqlExternalHost")}`,
        ]);
    });

    it("leaves the deployed MySQL's kept volume alone while an external MySQL is used", () => {
        // The volume is not in use: what the identity says about it changes nothing now.
        const external = identityOf({ mysqlExternalDsn: dsn });
        const kept = {
            ...external,
            deployedMysql: { database: "other", user: "other", storageClass: "x", storageSize: "1Gi", image: "mysql:9.1.0" },
        };
        const before = dataIdentity(settingsWith({ mysqlExternalDsn: dsn }), source({ mysqlExternalDsn: dsn }), identityOf());
        expect(dataChangeProblems(before, kept, [])).to.deep.equal([]);
        expect(mysqlUpgrade(before, kept)).to.equal(undefined);
        // Nor is there a dump to make when the deployed MySQL had no kept volume or an identity lacks its image.
        expect(mysqlUpgrade(external, identityOf({ mysqlImage: "mysql:9.1.0" }))).to.equal(undefined);
        expect(mysqlUpgrade(legacyOf(), identityOf({ mysqlImage: "mysql:9.1.0" }))).to.equal(undefined);
        expect(mysqlUpgrade(identityOf(), without(identityOf({ mysqlImage: "mysql:9.1.0" }), "deployedMysql"))).to.equal(undefined);
    });

    it("says in full why a MySQL downgrade is refused, and compares only versions it can read", () => {
        expect(change({}, { mysqlImage: "mysql:8.0.40" })).to.deep.equal([
            `tinode:mysqlImage goes back from 8.4 to 8.0: MySQL upgraded the data directory when 8.4 started and an older release cannot start on it; dump with the running 8.4, move the claim aside, let 8.0 start empty, restore ${accept("mysqlImage")}`,
        ]);
        expect(change({}, { mysqlImage: "mariadb:11.8.2" })[0]).to.equal(
            `tinode:mysqlImage changes the server from mysql to mariadb: the data directory on the volume was written by mysql and another server may not read it; dump, move the claim aside, let the new server start empty, restore ${accept("mysqlImage")}`,
        );
        // A digest has no version to compare, either way.
        const digest = "mysql@sha256:" + "a".repeat(64);
        expect(change({ mysqlImage: digest }, { mysqlImage: "mysql:8.0.40" })).to.deep.equal([]);
        expect(change({}, { mysqlImage: digest })).to.deep.equal([]);
    });

    it("reads MySQL versions the way registries spell images", () => {
        expect(mysqlImageVersion("library/mysql:8.4.6")).to.deep.equal({ repository: "mysql", version: [8, 4] });
        expect(mysqlImageVersion("docker.io/mysql:8.4.6")).to.deep.equal({ repository: "mysql", version: [8, 4] });
        expect(mysqlImageVersion("mariadb:10.11.6")).to.deep.equal({ repository: "mariadb", version: [10, 11] });
        expect(mysqlImageVersion("mysql:8.0.40")).to.deep.equal({ repository: "mysql", version: [8, 0] });
        // A tag that does not start with the version says nothing about it.
        expect(mysqlImageVersion("mysql:lts-8.4")).to.deep.equal({ repository: "mysql", version: undefined });
    });

    it("says in full why dropping uploads or changing their volume is refused", () => {
        const fs = { mediaHandler: "fs" };
        expect(change(fs, {})).to.deep.equal([
            `tinode:mediaHandler went from fs to none: the upload volume would be deleted with the uploads on it; copy them over first ${accept("mediaHandler")}`,
        ]);
        expect(change(S3_MEDIA, {})[0]).to.equal(
            `tinode:mediaHandler went from s3 to none: the uploads in bucket "chat-uploads" would no longer be served; copy them over first ${accept("mediaHandler")}`,
        );
        expect(change({ ...fs, replicas: "1" }, { ...fs, replicas: "1", mediaAccessMode: "ReadWriteOnce" })).to.deep.equal([
            `tinode:mediaAccessMode changed: the upload volume would be replaced (deleted first) with the uploads on it; copy them out first ${accept("mediaAccessMode")}`,
        ]);
        expect(change(fs, { ...fs, mediaStorageClass: "nfs" })).to.deep.equal([
            `tinode:mediaStorageClass changed: the upload volume would be replaced (deleted first) with the uploads on it; copy them out first ${accept("mediaStorageClass")}`,
        ]);
    });

    it("refuses another S3 endpoint as another bucket, and lets other S3 changes through", () => {
        expect(change(S3_MEDIA, { ...S3_MEDIA, mediaS3Region: "us-east-1" })).to.deep.equal([]);
        expect(change(S3_MEDIA, { ...S3_MEDIA, mediaS3Endpoint: "https://minio.example" })).to.deep.equal([
            `tinode:mediaS3Endpoint moves uploads from bucket "chat-uploads" at AWS S3 to "chat-uploads" at https://minio.example: the old uploads would no longer be served; copy them first ${accept("mediaS3Endpoint")}`,
        ]);
        expect(change(S3_MEDIA, { ...S3_MEDIA, mediaS3Bucket: "chat-other" })[0]).to.match(
            /^tinode:mediaS3Bucket moves uploads from bucket "chat-uploads" to "chat-other":/,
        );
        expect(change(S3_MEDIA, { ...S3_MEDIA, mediaS3Endpoint: "https://minio.example" }, ["mediaS3Endpoint"])).to.deep.equal([]);
    });

    it("does not let an acceptance through for the secrets switch, and names the backup classes both ways", () => {
        const kept = JSON.stringify(KEPT);
        expect(change({}, { keptSecrets: kept }, ["keptSecrets"])).to.deep.equal([
            `tinode:keptSecrets was set on a stack that generated its secrets: Tinode would get another UID key and MySQL other passwords than its data was made with; remove it (pulumi config rm tinode:keptSecrets) ${PROC}`,
            "tinode:acceptDataChange lists keptSecrets, which does not change now: remove it (pulumi config rm tinode:acceptDataChange)",
        ]);
        const vol = { backupDestination: "volume" };
        expect(change({ ...vol, backupStorageClass: "fast" }, vol)[0]).to.match(
            /^tinode:backupStorageClass changed from "fast" to "\(default\)": the backup volume would be replaced/,
        );
    });

    it("warns about fewer backups only when the number goes down, and never for rendered stacks", () => {
        const b = { backupDestination: "volume" };
        expect(dataChangeNotices(identityOf({ ...b, backupRetention: "7" }), identityOf({ ...b, backupRetention: "7" }))).to.deep.equal([]);
        expect(dataChangeNotices(identityOf(), identityOf({ ...b, backupRetention: "3" }))).to.deep.equal([]);
        const render = { renderYamlTo: "out" };
        const [seven, three] = [
            { ...b, backupRetention: "7" },
            { ...b, backupRetention: "3" },
        ];
        expect(dataChangeNotices(identityOf({ ...seven, ...render }), identityOf(three))).to.deep.equal([]);
        expect(dataChangeNotices(identityOf(seven), identityOf({ ...three, ...render }))).to.deep.equal([]);
        expect(dataChangeNotices(without(identityOf(seven), "target"), identityOf(three))).to.have.length(1);
        expect(mysqlUpgrade(identityOf(render), identityOf({ mysqlImage: "mysql:9.1.0" }))).to.equal(undefined);
    });

    it("records empty strings, not nothing, for the default media class and endpoint", () => {
        expect(identityOf(S3_MEDIA).media).to.deep.equal({ handler: "s3", bucket: "chat-uploads", endpoint: "" });
        expect(identityOf({ mediaHandler: "fs" }).media).to.deep.equal({
            handler: "fs",
            storageClass: "",
            accessMode: "ReadWriteMany",
            storageSize: "20Gi",
        });
    });

    it("takes only an object with a namespace, a mysql and a media part for a previous identity", () => {
        const full = { namespace: "tinode", mysql: {}, media: {} };
        expect(isIdentity(full)).to.equal(true);
        expect(isIdentity(null)).to.equal(false);
        expect(isIdentity("tinode")).to.equal(false);
        expect(isIdentity({ ...full, namespace: 1 })).to.equal(false);
        expect(isIdentity({ namespace: "tinode", media: {} })).to.equal(false);
        expect(isIdentity({ namespace: "tinode", mysql: {} })).to.equal(false);
        expect(dataChangeProblems(null, identityOf(), [])).to.deep.equal([]);
    });
});
