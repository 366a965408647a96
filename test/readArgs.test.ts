// config/readArgs.ts: a program's args go through the stack config's own rules; every refusal names
// the arg.
import { expect } from "chai";
import { CONFIG_KEYS, KeySpec } from "../config/keys";
import { argsSource, argText, readArgs } from "../config/readArgs";
import { ConfigError } from "../config/reader";
import { readSettings } from "../config/readSettings";
import { fuzzCases, fuzzSource } from "./fuzzCases";

/** Every arg a secret, as fuzzSource makes every key one. */
const secretArgs = (values: Record<string, unknown>) => ({ values, secret: new Set(Object.keys(values)) });
const problemsOf = (f: () => unknown): string[] => {
    try {
        f();
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
};

describe("component args (config/readArgs.ts)", () => {
    it("gives a key's text as stack config holds it", () => {
        expect(argText(3)).to.equal("3");
        expect(argText(false)).to.equal("false");
        expect(argText("x")).to.equal("x");
        expect(argText({ a: { b: 1 } })).to.equal('{"a":{"b":1}}');
        expect(argText(["a"])).to.equal('["a"]');
        expect(argText(undefined)).to.equal(undefined);
        expect(argText(null)).to.equal(undefined);
    });

    it("reads the same settings as stack config for the same values", () => {
        const values = { replicas: 5, namespace: "chat", mediaHandler: "fs", mediaCorsOrigins: ["https://a.example"], sampleData: true };
        const text = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, argText(v)!]));
        expect(readArgs(secretArgs(values))).to.deep.equal(readSettings((k) => text[k]));
    });

    it("refuses every value stack config refuses, with the same problems naming the arg", () => {
        let refused = 0;
        const differ: string[] = [];
        for (const { key, value } of fuzzCases()) {
            if ((CONFIG_KEYS as Record<string, KeySpec>)[key].stackOnly) continue;
            const stack = problemsOf(() => readSettings(fuzzSource(key, value)));
            const args = problemsOf(() => readArgs(secretArgs({ [key]: value })));
            if (stack.length > 0) refused++;
            // The hints differ (`pulumi config set --path` is no fix for an arg); the rule and the key may not.
            const rule = (p: string) => p.replace(/ \((set its|set it with|a secret value|an object|a list)[^)]*\)/g, "");
            const expected = stack.map((p) => rule(p).replaceAll("tinode:", "TinodeClusterArgs."));
            if (JSON.stringify(args.map(rule)) !== JSON.stringify(expected)) differ.push(`${key}=${JSON.stringify(value)}`);
        }
        expect(differ).to.deep.equal([]);
        expect(refused).to.be.greaterThan(1000);
    });

    it("refuses a secret passed in plain text, naming the arg and how to pass it", () => {
        const problems = problemsOf(() =>
            readArgs({ values: { mysqlExternalPassword: "hunter2", mysqlExternalHost: "db" }, secret: new Set() }),
        );
        expect(problems.join("\n")).to.contain(
            "TinodeClusterArgs.mysqlExternalPassword must be a secret: pass a secret value (pulumi.secret(",
        );
        expect(problems.join("\n")).to.not.contain("hunter2");
        const field = problemsOf(() =>
            readArgs({ values: { email: { smtpHost: "mx.example", login: "u", password: "pw" } }, secret: new Set() }),
        );
        expect(field.join("\n")).to.contain("TinodeClusterArgs.email.password must be a secret");
    });

    it("refuses names that are not args: unknown ones and the stack program's own, with the other problems", () => {
        const problems = problemsOf(() => readArgs(secretArgs({ replica: 3, acceptDataChange: "namespace", replicas: 0 })));
        expect(problems).to.have.length(3);
        expect(problems[0]).to.equal(
            "TinodeClusterArgs.replica is not an arg of TinodeCluster: use the names of the README's configuration reference",
        );
        expect(problems[1]).to.contain("TinodeClusterArgs.acceptDataChange is not an arg: it belongs to the stack program");
        expect(problems[2]).to.contain("TinodeClusterArgs.replicas must be a whole number from 1 to 1023");
    });

    it("shows a number as JavaScript writes it, NaN too", () => {
        expect(argText(NaN)).to.equal("NaN");
        expect(argText(-Infinity)).to.equal("-Infinity");
        expect(problemsOf(() => readArgs(secretArgs({ replicas: NaN })))).to.deep.equal([
            'TinodeClusterArgs.replicas must be a whole number from 1 to 1023 (got "NaN")',
        ]);
    });

    it("refuses an unknown name alone, and takes one left undefined as unset", () => {
        expect(problemsOf(() => readArgs(secretArgs({ replica: 3 })))).to.deep.equal([
            "TinodeClusterArgs.replica is not an arg of TinodeCluster: use the names of the README's configuration reference",
        ]);
        expect(readArgs(secretArgs({ replica: undefined }))).to.deep.equal(readSettings(() => undefined));
    });

    it("lets an error that is not a config problem through as it is", () => {
        expect(() => readArgs(secretArgs({ replicas: 3n }))).to.throw(TypeError, "BigInt");
    });

    it("passes no stack-only key to the readers, and says which args are secrets", () => {
        const source = argsSource({ values: { acceptDataChange: "namespace", replicas: 2 }, secret: new Set(["replicas"]) });
        expect(source("acceptDataChange")).to.equal(undefined);
        expect(source("replicas")).to.equal("2");
        expect(source.isSecret!("replicas")).to.equal(true);
        expect(source.isSecret!("namespace")).to.equal(false);
        const stackOnly = Object.entries(CONFIG_KEYS as Record<string, KeySpec>).filter(([, k]) => k.stackOnly);
        expect(stackOnly.map(([k]) => k)).to.deep.equal(["acceptDataChange"]);
    });
});
