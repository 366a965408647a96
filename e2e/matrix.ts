// The accepted-config matrix (test/acceptedConfigs.ts) as stack config for the e2e run: appends each
// config to the stack file `pulumi stack init m-<name>` wrote, rendering to DIR/<name>, and prints
// "<stack> <namespace> <render dir> <secrets file>" per config. The values the registry says must be
// secrets (config/keys.ts: secret keys, and structured keys with a secret field set) go to the
// secrets file instead (JSON), for the harness to set with `pulumi config set --secret`.
//   npx ts-node --transpile-only e2e/matrix.ts PROJECT_DIR DIR
import { appendFileSync, mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { keySpec } from "../config/keys";
import { ACCEPTED_CONFIGS } from "../test/acceptedConfigs";

/** Whether an operator must set this key with --secret: a secret key, or one holding a secret field. */
function mustBeSecret(key: string, value: string): boolean {
    const spec = keySpec(key);
    if (spec?.secret) return true;
    const fields = spec?.secretFields ?? [];
    // A secret field appears in the JSON as its last path part; the reader decides the exact path.
    return fields.some((f) =>
        value.includes(
            `"${f
                .split(/[.[\]]+/)
                .filter(Boolean)
                .pop()}"`,
        ),
    );
}

/** YAML: JSON is YAML, so structured values go as flow mappings and strings as quoted scalars. */
function yamlValue(v: string): string {
    try {
        const parsed: unknown = JSON.parse(v);
        if (parsed !== null && typeof parsed === "object") return JSON.stringify(parsed);
    } catch {
        // a plain string
    }
    return JSON.stringify(v);
}

function main(project: string, dir: string): void {
    mkdirSync(dir, { recursive: true });
    for (const [name, values] of Object.entries(ACCEPTED_CONFIGS)) {
        const stack = `m-${name}`;
        const out = join(dir, name);
        const all = Object.entries({ ...values, renderYamlTo: out });
        const lines = all.filter(([k, v]) => !mustBeSecret(k, v)).map(([k, v]) => `  tinode:${k}: ${yamlValue(v)}`);
        appendFileSync(join(project, `Pulumi.${stack}.yaml`), `config:\n${lines.join("\n")}\n`);
        const secrets = join(dir, `${name}.secrets.json`);
        writeFileSync(secrets, JSON.stringify(Object.fromEntries(all.filter(([k, v]) => mustBeSecret(k, v)))));
        console.log(`${stack} ${values.namespace} ${out} ${secrets}`);
    }
}

if (process.argv[2] === "stacks") {
    // Only the stack names, for `pulumi stack init` before the files get their config.
    for (const name of Object.keys(ACCEPTED_CONFIGS)) console.log(`m-${name}`);
} else if (process.argv.length === 4) {
    main(process.argv[2], process.argv[3]);
} else {
    console.error("usage: matrix.ts stacks | PROJECT_DIR DIR");
    process.exit(2);
}
