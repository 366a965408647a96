// Generated hostile and careless values over every key of the registry (config/keys.ts), and what
// the program does with each: the fuzz test (test/fuzz.test.ts) and the e2e's server-side dry run of
// every accepted one (e2e/fuzz.ts) share them.
import { CONFIG_KEYS, KeySpec } from "../config/keys";
import { ConfigError, ConfigSource } from "../config/reader";
import { readSettings } from "../config/readSettings";

export const TEXT = [
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
export const STRUCTURED = ["{", "[1,2]", '{"unknown": 1}', '{"enabled": "yes"}', "[{}]", '[{"key": "a\\nb"}]', '"text"', "42"];

/** Every key at its default but one, set to `value` as a Pulumi secret (so the --secret rule passes). */
export function fuzzSource(key: string, value: string): ConfigSource {
    return Object.assign((k: string) => (k === key ? value : undefined), { isSecret: () => true });
}

export interface FuzzCase {
    key: string;
    value: string;
}

/** Every generated case: the text values for every key, the structured ones too for structured keys. */
export function fuzzCases(): FuzzCase[] {
    return Object.entries(CONFIG_KEYS as Record<string, KeySpec>).flatMap(([key, spec]) =>
        (spec.type === "object" || spec.type === "array" ? [...TEXT, ...STRUCTURED] : TEXT).map((value) => ({ key, value })),
    );
}

/** "accepted", "refused", or what went wrong instead. */
export function outcome(key: string, value: string): string {
    try {
        readSettings(fuzzSource(key, value));
        return "accepted";
    } catch (e) {
        if (!(e instanceof ConfigError)) return `crash: ${(e as Error).stack?.split("\n").slice(0, 2).join(" ")}`;
        return e.message.includes(`tinode:${key}`) ? "refused" : `refused without naming the key: ${e.message}`;
    }
}
