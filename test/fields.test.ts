// config/fields.ts: typed reads of a structured setting's fields; every problem names the field's path
// and echoes the value as the user gave it.
import { expect } from "chai";
import { Fields } from "../config/fields";
import { ConfigReader } from "../config/reader";
import { source } from "./helpers";

/** The fields of `tinode:email` holding `value`, and the reader that collects their problems. */
const emailWith = (value: Record<string, unknown>, known = Object.keys(value)) => {
    const r = new ConfigReader(source(), "tinode");
    return { r, f: Fields.wrap(r, "email", value, known) };
};

describe("structured setting fields (config/fields.ts)", () => {
    it("names an unknown field and every known one", () => {
        const { r } = emailWith({ smtpHost: "mx", hots: "x" }, ["smtpHost", "port"]);
        expect(r.problems).to.deep.equal(["tinode:email.hots is not a known field: use smtpHost, port"]);
    });

    it("counts null and empty text as unset, and gives a set value as Pulumi handed it over", () => {
        const { f } = emailWith({ empty: "", none: null, zero: 0, no: false, list: ["a"] });
        expect(f.setFields()).to.deep.equal(["zero", "no", "list"]);
        expect(f.string("empty")).to.equal(undefined);
        expect(f.value("zero")).to.equal(0);
        expect(f.value("list")).to.deep.equal(["a"]);
    });

    it("echoes the value a problem is about, as text, and only when there is one", () => {
        const { r, f } = emailWith({});
        f.problem("port", "is odd", 3);
        f.problem("host", "is taken", "mx");
        f.problem("login", "is missing");
        expect(r.problems).to.deep.equal([
            'tinode:email.port is odd (got "3")',
            'tinode:email.host is taken (got "mx")',
            "tinode:email.login is missing",
        ]);
    });

    it("reads text, and refuses a value that is not text", () => {
        const { r, f } = emailWith({ port: 587, tls: true, host: "mx.example" });
        expect(f.string("port")).to.equal("587");
        expect(f.string("host")).to.equal("mx.example");
        expect(f.string("tls")).to.equal(undefined);
        expect(r.problems).to.deep.equal(['tinode:email.tls must be text (got "true")']);
    });

    it("reads whole numbers given as numbers or text, within bounds", () => {
        const { r, f } = emailWith({ a: " 5 ", b: "+5", c: "-3", d: 7, lo: 1, hi: 9 });
        expect([f.integer("a", 0, -10, 10), f.integer("b", 0, -10, 10), f.integer("c", 0, -10, 10), f.integer("d", 0, 0, 7)]).to.deep.equal(
            [5, 5, -3, 7],
        );
        expect([f.integer("lo", 0, 1, 9), f.integer("hi", 0, 1, 9)]).to.deep.equal([1, 9]);
        expect(r.problems).to.deep.equal([]);
    });

    it("refuses numbers out of bounds and text or values that are not whole numbers", () => {
        const bad = { low: 1, high: 11, frac: 5.5, huge: 2 ** 53, word: "five", dec: "5.0", hex: "0x5", exp: "1e1", yes: true, list: [5] };
        const { r, f } = emailWith(bad);
        for (const field of Object.keys(bad)) expect(f.integer(field, 4, 2, 10), field).to.equal(4);
        expect(r.problems).to.deep.equal([
            'tinode:email.low must be a whole number from 2 to 10 (got "1")',
            'tinode:email.high must be a whole number from 2 to 10 (got "11")',
            'tinode:email.frac must be a whole number from 2 to 10 (got "5.5")',
            'tinode:email.huge must be a whole number from 2 to 10 (got "9007199254740992")',
            'tinode:email.word must be a whole number from 2 to 10 (got "five")',
            'tinode:email.dec must be a whole number from 2 to 10 (got "5.0")',
            'tinode:email.hex must be a whole number from 2 to 10 (got "0x5")',
            'tinode:email.exp must be a whole number from 2 to 10 (got "1e1")',
            'tinode:email.yes must be a whole number from 2 to 10 (got "true")',
            'tinode:email.list must be a whole number from 2 to 10 (got "[5]")',
        ]);
    });

    it("reads booleans given as booleans or text, and refuses anything else", () => {
        const { r, f } = emailWith({ t: true, tt: "true", n: false, nn: "false", yes: "yes" });
        expect([f.boolean("t", false), f.boolean("tt", false), f.boolean("n", true), f.boolean("nn", true)]).to.deep.equal([
            true,
            true,
            false,
            false,
        ]);
        expect(f.boolean("yes", true)).to.equal(true);
        expect(r.problems).to.deep.equal(['tinode:email.yes must be true or false (got "yes")']);
    });

    it("reads a list of texts, naming each item it refuses", () => {
        const { r, f } = emailWith({ domains: ["a.example", 5, ""], hosts: "a.example" });
        expect(f.stringList("domains")).to.deep.equal(["a.example"]);
        expect(f.stringList("hosts")).to.deep.equal([]);
        expect(r.problems).to.deep.equal([
            'tinode:email.domains[1] must be non-empty text (got "5")',
            'tinode:email.domains[2] must be non-empty text (got "")',
            "tinode:email.hosts must be a list (set its items with `pulumi config set --path 'email.hosts[0]'`) (got \"a.example\")",
        ]);
    });

    it("refuses an object field that is not one", () => {
        const { r, f } = emailWith({ tls: [1] });
        expect(f.object("tls", ["mode"])).to.equal(undefined);
        expect(r.problems).to.deep.equal(['tinode:email.tls must be an object (got "[1]")']);
    });

    it("reads a list of objects, naming each item it refuses", () => {
        const { r, f } = emailWith({ servers: [{ url: "a" }, 3, null, ["b"]], relays: 5 });
        const servers = f.objects("servers", ["url"]);
        expect(servers.map((s) => [s.path, s.string("url")])).to.deep.equal([["email.servers[0]", "a"]]);
        expect(f.objects("relays", ["url"])).to.deep.equal([]);
        expect(r.problems).to.deep.equal([
            'tinode:email.servers[1] must be an object (got "3")',
            'tinode:email.servers[2] must be an object (got "null")',
            'tinode:email.servers[3] must be an object (got "[\\"b\\"]")',
            "tinode:email.relays must be a list (set its items with `pulumi config set --path 'email.relays[0].field'`) (got \"5\")",
        ]);
    });
});
