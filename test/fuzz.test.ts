// Generated hostile and careless values over every key of the registry (config/keys.ts): each one is
// either refused with a message that names its key, or accepted; nothing else (a crash, a stack trace,
// a message about another key only) may happen. Accepted configs of this kind are rendered by the
// e2e's server-side dry run (test/acceptedConfigs.ts).
import { expect } from "chai";
import { CONFIG_KEYS, KeySpec } from "../config/keys";
import { ConfigError } from "../config/reader";
import { readSettings } from "../config/readSettings";

const TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1e99",
    "1E",
    "1Ei",
    "8Ei",
    "512m",
    "true",
    "null",
    "é",
    "x".repeat(300),
    "a\nb",
    "a\tb",
    "line\ninit-command=DROP DATABASE tinode",
    "$(id)",
    "`id`",
    "'\"",
    ";rm -rf /",
    "{}",
    "[]",
    '{"a":1}',
    "http://h:99999",
    "http://a:b",
    "http://[::1",
    "u/x:p@tcp(db:3306)/tinode?parseTime=true",
    ":1.0",
    "Repo/Name:1.0",
    "a".repeat(64) + ".example.com",
];
const STRUCTURED = ["{", "[1,2]", '{"unknown": 1}', '{"enabled": "yes"}', "[{}]", '[{"key": "a\\nb"}]', '"text"', "42"];

/** "accepted", "refused", or what went wrong instead. */
function outcome(key: string, value: string): string {
    try {
        readSettings(Object.assign((k: string) => (k === key ? value : undefined), { isSecret: () => true }));
        return "accepted";
    } catch (e) {
        if (!(e instanceof ConfigError)) return `crash: ${(e as Error).stack?.split("\n").slice(0, 2).join(" ")}`;
        return e.message.includes(`tinode:${key}`) ? "refused" : `refused without naming the key: ${e.message}`;
    }
}

describe("every key with generated values (fuzz)", () => {
    const keys = Object.entries(CONFIG_KEYS as Record<string, KeySpec>);
    it("refuses each value naming its key, or accepts it; never crashes", () => {
        const wrong: string[] = [];
        const counts = { accepted: 0, refused: 0 };
        for (const [key, spec] of keys) {
            const values = spec.type === "object" || spec.type === "array" ? [...TEXT, ...STRUCTURED] : TEXT;
            for (const v of values) {
                const o = outcome(key, v);
                if (o === "accepted" || o === "refused") counts[o]++;
                else wrong.push(`${key}=${JSON.stringify(v)}: ${o}`);
            }
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
