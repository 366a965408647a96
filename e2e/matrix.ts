// The accepted-config matrix (test/acceptedConfigs.ts) as stack config for the e2e run: appends each
// config to the stack file `pulumi stack init m-<name>` wrote, rendering to DIR/<name>, and prints
// "<stack> <namespace> <render dir>" per config.
//   npx ts-node --transpile-only e2e/matrix.ts PROJECT_DIR DIR
import { appendFileSync } from "fs";
import { join } from "path";
import { ACCEPTED_CONFIGS } from "../test/acceptedConfigs";

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
    for (const [name, values] of Object.entries(ACCEPTED_CONFIGS)) {
        const stack = `m-${name}`;
        const out = join(dir, name);
        const lines = Object.entries({ ...values, renderYamlTo: out }).map(([k, v]) => `  tinode:${k}: ${yamlValue(v)}`);
        appendFileSync(join(project, `Pulumi.${stack}.yaml`), `config:\n${lines.join("\n")}\n`);
        console.log(`${stack} ${values.namespace} ${out}`);
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
