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

    it("must be a secret in the stack", () => {
        const values: Record<string, string> = { keptSecrets: JSON.stringify(KEPT) };
        const plain = Object.assign((k: string) => values[k], { isSecret: () => false });
        expect(() => readSettings(plain)).to.throw("tinode:keptSecrets must be set with --secret");
        expect(() => readSettings(plain)).not.to.throw(KEPT.mysqlRootPassword);
    });
});
