import { expect } from "chai";
import { configErrorFor, settingsWith } from "./helpers";

describe("readSettings: production options", () => {
    it("defaults: isolation on, ClusterIP, no ingress, no uploads, nothing protected, no scheduling constraints", () => {
        const s = settingsWith();
        expect(s.networkPolicies).to.equal(true);
        expect(s.serviceType).to.equal("ClusterIP");
        expect(s.ingress).to.equal(undefined);
        expect(s.media).to.deep.equal({ handler: "none" });
        expect(s.protectData).to.equal(false);
        expect(s.scheduling).to.deep.equal({ priorityClassName: undefined, nodeSelector: {}, tolerations: [] });
    });

    describe("ingress", () => {
        it("refuses a host without TLS unless TLS is said to end upstream", () => {
            expect(configErrorFor({ ingressHost: "chat.example.com" })).to.contain(
                "tinode:ingressHost has no TLS, so logins would cross the network in clear text: set tinode:ingressClusterIssuer (cert-manager) or tinode:ingressTlsSecret, or, if a load balancer or proxy in front of the Ingress ends TLS, set tinode:ingressTlsTerminatedUpstream true",
            );
            expect(configErrorFor({ ingressHost: "chat.example.com", ingressTlsTerminatedUpstream: "true" })).to.equal("");
            expect(configErrorFor({ ingressHost: "chat.example.com", ingressTlsSecret: "tls" })).to.equal("");
            expect(
                configErrorFor({ ingressHost: "chat.example.com", ingressTlsSecret: "tls", ingressTlsTerminatedUpstream: "true" }),
            ).to.contain(
                "tinode:ingressTlsTerminatedUpstream says TLS ends before the Ingress, but tinode:ingressTlsSecret or tinode:ingressClusterIssuer configures TLS on it: remove one of them",
            );
            expect(configErrorFor({ ingressTlsTerminatedUpstream: "true" })).to.contain(
                "tinode:ingressTlsTerminatedUpstream needs tinode:ingressHost",
            );
            // Pulumi.yaml's default (false) is not "set".
            expect(configErrorFor({ ingressTlsTerminatedUpstream: "false" })).to.equal("");
        });

        it("refuses an upper-case host instead of passing it on to the API server", () => {
            expect(configErrorFor({ ingressHost: "Chat.Example.com", ingressClusterIssuer: "le" })).to.contain(
                'tinode:ingressHost must be lower case (the API server refuses upper-case hosts): use "chat.example.com" (got "Chat.Example.com")',
            );
            expect(configErrorFor({ ingressHost: `${"a".repeat(64)}.example.com`, ingressClusterIssuer: "le" })).to.contain(
                "tinode:ingressHost must be a DNS name whose labels are at most 63 characters",
            );
        });

        it("leaves the TLS secret to the names module when cert-manager issues the certificate", () => {
            expect(settingsWith({ ingressHost: "chat.example.com", ingressClusterIssuer: "letsencrypt" }).ingress).to.deep.equal({
                host: "chat.example.com",
                className: undefined,
                tlsSecret: undefined,
                clusterIssuer: "letsencrypt",
            });
        });

        it("rejects ingress details without a host, and a host that is not one", () => {
            expect(configErrorFor({ ingressTlsSecret: "tls" })).to.contain(
                "tinode:ingressTlsSecret needs tinode:ingressHost: set the host, or remove this key",
            );
            expect(configErrorFor({ ingressHost: "chat", ingressTlsSecret: "tls" })).to.contain(
                'tinode:ingressHost must be a fully qualified host name such as chat.example.com (got "chat")',
            );
        });

        it("rejects an unknown service type", () => {
            expect(configErrorFor({ serviceType: "ExternalName" })).to.contain(
                'tinode:serviceType must be one of ClusterIP, NodePort, LoadBalancer (got "ExternalName")',
            );
        });
    });

    describe("media", () => {
        it("fs: a shared volume of the given size and class", () => {
            expect(settingsWith({ mediaHandler: "fs", mediaStorageClass: "nfs", mediaMaxUploadMb: "64" }).media).to.deep.equal({
                handler: "fs",
                maxUploadBytes: 64 * 1024 * 1024,
                accessMode: "ReadWriteMany",
                storageSize: "20Gi",
                storageClass: "nfs",
            });
        });

        it("rejects a ReadWriteOnce volume for several replicas, allows it for one", () => {
            expect(configErrorFor({ mediaHandler: "fs", mediaAccessMode: "ReadWriteOnce" })).to.contain(
                "tinode:mediaAccessMode is ReadWriteOnce, which 3 Tinode nodes cannot share: use ReadWriteMany (with a storage class that offers it), tinode:mediaHandler s3, or tinode:replicas 1",
            );
            expect(configErrorFor({ mediaHandler: "fs", mediaAccessMode: "ReadWriteOnce", replicas: "1" })).to.equal("");
        });

        it("s3: requires bucket, region and credentials, and never echoes the secret", () => {
            const msg = configErrorFor({ mediaHandler: "s3", mediaS3Bucket: "chat-uploads" });
            expect(msg).to.contain("tinode:mediaS3Region is required with tinode:mediaHandler s3");
            expect(msg).to.contain("tinode:mediaS3AccessKeyId is required with tinode:mediaHandler s3");
            expect(msg).to.contain("tinode:mediaS3SecretAccessKey is required with tinode:mediaHandler s3 (set it with --secret)");
            const s = settingsWith({
                mediaHandler: "s3",
                mediaS3Bucket: "chat-uploads",
                mediaS3Region: "eu-west-1",
                mediaS3AccessKeyId: "id",
                mediaS3SecretAccessKey: "sk",
            });
            expect(s.media).to.deep.include({
                handler: "s3",
                bucket: "chat-uploads",
                region: "eu-west-1",
                accessKeyId: "id",
                secretAccessKey: "sk",
            });
        });

        it("refuses an S3 endpoint that is not a usable URL instead of crashing later", () => {
            const s3 = {
                mediaHandler: "s3",
                mediaS3Bucket: "chat-uploads",
                mediaS3Region: "eu-central-1",
                mediaS3AccessKeyId: "i",
                mediaS3SecretAccessKey: "k",
            };
            for (const bad of [
                "http://minio:99999",
                "http://minio:0",
                "minio:9000",
                "ftp://minio",
                "http://",
                "https://user:pw@s3.example.com",
                "https://s3.example.com/bucket",
            ]) {
                expect(configErrorFor({ ...s3, mediaS3Endpoint: bad }), bad).to.match(/tinode:mediaS3Endpoint must/);
            }
            expect(configErrorFor({ ...s3, mediaS3Endpoint: "http://minio:99999" })).to.contain(
                'tinode:mediaS3Endpoint must be an http(s) URL of the server, without a path, such as https://s3.example.com or http://minio.storage:9000 (ports 1-65535) (got "http://minio:99999")',
            );
            expect(configErrorFor({ ...s3, mediaS3Endpoint: "http://minio.storage:9000" })).to.equal("");
        });

        it("rejects settings of one handler next to another", () => {
            expect(configErrorFor({ mediaS3Bucket: "chat-uploads" })).to.contain(
                "tinode:mediaS3Bucket does nothing unless tinode:mediaHandler is s3",
            );
            expect(
                configErrorFor({
                    mediaHandler: "s3",
                    mediaStorageSize: "5Gi",
                    mediaS3Bucket: "chat-uploads",
                    mediaS3Region: "eu-central-1",
                    mediaS3AccessKeyId: "i",
                    mediaS3SecretAccessKey: "k",
                }),
            ).to.contain("tinode:mediaStorageSize does nothing unless tinode:mediaHandler is fs");
            expect(configErrorFor({ mediaMaxUploadMb: "8" })).to.contain(
                "tinode:mediaMaxUploadMb does nothing unless tinode:mediaHandler is fs or s3",
            );
            expect(configErrorFor({ mediaHandler: "ftp" })).to.contain('tinode:mediaHandler must be one of none, fs, s3 (got "ftp")');
        });
    });

    describe("scheduling", () => {
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
});
