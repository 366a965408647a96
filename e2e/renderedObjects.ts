// ts-node e2e/renderedObjects.ts DIR... — whether the manifests several programs rendered
// (renderYamlTo) hold the same objects. What each stack generates for itself is masked: Secret
// values (random passwords and keys), the config checksum they feed, and the owning stack's name.
// Prints one line per directory and exits non-zero at the first object that differs.
import * as yaml from "js-yaml";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";

const OWNER_ANNOTATION = "tinode.co/stack";
const CHECKSUM_ANNOTATION = "checksum/config";

type Obj = Record<string, unknown>;

/** Replaces what differs from stack to stack by design, wherever it occurs. */
function mask(value: unknown, key = ""): unknown {
    if (Array.isArray(value)) return value.map((v) => mask(v));
    if (value === null || typeof value !== "object") {
        return key === OWNER_ANNOTATION || key === CHECKSUM_ANNOTATION ? `<${key}>` : value;
    }
    return Object.fromEntries(Object.entries(value as Obj).map(([k, v]) => [k, mask(v, k)]));
}

/** A rendered object, masked; a Secret's values become their keys only. */
function normalized(doc: Obj): Obj {
    const o = mask(doc) as Obj;
    if (o.kind === "Secret") {
        for (const field of ["data", "stringData"]) {
            const values = o[field] as Obj | undefined;
            if (values) o[field] = Object.keys(values).sort();
        }
    }
    return o;
}

/** kind/namespace/name -> the object, for every document of every file under dir. */
function objectsIn(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const sub of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, sub.name);
        if (sub.isDirectory()) {
            for (const [k, v] of objectsIn(path)) out.set(k, v);
            continue;
        }
        for (const doc of yaml.loadAll(readFileSync(path, "utf8"))) {
            if (!doc) continue;
            const o = normalized(doc as Obj);
            const meta = o.metadata as { name: string; namespace?: string };
            out.set(`${String(o.kind)}/${meta.namespace ?? ""}/${meta.name}`, JSON.stringify(o));
        }
    }
    return out;
}

function main(dirs: string[]): number {
    if (dirs.length < 2) throw new Error("usage: renderedObjects.ts DIR DIR...");
    const [first, ...rest] = dirs.map((d) => ({ dir: d, objects: objectsIn(d) }));
    console.log(`${first.dir}: ${first.objects.size} objects`);
    for (const other of rest) {
        const keys = new Set([...first.objects.keys(), ...other.objects.keys()]);
        const differ = [...keys].filter((k) => first.objects.get(k) !== other.objects.get(k));
        if (differ.length > 0) {
            const k = differ[0];
            console.log(`${other.dir}: ${differ.length} objects differ, first ${k}:`);
            console.log(`  ${first.dir}: ${first.objects.get(k) ?? "(none)"}`);
            console.log(`  ${other.dir}: ${other.objects.get(k) ?? "(none)"}`);
            return 1;
        }
        console.log(`${other.dir}: the same ${other.objects.size} objects`);
    }
    return 0;
}

process.exitCode = main(process.argv.slice(2));
