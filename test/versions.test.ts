import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { TINODE_VERSION } from "../tinode/facts";

const root = join(__dirname, "..");
const versions = Object.fromEntries(
    readFileSync(join(root, "e2e", "tools", "versions.env"), "utf8")
        .split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split("=", 2) as [string, string]),
);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };

describe("tool versions", () => {
    it("build the CLI and providers the npm SDKs expect", () => {
        expect(versions.PULUMI_VERSION).to.equal(pkg.dependencies["@pulumi/pulumi"]);
        expect(versions.PULUMI_KUBERNETES_VERSION).to.equal(pkg.dependencies["@pulumi/kubernetes"]);
        expect(versions.PULUMI_RANDOM_VERSION).to.equal(pkg.dependencies["@pulumi/random"]);
    });

    it("build the Tinode server of the default image", () => {
        expect(versions.TINODE_VERSION).to.equal(TINODE_VERSION);
    });

    it("pin exact versions in package.json for the Pulumi SDKs", () => {
        for (const name of ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/random"]) {
            expect(pkg.dependencies[name], name).to.match(/^\d+\.\d+\.\d+$/);
        }
    });
});
