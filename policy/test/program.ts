// The program's own resources, from its real builders and settings, shaped as the engine hands them
// to the pack (plain JSON: undefined fields gone). Passing cases for every rule come from here.
import { readFileSync, readdirSync } from "fs";
import * as yaml from "js-yaml";
import { join } from "path";
import { readSettings } from "../../config/readSettings";
import { TinodeSettings } from "../../config/settings";
import { backupCronJobArgs, backupScriptConfigMapArgs } from "../../builders/backup";
import { databaseTarget } from "../../builders/database";
import { dbInitJobArgs } from "../../builders/dbInitJob";
import { mysqlInitScriptsArgs, mysqlStatefulSetArgs } from "../../builders/mysql";
import { objectNames, resourceNames } from "../../builders/names";
import { tinodeStatefulSetArgs } from "../../builders/tinodeStatefulSet";
import { CONFIG_MAP, STATEFUL_SET } from "../rules";

export const ROOT = join(__dirname, "..", "..");
export const JOB = "kubernetes:batch/v1:Job";
export const CRON_JOB = "kubernetes:batch/v1:CronJob";

export interface Resource {
    name: string;
    type: string;
    props: Record<string, unknown>;
}

/** A deep copy as plain JSON, the way properties reach a policy. */
export function plain<T>(v: T): Record<string, unknown> {
    return JSON.parse(JSON.stringify(v));
}

/** Settings from config values given as the CLI hands them to the program (text; objects as JSON). */
export function settingsFrom(config: Record<string, unknown> = {}): TinodeSettings {
    return readSettings((key) => {
        const v = config[key];
        if (v === undefined) return undefined;
        return typeof v === "object" ? JSON.stringify(v) : String(v);
    });
}

/** The names of the program's one cluster ("tinode", as index.ts names it): resource and object names alike. */
export const N = objectNames("tinode");

/** The workloads and ConfigMaps the program builds for these settings, by Pulumi resource name. */
export function programResources(s: TinodeSettings, instance = "tinode"): Resource[] {
    const names = objectNames(instance);
    const target = databaseTarget(names, s);
    const resources: Resource[] = [
        { name: names.tinode, type: STATEFUL_SET, props: plain(tinodeStatefulSetArgs(instance, names, s, target, "0123456789abcdef")) },
        { name: names.dbInitJob, type: JOB, props: plain(dbInitJobArgs(instance, names, s, target)) },
    ];
    if (s.mysql.kind === "internal") {
        resources.push(
            { name: names.mysql, type: STATEFUL_SET, props: plain(mysqlStatefulSetArgs(instance, names, s, s.mysql)) },
            { name: names.mysqlInitScripts, type: CONFIG_MAP, props: plain(mysqlInitScriptsArgs(instance, names, s, s.mysql)) },
        );
    }
    if (s.backup) {
        const cronJob = backupCronJobArgs(instance, names, s, s.backup, target, "tinode/test", resourceNames(instance).uidKey);
        resources.push(
            { name: names.backup, type: CRON_JOB, props: plain(cronJob) },
            { name: names.backupScript, type: CONFIG_MAP, props: plain(backupScriptConfigMapArgs(instance, names, s)) },
        );
    }
    return resources;
}

export interface StackFile {
    stack: string;
    /** tinode:* keys without the namespace; encrypted values replaced by SECRET_STAND_INS. */
    config: Record<string, unknown>;
    /** Keys whose values are encrypted (`secure:`), which a test cannot read. */
    secureKeys: string[];
}

/** Stand-ins for encrypted stack values: valid for their key, so the settings still read. */
export const SECRET_STAND_INS: Record<string, string> = {
    apiKeySalt: Buffer.alloc(32, 7).toString("base64"),
    mysqlExternalDsn: "tinode:stand-in@tcp(mysql.example.com:3306)/tinode?parseTime=true",
    backupS3SecretAccessKey: "stand-in",
};

/** Every Pulumi.<stack>.yaml of the program. */
export function stackFiles(): StackFile[] {
    return readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => {
            const doc = (yaml.load(readFileSync(join(ROOT, m[0]), "utf8")) ?? {}) as { config?: Record<string, unknown> };
            const config: Record<string, unknown> = {};
            const secureKeys: string[] = [];
            for (const [key, value] of Object.entries(doc.config ?? {})) {
                if (!key.startsWith("tinode:")) continue;
                const k = key.slice("tinode:".length);
                if (value !== null && typeof value === "object" && "secure" in value) {
                    secureKeys.push(k);
                    config[k] = SECRET_STAND_INS[k] ?? "stand-in";
                } else config[k] = value;
            }
            return { stack: m[1], config, secureKeys };
        });
}

export function find(resources: Resource[], name: string): Resource {
    const r = resources.find((x) => x.name === name);
    if (r === undefined) throw new Error(`the program builds no ${name}`);
    return r;
}
