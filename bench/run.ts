// npm run bench: wall time of a whole program evaluation under mocks (node start, SDK import,
// settings, component, every resource registered), each in a fresh process, interleaved so that
// machine noise hits every variant alike. Prints medians and the ratios the project tracks.
import { execFileSync } from "child_process";
import { join } from "path";
import { median } from "../e2e/lib/cli";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const script = join(__dirname, "evaluate.js");
const variants: { label: string; args: string[] }[] = [
    { label: "floor (SDK imports + 1 resource)", args: ["floor"] },
    { label: "TinodeCluster, 3 replicas", args: ["cluster", "3"] },
    { label: "TinodeCluster, 99 replicas", args: ["cluster", "99"] },
];

function timeOnce(args: string[]): { ms: number; resources: number } {
    const start = process.hrtime.bigint();
    const out = execFileSync(process.execPath, [script, ...args], { encoding: "utf8" });
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, resources: Number(out.trim()) };
}

const samples: number[][] = variants.map(() => []);
const resources: number[] = variants.map(() => 0);
timeOnce(variants[0].args); // warm the file cache
for (let i = 0; i < RUNS; i++) {
    variants.forEach((v, j) => {
        const r = timeOnce(v.args);
        samples[j].push(r.ms);
        resources[j] = r.resources;
    });
}

const medians = samples.map(median);
console.log(`program evaluation under mocks, ${RUNS} runs each, one process per run`);
variants.forEach((v, j) => {
    const min = Math.min(...samples[j]);
    const max = Math.max(...samples[j]);
    console.log(
        `  ${v.label.padEnd(34)} median ${medians[j].toFixed(0).padStart(5)} ms  (min ${min.toFixed(0)}, max ${max.toFixed(0)}; ${resources[j]} resources)`,
    );
});
console.log(`  ratio 3 replicas / floor:  ${(medians[1] / medians[0]).toFixed(3)}  (goal <= 1.3)`);
console.log(`  ratio 99 / 3 replicas:     ${(medians[2] / medians[1]).toFixed(3)}  (goal <= 1.1)`);
