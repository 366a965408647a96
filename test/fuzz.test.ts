// Generated hostile and careless values over every key of the registry (config/keys.ts): each one is
// either refused with a message that names its key, or accepted; nothing else (a crash, a stack trace,
// a message about another key only) may happen. The e2e renders every accepted one and has the API
// server validate its objects (e2e/fuzz.ts, `npm run e2e` step "accepted fuzz cases").
import { expect } from "chai";
import { CONFIG_KEYS, KeySpec } from "../config/keys";
import { fuzzCases, outcome } from "./fuzzCases";

describe("every key with generated values (fuzz)", () => {
    const keys = Object.entries(CONFIG_KEYS as Record<string, KeySpec>);
    it("refuses each value naming its key, or accepts it; never crashes", () => {
        const wrong: string[] = [];
        const counts = { accepted: 0, refused: 0 };
        for (const { key, value } of fuzzCases()) {
            const o = outcome(key, value);
            if (o === "accepted" || o === "refused") counts[o]++;
            else wrong.push(`${key}=${JSON.stringify(value)}: ${o}`);
        }
        expect(wrong).to.deep.equal([]);
        // The generator reaches both outcomes (a check that refused everything would fail here).
        expect(counts.accepted).to.be.greaterThan(100);
        expect(counts.refused).to.be.greaterThan(1000);
    });

    it("accepts no control character in any text key", () => {
        const accepted = keys
            .filter(([, spec]) => spec.type === "string")
            .flatMap(([key]) => ["a\nb", "a\tb", "x\u0000"].map((v) => [key, v]))
            .filter(([key, v]) => outcome(key, v) === "accepted");
        expect(accepted).to.deep.equal([]);
    });
});
