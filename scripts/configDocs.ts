// npm run config:docs — writes what the registry (config/keys.ts) generates: the program's part of
// Pulumi.yaml's config block, the README's configuration reference and the component's args interface
// (config/args.ts). The functions are pure text; test/configKeys.test.ts checks that the files hold
// exactly what they return.
import * as yaml from "js-yaml";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { AREAS, CONFIG_KEYS, KeySpec } from "../config/keys";

/** The line after which Pulumi.yaml's config block is generated (provider settings come before it). */
export const PULUMI_YAML_MARKER = "  # The stack's keys, generated from config/keys.ts (npm run config:docs): edit them there.";
/** The README lines the reference sits between. */
export const README_BEGIN = "<!-- config keys: generated from config/keys.ts by npm run config:docs; edit them there -->";
export const README_END = "<!-- end of config keys -->";

const entries = (): [string, KeySpec][] => Object.entries(CONFIG_KEYS as Record<string, KeySpec>);

/**
 * Pulumi.yaml's declaration of each key. The CLI knows string, integer, boolean and array types;
 * structured keys (objects) and lists set with --path are declared without a type, as before.
 */
export function pulumiYamlKeys(): string {
    const block = Object.fromEntries(
        entries().map(([key, k]) => [
            key,
            {
                ...(k.type === "string" || k.type === "integer" || k.type === "boolean" ? { type: k.type } : {}),
                default: k.default,
                description: k.description,
            },
        ]),
    );
    const text = yaml.dump(block, { lineWidth: -1, noRefs: true, quotingType: '"' });
    return text
        .trimEnd()
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n");
}

/** Pulumi.yaml with its generated part replaced: everything after the marker line. */
export function withPulumiYamlKeys(file: string): string {
    const at = file.indexOf(`${PULUMI_YAML_MARKER}\n`);
    if (at < 0) throw new Error(`Pulumi.yaml has no line "${PULUMI_YAML_MARKER}"`);
    return `${file.slice(0, at)}${PULUMI_YAML_MARKER}\n${pulumiYamlKeys()}\n`;
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function defaultCell(k: KeySpec): string {
    if (k.default === "") return "";
    if (typeof k.default === "string") return `\`${k.default}\``;
    return `\`${JSON.stringify(k.default)}\``;
}

/** The README's reference: one table per area, every key, its default, whether it must be secret. */
export function readmeReference(): string {
    const parts: string[] = [];
    for (const [area, title] of Object.entries(AREAS)) {
        const rows = entries().filter(([, k]) => k.area === area);
        if (rows.length === 0) continue;
        parts.push(`**${title}**`, "", "| key | default | what it does |", "| --- | --- | --- |");
        for (const [key, k] of rows) {
            const fields = k.secretFields?.map((f) => `\`${f}\``).join(", ");
            const name = `\`tinode:${key}\`${k.secret ? " (`--secret`)" : ""}${fields ? ` (${fields} with \`--path --secret\`)` : ""}`;
            parts.push(`| ${name} | ${defaultCell(k)} | ${cell(k.description)} |`);
        }
        parts.push("");
    }
    return parts.join("\n").trimEnd();
}

const ARG_TYPES: Record<string, string> = { string: "string", integer: "number", boolean: "boolean" };

/**
 * config/args.ts: TinodeClusterArgs, one optional arg per key but the stack-only ones, named like the
 * key, documented with its description and default. Every arg is a pulumi.Input: a program may pass
 * another resource's output or a secret; the component resolves them before the same checks as stack
 * config (config/readArgs.ts).
 */
export function argsInterface(): string {
    const props = entries()
        .filter(([, k]) => !k.stackOnly)
        .map(([key, k]) => {
            const type = k.argType ?? ARG_TYPES[k.type];
            if (type === undefined) throw new Error(`config/keys.ts: ${key} (${k.type}) needs an argType`);
            const dflt =
                k.default === "" || (typeof k.default === "object" && Object.keys(k.default).length === 0)
                    ? ""
                    : ` Default: ${JSON.stringify(k.default)}.`;
            const secret = k.secret
                ? " A secret (refused in plain text)."
                : k.secretFields
                  ? ` Secret fields: ${k.secretFields.join(", ")}.`
                  : "";
            return [`    /** ${k.description.replace(/\*\//g, "*\\/")}${dflt}${secret} */`, `    ${key}?: pulumi.Input<${type}>;`].join(
                "\n",
            );
        });
    const used = [...new Set(entries().flatMap(([, k]) => (k.argType ?? "").match(/\b[A-Z]\w*Args\b/g) ?? []))].sort();
    return [
        "// Generated from config/keys.ts by `npm run config:docs`: edit the registry, not this file.",
        "/* eslint-disable @typescript-eslint/no-explicit-any -- email, push and webrtc are free-form objects, checked field by field */",
        'import * as pulumi from "@pulumi/pulumi";',
        ...(used.length > 0 ? [`import { ${used.join(", ")} } from "./argTypes";`] : []),
        "",
        "/** The settings of a TinodeCluster: the stack config keys of the same names (README, configuration reference). */",
        "export interface TinodeClusterArgs {",
        props.join("\n"),
        "}",
        "",
    ].join("\n");
}

/** The README with its reference replaced: everything between the two marker lines. */
export function withReadmeReference(file: string): string {
    const begin = file.indexOf(`${README_BEGIN}\n`);
    const end = file.indexOf(README_END);
    if (begin < 0 || end < begin) throw new Error(`README.md has no "${README_BEGIN}" ... "${README_END}" block`);
    return `${file.slice(0, begin)}${README_BEGIN}\n${readmeReference()}\n${file.slice(end)}`;
}

if (require.main === module) {
    const root = path.join(__dirname, "..");
    for (const [file, update] of [
        ["Pulumi.yaml", withPulumiYamlKeys],
        ["README.md", withReadmeReference],
        ["config/args.ts", () => argsInterface()],
    ] as const) {
        const p = path.join(root, file);
        const before = readFileSync(p, "utf8");
        const after = update(before);
        if (after !== before) writeFileSync(p, after);
        console.log(`${file}: ${after === before ? "unchanged" : "written"}`);
    }
}
