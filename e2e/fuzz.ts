// Every fuzz case the program accepts (test/fuzzCases.ts), rendered under Pulumi's mock runtime and
// written for the API server to validate: `npm run e2e` step "accepted fuzz cases" runs
// `kubectl apply --dry-run=server` over DIR. Each case is one component instance (a name of its own,
// replaced by "tinode" in what is written, so that objects equal across cases are written once).
// Prints one JSON line: cases, accepted, objects written, namespaces they need.
//   npx ts-node --transpile-only e2e/fuzz.ts DIR
import { createHash } from "crypto";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { installMocks, Recorded, registrationsDone } from "../scripts/mockRuntime";
import { fuzzCases, fuzzSource, outcome } from "../test/fuzzCases";

async function main(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    let recorded: Recorded[] = [];
    await installMocks((r) => recorded.push(r));
    const { ClusterCore } = await import("../components/clusterCore");
    const { readSettings } = await import("../config/readSettings");
    const cases = fuzzCases();
    const accepted = cases.filter((c) => outcome(c.key, c.value) === "accepted");
    const seen = new Set<string>();
    const namespaces = new Set<string>();
    let index = 0;
    for (const c of accepted) {
        // Fixed width: no instance name is the start of another's.
        const instance = `fuzz${String(index++).padStart(4, "0")}`;
        recorded = [];
        const cluster = new ClusterCore(instance, readSettings(fuzzSource(c.key, c.value)));
        await new Promise<void>((resolve) => cluster.apiKey.apply(() => resolve()));
        await registrationsDone();
        for (const r of recorded) {
            const o = r.inputs as { kind?: string; metadata?: { namespace?: string } };
            // A *Patch changes part of an object another one made: no manifest of its own.
            if (!r.type.startsWith("kubernetes:") || r.type.endsWith("Patch") || o.kind === undefined) continue;
            const text = JSON.stringify(o).split(instance).join("tinode");
            const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
            if (seen.has(hash)) continue;
            seen.add(hash);
            if (o.metadata?.namespace) namespaces.add(o.metadata.namespace);
            // The case in the file name: the API server's refusal names the file.
            writeFileSync(join(dir, `${c.key}-${String(index).padStart(4, "0")}-${o.kind}-${hash}.json`), text + "\n");
        }
    }
    console.log(JSON.stringify({ cases: cases.length, accepted: accepted.length, objects: seen.size, namespaces: [...namespaces].sort() }));
}

main(process.argv[2] ?? "fuzz-render").catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
});
