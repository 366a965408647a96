import { expect } from "chai";
import { checkLabelValue } from "../config/checks";
import { imageVersion } from "../builders/labels";

describe("labels", () => {
    it("turns any tag the image check accepts into a valid version label", () => {
        const cases: Record<string, string> = {
            "tinode/tinode-mysql:0.25.3": "0.25.3",
            "tinode/tinode-mysql:0.25.3-": "0.25.3",
            "repo:5000/x:_rc.1_": "rc.1",
            "x:__v1..": "v1",
            [`x:1${"a".repeat(61)}-b`]: `1${"a".repeat(61)}`,
            "x:___": "unknown",
            [`x@sha256:${"ab".repeat(32)}`]: "abababababab",
        };
        for (const [image, version] of Object.entries(cases)) {
            expect(imageVersion(image), image).to.equal(version);
            expect(checkLabelValue(imageVersion(image)), image).to.equal(undefined);
        }
    });
});
