// tinode:keptSecrets: the generated secrets of data a stack takes over after `pulumi destroy` (which
// leaves the data in the cluster, builders/retention.ts) or lost state. scripts/adopt-kept-data.sh
// reads them from the kept Secrets and sets this key; the stack then uses them instead of generating
// new ones, so the kept database (its passwords) and its user ids (the UID key) stay usable.
import { TOKEN_KEY_BYTES, UID_KEY_BYTES } from "../tinode/facts";
import { checkBase64Bytes } from "./checks";
import { ConfigReader } from "./reader";
import { KeptSecrets } from "./settings";

const FIELDS: Record<keyof KeptSecrets, (v: string) => string | undefined> = {
    uidKey: checkBase64Bytes(UID_KEY_BYTES),
    tokenKey: checkBase64Bytes(TOKEN_KEY_BYTES),
    // The passwords this stack generates: letters and digits (they go into a DSN unescaped).
    mysqlRootPassword: (v) => (/^[A-Za-z0-9]{8,128}$/.test(v) ? undefined : "must be 8-128 letters and digits"),
    mysqlPassword: (v) => (/^[A-Za-z0-9]{8,128}$/.test(v) ? undefined : "must be 8-128 letters and digits"),
};

export function readKeptSecrets(r: ConfigReader): KeptSecrets | undefined {
    const text = r.optionalString("keptSecrets");
    if (text === undefined) return undefined;
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        value = undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        r.problem("keptSecrets", `must be a JSON object with ${Object.keys(FIELDS).join(", ")} (scripts/adopt-kept-data.sh writes it)`);
        return undefined;
    }
    const o = value as Record<string, unknown>;
    let ok = true;
    for (const k of Object.keys(o)) {
        if (!(k in FIELDS)) {
            r.problem(`keptSecrets.${k}`, `is not a known field: use ${Object.keys(FIELDS).join(", ")}`);
            ok = false;
        }
    }
    for (const [k, check] of Object.entries(FIELDS)) {
        const v = o[k];
        const wrong = typeof v !== "string" ? "is required" : check(v);
        if (wrong !== undefined) {
            r.problem(`keptSecrets.${k}`, wrong, typeof v === "string" ? v : undefined, true);
            ok = false;
        }
    }
    return ok ? (o as unknown as KeptSecrets) : undefined;
}
