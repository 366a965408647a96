import { expect } from "chai";
import { configErrorFor, settingsWith } from "./helpers";

describe("reading annotations (serviceAnnotations)", () => {
    const set = (a: Record<string, unknown>) => ({ serviceAnnotations: JSON.stringify(a) });

    it("takes qualified keys with text values, none by default", () => {
        expect(settingsWith().serviceAnnotations).to.deep.equal({});
        const a = { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb", "example.com/note": "a b: c" };
        expect(settingsWith(set(a)).serviceAnnotations).to.deep.equal(a);
        // As `pulumi config set --path 'tinode:serviceAnnotations["k"]' true` stores them.
        expect(settingsWith(set({ "example.com/sticky": true, "example.com/n": 5 })).serviceAnnotations).to.deep.equal({
            "example.com/sticky": "true",
            "example.com/n": "5",
        });
    });

    it("refuses a bad key, a value that is not text, a control character and the provider's own keys, each by its path", () => {
        const err = configErrorFor(
            set({ "-bad": "x", "example.com/n": [1], "example.com/nl": "a\u0007b", "pulumi.com/skipAwait": "false" }),
        );
        expect(err).to.contain("tinode:serviceAnnotations.-bad must be a label key");
        expect(err).to.contain("tinode:serviceAnnotations.example.com/n must be a text value, not a list or an object");
        expect(err).to.contain("tinode:serviceAnnotations.example.com/nl must not contain control characters other than tab and newline");
        expect(err).to.contain("tinode:serviceAnnotations.pulumi.com/skipAwait is set by the program");
        expect(configErrorFor({ serviceAnnotations: "[]" })).to.contain("tinode:serviceAnnotations must be an object");
    });

    it("refuses more than the API server takes on one object", () => {
        expect(configErrorFor(set({ "example.com/big": "x".repeat(256 * 1024) }))).to.contain(
            "tinode:serviceAnnotations must be at most 262144 bytes in all",
        );
    });
});
