import { expect } from "chai";
import { configErrorFor, S3_MEDIA, settingsWith } from "./helpers";

describe("readSettings: media (config/readMedia.ts)", () => {
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
        const s3 = S3_MEDIA;
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

    it("refuses a CORS origin that is not text, even one that reads as an origin", () => {
        expect(configErrorFor({ mediaHandler: "fs", mediaCorsOrigins: JSON.stringify([["https://web.example.com"]]) })).to.contain(
            'tinode:mediaCorsOrigins[0] must be an origin such as https://chat.example.com (no path), https://*.example.com, or * alone (got "[\\"https://web.example.com\\"]")',
        );
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
