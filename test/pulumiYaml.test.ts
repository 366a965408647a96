import { expect } from "chai";
import { readFileSync } from "fs";
import * as yaml from "js-yaml";
import { join } from "path";
import { readSettings } from "../config/readSettings";

interface Declared {
    type?: string;
    default?: unknown;
    description?: string;
}

const projectFile = yaml.load(readFileSync(join(__dirname, "..", "Pulumi.yaml"), "utf8")) as {
    name: string;
    config: Record<string, Declared>;
};
/** The program's own keys; keys with a namespace (`kubernetes:...`) configure providers. */
const project = { ...projectFile, config: Object.fromEntries(Object.entries(projectFile.config).filter(([k]) => !k.includes(":"))) };

/** Pulumi hands defaults to the program as text (objects as JSON), as it does stack values. */
function asConfigText(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

describe("Pulumi.yaml", () => {
    it("is the tinode project", () => {
        expect(project.name).to.equal("tinode");
    });

    it("declares exactly the keys the program reads, each with a description and a default", () => {
        const read = new Set<string>();
        readSettings((key) => {
            read.add(key);
            return undefined;
        });
        expect(Object.keys(project.config).sort()).to.deep.equal([...read].sort());
        for (const [key, d] of Object.entries(project.config)) {
            // A declared key without a default is required by the Pulumi CLI: every key here is optional.
            expect(d, key).to.have.property("default");
            expect(d.description, key).to.be.a("string").and.not.be.empty;
        }
    });

    it("has the same defaults as the program", () => {
        const defaults = Object.fromEntries(Object.entries(project.config).map(([k, d]) => [k, asConfigText(d.default)]));
        expect(readSettings((key) => defaults[key])).to.deep.equal(readSettings(() => undefined));
    });

    it("declares types that match the defaults", () => {
        for (const [key, d] of Object.entries(project.config)) {
            if (d.type === "integer") expect(Number.isInteger(d.default), key).to.equal(true);
            if (d.type === "boolean") expect(d.default, key).to.be.a("boolean");
            if (d.type === "string") expect(d.default, key).to.be.a("string");
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(`has a ${stack} stack whose config the program accepts`, () => {
            const file = yaml.load(readFileSync(join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8")) as {
                config: Record<string, unknown>;
            };
            const values = Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(/^tinode:/, ""), asConfigText(v)]));
            for (const key of Object.keys(values)) expect(project.config, key).to.have.property(key);
            expect(() => readSettings((key) => values[key])).not.to.throw();
        });
    }

    it("prod is what production needs: 3+ odd replicas, protected data, TLS ingress, isolation, no sample data", () => {
        const file = yaml.load(readFileSync(join(__dirname, "..", "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        const values = Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(/^tinode:/, ""), asConfigText(v)]));
        const s = readSettings((key) => values[key]);
        expect(s.replicas % 2 === 1 && s.replicas >= 3).to.equal(true);
        expect(s).to.deep.include({ protectData: true, networkPolicies: true, sampleData: false });
        expect(s.ingress?.tlsSecret ?? s.ingress?.clusterIssuer).to.be.a("string");
        expect(s.media.handler).to.not.equal("none");
    });
});

describe("Pulumi.yaml provider settings", () => {
    it("lets the kubernetes provider update the config Secret in place (pods roll on the checksum)", () => {
        expect(projectFile.config["kubernetes:enableSecretMutable"]).to.deep.equal({ value: true });
        expect(projectFile.config["kubernetes:enableConfigMapMutable"]).to.deep.equal({ value: true });
    });
});
