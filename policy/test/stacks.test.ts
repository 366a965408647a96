// The program passes its own policies on each of its stacks: every Pulumi.<stack>.yaml, read the way
// the program reads it, built by the real builders, checked by every rule. The stacks the repository
// ships (dev, prod) must read; another stack file whose config the program refuses (a scratch stack)
// is skipped: such a stack creates nothing for a policy to check.
import { expect } from "chai";
import { TinodeSettings } from "../../config/settings";
import { RULES } from "../policies";
import { isDevStack } from "../stack";
import { programResources, settingsFrom, stackFiles } from "./program";

describe("the program's stacks", () => {
    const stacks = stackFiles();

    const SHIPPED = ["dev", "prod"];

    it("include the shipped ones, dev and prod", () => {
        expect(stacks.map((s) => s.stack)).to.include.members(SHIPPED);
    });

    for (const { stack, config, secureKeys } of stacks) {
        const note = secureKeys.length > 0 ? ` (stand-ins for encrypted ${secureKeys.join(", ")})` : "";
        it(`${stack} passes every policy${note}`, function () {
            let settings: TinodeSettings;
            try {
                settings = settingsFrom(config);
            } catch (e) {
                if (SHIPPED.includes(stack)) throw e;
                this.skip();
            }
            const ctx = { dev: isDevStack(stack) };
            const violations = programResources(settings).flatMap((r) =>
                RULES.flatMap((spec) =>
                    spec.rules.flatMap((rule) => rule(r.type, r.props, ctx).map((m) => `${spec.name}: ${r.name}: ${m}`)),
                ),
            );
            expect(violations).to.deep.equal([]);
        });
    }

    it("dev relies on being a dev stack: its sample data would fail anywhere else", () => {
        const dev = stacks.find((s) => s.stack === "dev")!;
        const violations = programResources(settingsFrom(dev.config)).flatMap((r) =>
            RULES.flatMap((spec) => spec.rules.flatMap((rule) => rule(r.type, r.props, { dev: false }).map(() => spec.name))),
        );
        expect(violations).to.deep.equal(["tinode-sample-data-dev-only"]);
    });
});
