// Renders a stack's Kubernetes manifests without the Pulumi CLI or a cluster: runs index.ts under
// Pulumi's mock runtime with the stack's config (Pulumi.yaml defaults, then Pulumi.<stack>.yaml,
// as the CLI merges them) and writes every Kubernetes object's inputs as YAML. For linters; the
// real provider's rendering is exercised by the dev stack (`npm run up`) and the e2e run.
//
//   npx ts-node --transpile-only scripts/render-manifests.ts STACK OUT.yaml
import { readFileSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { join } from "path";
import { installMocks, Recorded } from "./mockRuntime";

interface ProjectFile {
    name: string;
    config: Record<string, { default?: unknown }>;
}

/** Pulumi hands config to the program as text; structured values as JSON. */
const text = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

function stackConfig(root: string, stack: string): Record<string, string> {
    const project = yaml.load(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
    const config: Record<string, string> = {};
    for (const [key, d] of Object.entries(project.config)) config[`${project.name}:${key}`] = text(d.default);
    const stackFile = yaml.load(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    for (const [key, v] of Object.entries(stackFile.config ?? {})) config[key] = text(v);
    return config;
}

async function main(stack: string, out: string): Promise<void> {
    const root = join(__dirname, "..");
    const recorded: Recorded[] = [];
    await installMocks((r) => recorded.push(r), "tinode", stack, stackConfig(root, stack));
    const program = (await import("../index")).default;
    const outputs = await program();
    await new Promise<void>((resolve) => outputs.apiKey.apply(() => resolve()));
    await new Promise((r) => setTimeout(r, 100));
    const objects = recorded
        // A *Patch changes part of an object another one made: no manifest of its own.
        .filter((r) => r.type.startsWith("kubernetes:") && !r.type.endsWith("Patch") && (r.inputs as { kind?: string }).kind !== undefined)
        .map((r) => r.inputs as object);
    writeFileSync(out, objects.map((o) => yaml.dump(o, { noRefs: true, sortKeys: true })).join("---\n"));
    console.log(`${stack}: ${objects.length} objects -> ${out}`);
}

if (require.main === module) {
    main(process.argv[2] ?? "dev", process.argv[3] ?? "/dev/stdout").catch((e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
