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
        it("names its TLS secret when cert-manager issues the certificate", () => {
            expect(settingsWith({ ingressHost: "chat.example.com", ingressClusterIssuer: "letsencrypt" }).ingress).to.deep.equal({
                host: "chat.example.com",
                className: undefined,
                tlsSecret: "tinode-tls",
                clusterIssuer: "letsencrypt",
            });
        });

        it("rejects ingress details without a host, and a host that is not one", () => {
            expect(configErrorFor({ ingressTlsSecret: "tls" })).to.contain(
                "tinode:ingressTlsSecret needs tinode:ingressHost: set the host, or remove this key",
            );
            expect(configErrorFor({ ingressHost: "chat" })).to.contain(
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
            const msg = configErrorFor({ mediaHandler: "s3", mediaS3Bucket: "b" });
            expect(msg).to.contain("tinode:mediaS3Region is required with tinode:mediaHandler s3");
            expect(msg).to.contain("tinode:mediaS3AccessKeyId is required with tinode:mediaHandler s3");
            expect(msg).to.contain("tinode:mediaS3SecretAccessKey is required with tinode:mediaHandler s3 (set it with --secret)");
            const s = settingsWith({
                mediaHandler: "s3",
                mediaS3Bucket: "b",
                mediaS3Region: "eu-west-1",
                mediaS3AccessKeyId: "id",
                mediaS3SecretAccessKey: "sk",
            });
            expect(s.media).to.deep.include({ handler: "s3", bucket: "b", region: "eu-west-1", accessKeyId: "id", secretAccessKey: "sk" });
        });

        it("rejects settings of one handler next to another", () => {
            expect(configErrorFor({ mediaS3Bucket: "b" })).to.contain("tinode:mediaS3Bucket does nothing unless tinode:mediaHandler is s3");
            expect(
                configErrorFor({
                    mediaHandler: "s3",
                    mediaStorageSize: "5Gi",
                    mediaS3Bucket: "b",
                    mediaS3Region: "r",
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
            expect(msg).to.contain("tinode:nodeSelector.bad key! must be a label key with a text value");
            expect(msg).to.contain("tinode:nodeSelector.zone must be a label key with a text value");
            expect(msg).to.contain('tinode:tolerations[0].effect must be NoSchedule, PreferNoSchedule or NoExecute (got "Never")');
            expect(msg).to.contain("tinode:tolerations[1] has unknown fields keyy");
            expect(msg).to.contain("tinode:tolerations[2] must be an object");
            expect(configErrorFor({ tolerations: "{}" })).to.contain("tinode:tolerations must be a list");
        });
    });
});
