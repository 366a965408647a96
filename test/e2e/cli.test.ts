import { expect } from "chai";
import { arg, median, optionalArg } from "../../e2e/lib/cli";

describe("harness command line and figures (e2e/lib/cli.ts)", () => {
    it("reads the value after a flag, and says which flag is missing", () => {
        const argv = ["rtt", "--nodes", "[]", "--rounds", "5"];
        expect(arg(argv, "--rounds")).to.equal("5");
        expect(optionalArg(argv, "--api-key")).to.equal(undefined);
        expect(() => arg(argv, "--api-key")).to.throw("missing --api-key");
        expect(() => arg(["--rounds"], "--rounds")).to.throw("--rounds needs a value");
    });

    it("takes the median of odd and even counts without reordering the input", () => {
        const xs = [5, 1, 3];
        expect(median(xs)).to.equal(3);
        expect(xs).to.deep.equal([5, 1, 3]);
        expect(median([4, 1, 3, 2])).to.equal(2.5);
        expect(() => median([])).to.throw("empty");
    });
});
