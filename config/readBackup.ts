// Stack config for scheduled backups: off, to a volume claim of their own, or to an S3 bucket.
import {
    checkAccessKeyId,
    checkByteQuantity,
    checkDnsSubdomain,
    checkHttpUrl,
    checkPinnedImage,
    checkS3Bucket,
    checkS3Region,
} from "./checks";
import { DEFAULTS } from "./defaults";
import { ConfigReader } from "./reader";
import { BackupSettings } from "./settings";

/** The schedule macros Kubernetes' cron parser accepts (robfig/cron ParseStandard). */
const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

const CRON_FIELDS = [
    { name: "minute", min: 0, max: 59, names: [] as string[] },
    { name: "hour", min: 0, max: 23, names: [] },
    { name: "day of month", min: 1, max: 31, names: [] },
    { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
    { name: "day of week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

/**
 * A CronJob schedule Kubernetes accepts: five fields (minute hour day-of-month month day-of-week;
 * numbers, names, `*`, `?`, ranges, lists, steps) or a macro such as @daily. The API server would
 * refuse anything else only when the CronJob is created, halfway through an update.
 */
export function checkCronSchedule(v: string): string | undefined {
    const usage =
        'must be a cron schedule: five fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *") or @hourly, @daily, @weekly, @monthly, @yearly';
    const s = v.trim();
    if (s.startsWith("@")) return CRON_MACROS.includes(s) ? undefined : usage;
    const fields = s.split(/\s+/);
    if (fields.length !== 5) return usage;
    const value = (f: (typeof CRON_FIELDS)[number], t: string): number | undefined => {
        const byName = f.names.indexOf(t.toUpperCase());
        if (byName >= 0) return byName + f.min;
        if (!/^\d+$/.test(t)) return undefined;
        const n = Number(t);
        return n >= f.min && n <= f.max ? n : undefined;
    };
    for (let i = 0; i < 5; i++) {
        const f = CRON_FIELDS[i];
        for (const part of fields[i].split(",")) {
            const [range, step, extra] = part.split("/");
            const badStep = step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1);
            let ok = extra === undefined && !badStep;
            if (ok && range !== "*" && range !== "?") {
                const [lo, hi, more] = range.split("-");
                const a = value(f, lo);
                const b = hi === undefined ? a : value(f, hi);
                ok = more === undefined && a !== undefined && b !== undefined && a <= b;
            }
            if (!ok) return `${usage}; its ${f.name} field "${fields[i]}" is not valid (values ${f.min}-${f.max})`;
        }
    }
    return undefined;
}

function checkPrefix(v: string): string | undefined {
    return /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(v) && !v.split("/").some((p) => p === "." || p === "..")
        ? undefined
        : "must be a key prefix such as tinode/prod: letters, digits, '.', '_', '-' in '/'-separated parts, no leading or trailing '/'";
}

const VOLUME_KEYS = { backupStorageSize: DEFAULTS.backupStorageSize, backupStorageClass: "" };
const S3_KEYS = {
    backupS3Bucket: "",
    backupS3Prefix: "",
    backupS3Region: "",
    backupS3Endpoint: "",
    backupS3AccessKeyId: "",
    backupS3SecretAccessKey: "",
    backupS3Image: DEFAULTS.backupS3Image,
};
const COMMON_KEYS = { backupSchedule: DEFAULTS.backupSchedule, backupRetention: DEFAULTS.backupRetention };

export function readBackup(r: ConfigReader): BackupSettings | undefined {
    const kind = r.oneOf<"none" | "volume" | "s3">("backupDestination", DEFAULTS.backupDestination, ["none", "volume", "s3"]);
    if (kind !== "volume") r.unusedUnless(VOLUME_KEYS, "backupDestination", "volume");
    if (kind !== "s3") r.unusedUnless(S3_KEYS, "backupDestination", "s3");
    if (kind === "none") {
        r.unusedUnless(COMMON_KEYS, "backupDestination", "volume or s3");
        return undefined;
    }
    const schedule = r.string("backupSchedule", DEFAULTS.backupSchedule, checkCronSchedule).trim();
    const retention = r.integer("backupRetention", DEFAULTS.backupRetention, 1, 1000);
    if (kind === "volume") {
        return {
            schedule,
            retention,
            destination: {
                kind,
                storageSize: r.string("backupStorageSize", DEFAULTS.backupStorageSize, checkByteQuantity),
                storageClass: r.optionalString("backupStorageClass", checkDnsSubdomain),
            },
        };
    }
    const required = (key: string, check?: (v: string) => string | undefined) =>
        r.required(key, `${r.fullKey("backupDestination")} s3`, check);
    return {
        schedule,
        retention,
        destination: {
            kind,
            bucket: required("backupS3Bucket", checkS3Bucket),
            prefix: required("backupS3Prefix", checkPrefix),
            region: required("backupS3Region", checkS3Region),
            endpoint: r.optionalString("backupS3Endpoint", checkHttpUrl),
            accessKeyId: required("backupS3AccessKeyId", checkAccessKeyId),
            secretAccessKey: required("backupS3SecretAccessKey"),
            image: r.string("backupS3Image", DEFAULTS.backupS3Image, checkPinnedImage),
        },
    };
}
