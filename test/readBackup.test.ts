import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { readSettings } from "../config/readSettings";
import { checkCronSchedule } from "../config/readBackup";
import { ConfigSource, isPulumiConfigSecret } from "../config/reader";
import { configErrorFor, settingsWith } from "./helpers";

/** A source that knows which keys were set with --secret, as the program's does. */
function withSecrets(values: Record<string, string>, secret: string[]): ConfigSource {
    return Object.assign((key: string) => values[key], { isSecret: (key: string) => secret.includes(key) });
}

function errorFor(src: ConfigSource): string {
    try {
        readSettings(src);
        return "";
    } catch (e) {
        return (e as Error).message;
    }
}

const S3 = {
    backupDestination: "s3",
    backupS3Bucket: "chat-backups",
    backupS3Prefix: "tinode/prod",
    backupS3Region: "eu-central-1",
    backupS3AccessKeyId: "AKIAEXAMPLE",
    backupS3SecretAccessKey: "wJalrXUtnFEMI",
};

describe("readSettings: backups", () => {
    it("are off by default", () => {
        expect(settingsWith().backup).to.equal(undefined);
    });

    it("volume: schedule, retention, size and class", () => {
        expect(
            settingsWith({
                backupDestination: "volume",
                backupSchedule: "30 2 * * MON-FRI",
                backupRetention: "3",
                backupStorageSize: "5Gi",
                backupStorageClass: "fast",
            }).backup,
        ).to.deep.equal({
            schedule: "30 2 * * MON-FRI",
            retention: 3,
            destination: { kind: "volume", storageSize: "5Gi", storageClass: "fast" },
        });
        expect(settingsWith({ backupDestination: "volume" }).backup).to.deep.equal({
            schedule: "0 3 * * *",
            retention: 7,
            destination: { kind: "volume", storageSize: "20Gi", storageClass: undefined },
        });
    });

    it("s3: bucket, prefix, region, endpoint and credentials set with --secret", () => {
        const s = readSettings(withSecrets({ ...S3, backupS3Endpoint: "http://minio.storage:9000" }, ["backupS3SecretAccessKey"]));
        expect(s.backup?.destination).to.deep.equal({
            kind: "s3",
            bucket: "chat-backups",
            prefix: "tinode/prod",
            region: "eu-central-1",
            endpoint: "http://minio.storage:9000",
            accessKeyId: "AKIAEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI",
            image: "amazon/aws-cli:2.22.35",
        });
    });

    it("refuses S3 credentials that were not set with --secret, without echoing them", () => {
        const msg = errorFor(withSecrets(S3, []));
        expect(msg).to.contain(
            "tinode:backupS3SecretAccessKey must be set with --secret: pulumi config set --secret tinode:backupS3SecretAccessKey <value>",
        );
        expect(msg).not.to.contain("wJalrXUtnFEMI");
        expect(errorFor(withSecrets(S3, ["backupS3SecretAccessKey"]))).to.equal("");
    });

    it("requires bucket, prefix, region and credentials with s3", () => {
        const msg = configErrorFor({ backupDestination: "s3" });
        for (const key of ["backupS3Bucket", "backupS3Prefix", "backupS3Region", "backupS3AccessKeyId"]) {
            expect(msg).to.contain(`tinode:${key} is required with tinode:backupDestination s3`);
        }
        expect(msg).to.contain("tinode:backupS3SecretAccessKey is required with tinode:backupDestination s3 (set it with --secret)");
    });

    it("rejects a malformed bucket, prefix, endpoint and an unpinned uploader image", () => {
        const msg = configErrorFor({
            ...S3,
            backupS3Bucket: "Chat_Backups",
            backupS3Prefix: "/tinode/",
            backupS3Endpoint: "minio:9000",
            backupS3Image: "amazon/aws-cli:latest",
        });
        expect(msg).to.contain(
            "tinode:backupS3Bucket must be an S3 bucket name: 3-63 lower-case letters, digits, '.' and '-' (got \"Chat_Backups\")",
        );
        expect(msg).to.contain("tinode:backupS3Prefix must be a key prefix such as tinode/prod");
        expect(msg).to.contain("tinode:backupS3Endpoint must be an http(s) URL of the server, without a path");
        expect(msg).to.contain("tinode:backupS3Image must be pinned to a version tag (not latest) or a digest");
    });

    it("rejects a bad volume size or class, and a bad region", () => {
        const msg = configErrorFor({ backupDestination: "volume", backupStorageSize: "lots", backupStorageClass: "Fast_SSD" });
        expect(msg).to.contain('tinode:backupStorageSize must be a positive Kubernetes quantity such as 10Gi, 512Mi or 250m (got "lots")');
        expect(msg).to.contain(
            'tinode:backupStorageClass must be a DNS name such as cluster.local: dot-separated lower-case labels (got "Fast_SSD")',
        );
        expect(configErrorFor({ ...S3, backupS3Region: "EU Central" })).to.contain(
            'tinode:backupS3Region must be a region name such as eu-central-1 (got "EU Central")',
        );
    });

    it("reports every backup problem at once", () => {
        const msg = configErrorFor({ backupDestination: "s3", backupSchedule: "daily", backupRetention: "0" });
        expect(msg.split("\n").filter((l) => l.includes("tinode:backup"))).to.have.length(7);
    });

    it("rejects retention below 1", () => {
        for (const bad of ["0", "-2", "1.5"]) {
            expect(configErrorFor({ backupDestination: "volume", backupRetention: bad })).to.contain(
                `tinode:backupRetention must be a whole number from 1 to 1000 (got "${bad}")`,
            );
        }
    });

    it("rejects a bad schedule with what it accepts", () => {
        expect(configErrorFor({ backupDestination: "volume", backupSchedule: "every night" })).to.contain(
            'tinode:backupSchedule must be a cron schedule: five fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *") or @hourly, @daily, @weekly, @monthly, @yearly (got "every night")',
        );
    });

    it("rejects an unknown destination, and backup keys that would do nothing", () => {
        expect(configErrorFor({ backupDestination: "nfs" })).to.contain(
            'tinode:backupDestination must be one of none, volume, s3 (got "nfs")',
        );
        const msg = configErrorFor({ backupSchedule: "@hourly", backupS3Bucket: "b" });
        expect(msg).to.contain("tinode:backupSchedule does nothing unless tinode:backupDestination is volume or s3");
        expect(msg).to.contain("tinode:backupS3Bucket does nothing unless tinode:backupDestination is s3");
        expect(configErrorFor({ ...S3, backupStorageSize: "1Gi" })).to.contain(
            "tinode:backupStorageSize does nothing unless tinode:backupDestination is volume",
        );
    });

    it("keeps the schedule without the spaces around it, and a prefix without a trailing '/' or a space", () => {
        expect(settingsWith({ backupDestination: "volume", backupSchedule: " 0 3 * * * " }).backup?.schedule).to.equal("0 3 * * *");
        // Dots inside a part are fine; a part that is only "." or ".." is a path trick, not a name.
        expect(configErrorFor({ ...S3, backupS3Prefix: "tinode/prod.v1/.hidden" })).to.equal("");
        for (const prefix of ["tinode/prod/", "tinode prod", "tinode/../prod", "./tinode"]) {
            expect(configErrorFor({ ...S3, backupS3Prefix: prefix }), prefix).to.equal(
                "Invalid stack configuration:\n  - tinode:backupS3Prefix must be a key prefix such as tinode/prod: letters, digits, '.', '_', '-' in '/'-separated parts, no leading or trailing '/'" +
                    ` (got ${JSON.stringify(prefix)})`,
            );
        }
    });

    it("backs up an external MySQL too", () => {
        const s = settingsWith({ mysqlExternalDsn: "u:p@tcp(db:3306)/tinode?parseTime=true", backupDestination: "volume" });
        expect(s.backup?.destination.kind).to.equal("volume");
    });
});

describe("isPulumiConfigSecret", () => {
    after(() => pulumi.runtime.setAllConfig({}, []));

    it("knows the keys the CLI says were set with --secret", () => {
        pulumi.runtime.setAllConfig({ "tinode:backupS3SecretAccessKey": "k", "tinode:backupS3AccessKeyId": "i" }, [
            "tinode:backupS3SecretAccessKey",
        ]);
        expect(isPulumiConfigSecret("tinode:backupS3SecretAccessKey")).to.equal(true);
        expect(isPulumiConfigSecret("tinode:backupS3AccessKeyId")).to.equal(false);
    });
});

describe("checkCronSchedule", () => {
    for (const good of [
        "0 3 * * *",
        "*/15 * * * *",
        "0 0-23/6 1,15 * ?",
        "5 4 * JAN-MAR sun",
        "0 2 * * 1-5",
        "@daily",
        "@hourly",
        " 0 3 * * * ",
        "0  3\t* * *",
        "*/1 * * * *",
        "0 3 * FEB-2 *",
        "0 3 * 3-MAR *",
    ]) {
        it(`accepts ${JSON.stringify(good)}`, () => {
            expect(checkCronSchedule(good)).to.equal(undefined);
        });
    }
    const bad: [string, string][] = [
        ["0 3 * *", "five fields"],
        ["0 3 * * * *", "five fields"],
        ["60 3 * * *", 'its minute field "60" is not valid (values 0-59)'],
        ["0 24 * * *", 'its hour field "24" is not valid (values 0-23)'],
        ["0 3 0 * *", 'its day of month field "0" is not valid (values 1-31)'],
        ["0 3 * 13 *", 'its month field "13" is not valid (values 1-12)'],
        ["0 3 * * 7", 'its day of week field "7" is not valid (values 0-6)'],
        ["*/0 * * * *", 'its minute field "*/0"'],
        ["5-1 * * * *", 'its minute field "5-1"'],
        ["@every 1h", "or @hourly"],
        ["@reboot", "or @hourly"],
        ["TZ=UTC 0 3 * * *", "five fields"],
        ["1e1 3 * * *", 'its minute field "1e1" is not valid (values 0-59)'],
        ["*/1e1 * * * *", 'its minute field "*/1e1" is not valid'],
        ["*/5/2 * * * *", 'its minute field "*/5/2" is not valid'],
        ["1-2-3 * * * *", 'its minute field "1-2-3" is not valid'],
        ["0 3 * MAR-2 *", 'its month field "MAR-2" is not valid (values 1-12)'],
    ];
    for (const [schedule, why] of bad) {
        it(`rejects ${JSON.stringify(schedule)}`, () => {
            expect(checkCronSchedule(schedule)).to.be.a("string").and.contain(why);
        });
    }
});
