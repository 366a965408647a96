// Shared test helpers: plain config sources and settings.
import * as pulumi from "@pulumi/pulumi";
import { ConfigSource } from "../config/reader";
import { readSettings } from "../config/readSettings";
import { TinodeSettings } from "../config/settings";

/** A config source over a plain object of unprefixed keys. */
export function source(values: Record<string, string> = {}): ConfigSource {
    return (key) => values[key];
}

export function settingsWith(values: Record<string, string> = {}): TinodeSettings {
    return readSettings(source(values));
}

/** The ConfigError message readSettings throws for these values, or "" if none. */
export function configErrorFor(values: Record<string, string>): string {
    try {
        readSettings(source(values));
        return "";
    } catch (e) {
        return (e as Error).message;
    }
}

/** The smallest email verification settings the program accepts. */
/** Media on S3, every required key set (the secret one as a test source passes it: unchecked). */
export const S3_MEDIA = {
    mediaHandler: "s3",
    mediaS3Bucket: "chat-uploads",
    mediaS3Region: "eu-central-1",
    mediaS3AccessKeyId: "i",
    mediaS3SecretAccessKey: "k",
};

export const SMTP = { smtpHost: "smtp.example.com", sender: "Tinode <noreply@example.com>", hostUrl: "https://chat.example.com/" };
/** A service-account JSON of the shape Tinode's FCM handler needs (the key is not a real one). */
export const SERVICE_ACCOUNT = JSON.stringify({
    type: "service_account",
    project_id: "tinode-test",
    private_key: "-----BEGIN PRIVATE KEY-----\nMIIfake\n-----END PRIVATE KEY-----\n",
    client_email: "push@tinode-test.iam.gserviceaccount.com",
});

/** Secrets of kept data (tinode:keptSecrets), of the shapes the program generates (not real ones). */
export const KEPT = {
    uidKey: Buffer.alloc(16, 7).toString("base64"),
    tokenKey: Buffer.alloc(32, 9).toString("base64"),
    mysqlRootPassword: "KeptRootPassword123",
    mysqlPassword: "KeptUserPassword456",
};

/** The message a promise rejects with, or "" when it resolves. */
export function rejectionOf(p: Promise<unknown>): Promise<string> {
    return p.then(
        () => "",
        (e: Error) => e.message,
    );
}

/** The warnings the program prints through the SDK while `f` runs (the SDK's warn is swapped for it), optionally in a preview. */
export async function warningsOf(f: () => Promise<unknown>, preview = false): Promise<string[]> {
    const log = pulumi.log as unknown as { warn: (message: string) => Promise<void> };
    const runtime = pulumi.runtime as unknown as { isDryRun: () => boolean };
    const [warn, isDryRun, warnings] = [log.warn, runtime.isDryRun, [] as string[]];
    log.warn = (message: string) => Promise.resolve(void warnings.push(message));
    if (preview) runtime.isDryRun = () => true;
    try {
        await f();
    } finally {
        [log.warn, runtime.isDryRun] = [warn, isDryRun];
    }
    return warnings;
}
