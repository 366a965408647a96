import { expect } from "chai";
import { ConfigError } from "../config/reader";
import { PUBLISHED_API_KEY_SALT } from "../tinode/facts";
import { DEFAULTS } from "../config/defaults";
import { readSettings } from "../config/readSettings";
import { DEFAULT_RESOURCES } from "../config/resources";
import { configErrorFor, settingsWith, source } from "./helpers";

describe("readSettings", () => {
    it("gives a working 3-node cluster with no config at all", () => {
        const s = settingsWith();
        expect(s.replicas).to.equal(3);
        expect(s.namespace).to.equal("tinode");
        expect(s.image).to.equal(DEFAULTS.image);
        expect(s.apiKeySalt).to.equal(PUBLISHED_API_KEY_SALT);
        expect(s.mysql).to.deep.include({ kind: "internal", database: "tinode", user: "tinode", storageSize: "10Gi" });
        expect(s.resources).to.deep.equal(DEFAULT_RESOURCES);
        expect(s.sampleData).to.equal(false);
        expect(s.renderYamlTo).to.equal(undefined);
    });

    it("reads every value it is given", () => {
        const s = settingsWith({
            replicas: "5",
            namespace: "chat",
            clusterDomain: "k8s.example",
            heartbeatMs: "250",
            voteAfter: "4",
            nodeFailAfter: "9",
            sampleData: "true",
            mysqlStorageClass: "fast",
            resources: JSON.stringify({ tinode: { limits: { memory: "1Gi", cpu: "2" } } }),
        });
        expect(s.replicas).to.equal(5);
        expect(s.namespace).to.equal("chat");
        expect(s.clusterDomain).to.equal("k8s.example");
        expect(s.failover).to.deep.equal({ heartbeatMs: 250, voteAfter: 4, nodeFailAfter: 9 });
        expect(s.sampleData).to.equal(true);
        expect(s.mysql).to.deep.include({ storageClass: "fast" });
        expect(s.resources.tinode.limits).to.deep.equal({ memory: "1Gi", cpu: "2", "ephemeral-storage": "1Gi" });
        expect(s.resources.tinode.requests).to.deep.equal(DEFAULT_RESOURCES.tinode.requests);
    });

    it("treats an empty value as unset", () => {
        expect(settingsWith({ apiKeySalt: "", mysqlStorageClass: "" })).to.deep.include({ apiKeySalt: PUBLISHED_API_KEY_SALT });
    });

    describe("rejects bad replicas with a message naming the key and the range", () => {
        for (const bad of ["0", "-1", "2.5", "abc", "1024", "1e3"]) {
            it(`replicas ${JSON.stringify(bad)}`, () => {
                expect(configErrorFor({ replicas: bad })).to.equal(
                    `Invalid stack configuration:\n  - tinode:replicas must be a whole number from 1 to 1023 (got ${JSON.stringify(bad)})`,
                );
            });
        }
    });

    it("rejects failover timing that would crash or hang Tinode", () => {
        const msg = configErrorFor({ heartbeatMs: "0", voteAfter: "0", nodeFailAfter: "x" });
        expect(msg).to.contain('tinode:heartbeatMs must be a whole number from 10 to 60000 (got "0")');
        expect(msg).to.contain('tinode:voteAfter must be a whole number from 1 to 1000 (got "0")');
        expect(msg).to.contain('tinode:nodeFailAfter must be a whole number from 1 to 1000 (got "x")');
    });

    it("rejects an invalid storage quantity", () => {
        expect(configErrorFor({ mysqlStorageSize: "10GB" })).to.contain(
            'tinode:mysqlStorageSize must be a positive Kubernetes quantity such as 10Gi, 512Mi or 250m (got "10GB")',
        );
        expect(configErrorFor({ mysqlStorageSize: "0" })).to.contain("tinode:mysqlStorageSize must be a positive");
    });

    it("rejects unpinned images", () => {
        expect(configErrorFor({ image: "tinode/tinode-mysql" })).to.contain("tinode:image must be pinned");
        expect(configErrorFor({ image: "tinode/tinode-mysql:latest" })).to.contain("tinode:image must be pinned");
        expect(configErrorFor({ mysqlImage: "registry:5000/mysql" })).to.contain("tinode:mysqlImage must be pinned");
        expect(configErrorFor({ image: "registry:5000/tinode@sha256:" + "a".repeat(64) })).to.equal("");
    });

    it("rejects booleans, enums, names and domains that are not", () => {
        const msg = configErrorFor({ sampleData: "yes", imagePullPolicy: "always", namespace: "Tinode", clusterDomain: "bad_domain" });
        expect(msg).to.contain('tinode:sampleData must be true or false (got "yes")');
        expect(msg).to.contain('tinode:imagePullPolicy must be one of Always, IfNotPresent, Never (got "always")');
        expect(msg).to.contain("tinode:namespace must be a DNS label");
        expect(msg).to.contain("tinode:clusterDomain must be a DNS name");
    });

    it("refuses to create a built-in namespace", () => {
        expect(configErrorFor({ namespace: "default" })).to.contain(
            'tinode:createNamespace must be false when tinode:namespace is the built-in namespace "default"',
        );
        expect(configErrorFor({ namespace: "default", createNamespace: "false" })).to.equal("");
    });

    it("rejects a bad API key salt without echoing the secret", () => {
        const msg = configErrorFor({ apiKeySalt: "c2hvcnQ=" });
        expect(msg).to.contain("tinode:apiKeySalt must be standard base64 (with padding) of exactly 32 bytes");
        expect(msg).not.to.contain("c2hvcnQ=");
    });

    it("rejects unknown or malformed resources", () => {
        const msg = configErrorFor({
            resources: JSON.stringify({ tinod: {}, mysql: { limit: {} }, dbInit: { requests: { gpu: "1", memory: "lots" } } }),
        });
        expect(msg).to.contain("tinode:resources.tinod is not a container of this stack: use one of tinode, mysql, dbInit");
        expect(msg).to.contain("tinode:resources.mysql.limit is not known: use requests or limits");
        expect(msg).to.contain("tinode:resources.dbInit.requests.gpu is not known: use cpu, memory, ephemeral-storage");
        expect(msg).to.contain(
            'tinode:resources.dbInit.requests.memory must be a positive Kubernetes quantity such as 10Gi, 512Mi or 250m (got "lots")',
        );
        expect(configErrorFor({ resources: "[1]" })).to.contain("tinode:resources must be an object");
    });

    it("refuses requests above limits and fractional bytes, naming the value the user set", () => {
        expect(configErrorFor({ resources: JSON.stringify({ tinode: { limits: { memory: "100Mi" } } }) })).to.contain(
            'tinode:resources.tinode.limits.memory is below the request tinode:resources.tinode.requests.memory (128Mi): Kubernetes refuses a limit below its request; raise the limit or lower the request (got "100Mi")',
        );
        expect(configErrorFor({ resources: JSON.stringify({ mysql: { requests: { cpu: "2" }, limits: { cpu: "1" } } }) })).to.contain(
            "tinode:resources.mysql.limits.cpu is below the request tinode:resources.mysql.requests.cpu (2)",
        );
        expect(configErrorFor({ resources: JSON.stringify({ dbInit: { requests: { memory: "1Gi" } } }) })).to.contain(
            'tinode:resources.dbInit.requests.memory is above the limit tinode:resources.dbInit.limits.memory (256Mi): Kubernetes refuses a request above its limit; lower the request or raise the limit (got "1Gi")',
        );
        expect(configErrorFor({ resources: JSON.stringify({ tinode: { limits: { memory: "512m" } } }) })).to.contain(
            "tinode:resources.tinode.limits.memory must be a whole number of bytes such as 512Mi or 10Gi ('m' means 1/1000: 512m is half a byte) (got \"512m\")",
        );
        expect(configErrorFor({ mysqlStorageSize: "1.5m" })).to.contain("tinode:mysqlStorageSize must be a whole number of bytes");
        // Equal is fine, and so are exact decimal fractions of a larger unit.
        expect(
            configErrorFor({
                resources: JSON.stringify({
                    tinode: { requests: { cpu: "0.5", memory: "1.5Gi" }, limits: { cpu: "500m", memory: "1536Mi" } },
                }),
            }),
        ).to.equal("");
    });

    it("refuses a cluster domain label longer than DNS allows", () => {
        expect(configErrorFor({ clusterDomain: `${"a".repeat(64)}.local` })).to.contain(
            "tinode:clusterDomain must be a DNS name whose labels are at most 63 characters",
        );
        expect(configErrorFor({ clusterDomain: `${"a".repeat(63)}.local` })).to.equal("");
    });

    it("refuses MySQL users and databases that MySQL or its image would refuse or that would expose the server", () => {
        expect(configErrorFor({ mysqlUser: "root" })).to.contain(
            'tinode:mysqlUser must not be root (the MySQL image creates root itself and refuses it here): use e.g. tinode (got "root")',
        );
        for (const db of ["mysql", "information_schema", "PERFORMANCE_SCHEMA", "sys"]) {
            expect(configErrorFor({ mysqlDatabase: db }), db).to.contain(
                `tinode:mysqlDatabase must not be a MySQL system schema (mysql, information_schema, performance_schema, sys): use a database of Tinode's own, e.g. tinode (got "${db}")`,
            );
        }
        expect(configErrorFor({ mysqlDatabase: "123" })).to.contain("tinode:mysqlDatabase must not be all digits");
        expect(configErrorFor({ mysqlExternalDsn: "u:p@tcp(db:3306)/mysql?parseTime=true" })).to.contain(
            'tinode:mysqlExternalDsn names the database "mysql", which must not be a MySQL system schema',
        );
    });

    it("reports every problem at once", () => {
        try {
            readSettings(source({ replicas: "0", heartbeatMs: "0", mysqlStorageSize: "x" }));
            expect.fail("readSettings accepted bad config");
        } catch (e) {
            expect(e).to.be.instanceOf(ConfigError);
            expect((e as ConfigError).problems).to.have.length(3);
        }
    });

    describe("external MySQL", () => {
        const dsn = "chat:s3cret@tcp(db.example:3307)/chat?parseTime=true";

        it("takes a DSN and deploys no MySQL", () => {
            const s = settingsWith({ mysqlExternalDsn: dsn });
            expect(s.mysql).to.deep.equal({ kind: "external", host: "db.example", port: 3307, database: "chat", dsn });
        });

        it("builds a DSN from host, user and password", () => {
            const s = settingsWith({ mysqlExternalHost: "db.example", mysqlExternalUser: "chat", mysqlExternalPassword: "pw" });
            expect(s.mysql).to.deep.equal({
                kind: "external",
                host: "db.example",
                port: 3306,
                database: "tinode",
                dsn: "chat:pw@tcp(db.example:3306)/tinode?parseTime=true&collation=utf8mb4_0900_ai_ci",
            });
        });

        it("accepts Pulumi.yaml's defaults for the deployed MySQL's keys", () => {
            const s = settingsWith({
                mysqlExternalDsn: dsn,
                mysqlImage: DEFAULTS.mysqlImage,
                mysqlStorageSize: "10Gi",
                mysqlUser: "tinode",
                mysqlExternalPort: "3306",
            });
            expect(s.mysql.kind).to.equal("external");
        });

        it("rejects a DSN together with a host", () => {
            expect(configErrorFor({ mysqlExternalDsn: dsn, mysqlExternalHost: "db" })).to.contain(
                "tinode:mysqlExternalDsn and tinode:mysqlExternalHost are both set: use either the DSN or host/user/password, not both",
            );
        });

        it("rejects settings of the deployed MySQL next to an external one", () => {
            expect(configErrorFor({ mysqlExternalDsn: dsn, mysqlStorageSize: "50Gi" })).to.contain(
                "tinode:mysqlStorageSize configures the MySQL this stack deploys, but an external MySQL is configured",
            );
        });

        it("rejects a host without credentials, and credentials without a host", () => {
            const msg = configErrorFor({ mysqlExternalHost: "db" });
            expect(msg).to.contain("tinode:mysqlExternalUser is required with tinode:mysqlExternalHost");
            expect(msg).to.contain("tinode:mysqlExternalPassword is required with tinode:mysqlExternalHost");
            expect(configErrorFor({ mysqlExternalPassword: "pw" })).to.contain(
                "tinode:mysqlExternalPassword is used only with tinode:mysqlExternalHost",
            );
        });

        it("accepts a DSN whose password holds '@', ':' or '/', as go-sql-driver does", () => {
            for (const pw of ["p@ss", "a:b@c", "x/y@z"]) {
                const dsn = `chat:${pw}@tcp(db.example:3307)/chat?parseTime=true`;
                expect(settingsWith({ mysqlExternalDsn: dsn }).mysql, pw).to.deep.equal({
                    kind: "external",
                    host: "db.example",
                    port: 3307,
                    database: "chat",
                    dsn,
                });
            }
        });

        it("refuses an external user with ':', which the DSN cannot carry", () => {
            expect(configErrorFor({ mysqlExternalHost: "db", mysqlExternalUser: "a:b", mysqlExternalPassword: "pw" })).to.equal(
                "Invalid stack configuration:\n  - tinode:mysqlExternalUser must not contain ':' (the DSN separates user and password at the first ':') (got \"a:b\")",
            );
        });

        it("rejects a DSN without parseTime=true and never echoes it", () => {
            const bad = "chat:s3cret@tcp(db:3306)/chat";
            const msg = configErrorFor({ mysqlExternalDsn: bad });
            expect(msg).to.contain("tinode:mysqlExternalDsn must include parseTime=true");
            expect(msg).not.to.contain("s3cret");
        });

        it("rejects a database name that contradicts the DSN", () => {
            expect(configErrorFor({ mysqlExternalDsn: dsn, mysqlDatabase: "other" })).to.contain(
                'tinode:mysqlDatabase must match the database named in tinode:mysqlExternalDsn ("chat")',
            );
        });
    });
});

describe("readSettings: values that used to pass and break later", () => {
    it("refuses a newline in a value that reaches a MySQL option file, without echoing a secret", () => {
        const msg = configErrorFor({
            mysqlExternalHost: "db",
            mysqlExternalUser: "u\ninit-command=DROP DATABASE tinode",
            mysqlExternalPassword: "p\nq",
        });
        expect(msg).to.contain("tinode:mysqlExternalUser must not contain control characters");
        expect(msg).to.contain("tinode:mysqlExternalPassword must not contain control characters");
        expect(msg).to.not.contain("p\nq");
    });

    it("refuses half bytes in backupStorageSize and a 64-character label in ingressGrpcHost, as in the other sizes and hosts", () => {
        expect(configErrorFor({ backupDestination: "volume", backupStorageSize: "512m" })).to.contain(
            "tinode:backupStorageSize must be a whole number of bytes",
        );
        const host = `${"g".repeat(64)}.example.com`;
        expect(configErrorFor({ ingressHost: "chat.example.com", ingressTlsTerminatedUpstream: "true", ingressGrpcHost: host })).to.contain(
            "tinode:ingressGrpcHost must be a DNS name whose labels are at most 63 characters",
        );
    });

    it("checks the media bucket, region and access key id as the backup's", () => {
        const msg = configErrorFor({
            mediaHandler: "s3",
            mediaS3Bucket: "Not_A_Bucket",
            mediaS3Region: "eu central",
            mediaS3AccessKeyId: "id with spaces",
            mediaS3SecretAccessKey: "k",
        });
        expect(msg).to.contain("tinode:mediaS3Bucket must be an S3 bucket name");
        expect(msg).to.contain("tinode:mediaS3Region must be a region name");
        expect(msg).to.contain("tinode:mediaS3AccessKeyId must be an access key id");
    });

    it("refuses an external DSN without a user (nobody could log in)", () => {
        expect(configErrorFor({ mysqlExternalDsn: "tcp(db:3306)/tinode?parseTime=true" })).to.contain("the user is missing");
    });

    it("refuses networkPolicies off with several replicas unless another layer isolates them, and sample users on a public stack", () => {
        expect(configErrorFor({ networkPolicies: "false" })).to.contain(
            "tinode:networkPolicies false leaves Tinode's cluster port (no authentication, no TLS) and MySQL open to every pod of the cluster: keep it true, or set tinode:networkIsolatedElsewhere true if another layer",
        );
        expect(configErrorFor({ networkPolicies: "false", networkIsolatedElsewhere: "true" })).to.equal("");
        expect(configErrorFor({ networkPolicies: "false", replicas: "1" })).to.equal("");
        expect(configErrorFor({ sampleData: "true", serviceType: "LoadBalancer" })).to.contain(
            "tinode:sampleData cannot be used with a public exposure (tinode:serviceType LoadBalancer)",
        );
        expect(configErrorFor({ sampleData: "true", ingressHost: "chat.example.com", ingressClusterIssuer: "le" })).to.contain(
            "tinode:sampleData cannot be used with a public exposure (tinode:ingressHost chat.example.com)",
        );
        expect(configErrorFor({ sampleData: "true" })).to.equal("");
    });

    it("production defaults: isolation on, ClusterIP, no ingress, no uploads, nothing protected, no scheduling constraints", () => {
        const s = settingsWith();
        expect(s.networkPolicies).to.equal(true);
        expect(s.serviceType).to.equal("ClusterIP");
        expect(s.ingress).to.equal(undefined);
        expect(s.media).to.deep.equal({ handler: "none" });
        expect(s.protectData).to.equal(false);
        expect(s.scheduling).to.deep.equal({ priorityClassName: undefined, nodeSelector: {}, tolerations: [] });
    });
});
