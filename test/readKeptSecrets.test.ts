import { expect } from "chai";
import { readSettings } from "../config/readSettings";
import { configErrorFor, KEPT, settingsWith } from "./helpers";

describe("tinode:keptSecrets", () => {
    it("is off by default, and read whole when given", () => {
        expect(settingsWith().keptSecrets).to.equal(undefined);
        expect(settingsWith({ keptSecrets: JSON.stringify(KEPT) }).keptSecrets).to.deep.equal(KEPT);
    });

    it("refuses missing, unknown and malformed fields without echoing a secret", () => {
        const msg = configErrorFor({ keptSecrets: JSON.stringify({ ...KEPT, uidKey: "c2hvcnQ=", mysqlPassword: undefined, extra: 1 }) });
        expect(msg).to.contain("tinode:keptSecrets.uidKey must be standard base64 (with padding) of exactly 16 bytes");
        expect(msg).to.contain("tinode:keptSecrets.mysqlPassword is required");
        expect(msg).to.contain("tinode:keptSecrets.extra is not a known field");
        expect(msg).not.to.contain("c2hvcnQ=");
        expect(configErrorFor({ keptSecrets: "not json" })).to.contain("tinode:keptSecrets must be a JSON object with uidKey, tokenKey");
    });

    it("takes generated passwords of 8-128 letters and digits, whole", () => {
        const hidden = "(got a value that does not fit; not shown: it is a secret)";
        for (const bad of ["KeptRootPassword123!", "!KeptRootPassword123", "Kept Password", "short12", "p".repeat(129)]) {
            const msg = configErrorFor({ keptSecrets: JSON.stringify({ ...KEPT, mysqlRootPassword: bad, mysqlPassword: bad }) });
            expect(msg, bad).to.equal(
                "Invalid stack configuration:\n" +
                    `  - tinode:keptSecrets.mysqlRootPassword must be 8-128 letters and digits ${hidden}\n` +
                    `  - tinode:keptSecrets.mysqlPassword must be 8-128 letters and digits ${hidden}`,
            );
        }
        const longest = { ...KEPT, mysqlRootPassword: "p".repeat(128), mysqlPassword: "12345678" };
        expect(settingsWith({ keptSecrets: JSON.stringify(longest) }).keptSecrets).to.deep.equal(longest);
    });

    it("says which fields it knows, and that a field of another type is missing", () => {
        expect(configErrorFor({ keptSecrets: JSON.stringify({ ...KEPT, uidKey: 5, extra: "x" }) })).to.equal(
            "Invalid stack configuration:\n" +
                "  - tinode:keptSecrets.extra is not a known field: use uidKey, tokenKey, mysqlRootPassword, mysqlPassword\n" +
                "  - tinode:keptSecrets.uidKey is required",
        );
    });

    it("must be a secret in the stack", () => {
        const values: Record<string, string> = { keptSecrets: JSON.stringify(KEPT) };
        const plain = Object.assign((k: string) => values[k], { isSecret: () => false });
        expect(() => readSettings(plain)).to.throw("tinode:keptSecrets must be set with --secret");
        expect(() => readSettings(plain)).not.to.throw(KEPT.mysqlRootPassword);
    });
});
