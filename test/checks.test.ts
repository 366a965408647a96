import { expect } from "chai";
import {
    splitImageRef,
    checkByteQuantity,
    checkHttpUrl,
    checkPinnedImage,
    checkQuantity,
    checkLabelKey,
    checkLabelValue,
    quantityAtMost,
    quantityValue,
    tolerationProblems,
    tolerationSeconds,
    checkDnsLabel,
    checkDnsSubdomain,
    checkHostname,
    checkDnsName,
    checkIngressHost,
    urlPort,
} from "../config/checks";

describe("checks", () => {
    it("reads quantities exactly", () => {
        expect(quantityValue("1Gi")).to.deep.equal({ num: 1073741824n, den: 1n });
        expect(quantityValue("250m")).to.deep.equal({ num: 250n, den: 1000n });
        expect(quantityValue("1.5e3")).to.deep.equal({ num: 15000n, den: 10n });
        expect(quantityValue("1.1G")).to.deep.equal({ num: 11000000000n, den: 10n });
        expect(quantityValue("10GB")).to.equal(undefined);
        expect(quantityAtMost("1Gi", "1024Mi")).to.equal(true);
        expect(quantityAtMost("1G", "1Gi")).to.equal(true);
        expect(quantityAtMost("1Gi", "1G")).to.equal(false);
        expect(quantityAtMost("501m", "0.5")).to.equal(false);
    });

    it("wants whole bytes for memory and storage", () => {
        expect(checkByteQuantity("512Mi")).to.equal(undefined);
        expect(checkByteQuantity("1.1G")).to.equal(undefined);
        expect(checkByteQuantity("512m")).to.match(/whole number of bytes/);
        expect(checkByteQuantity("0.5")).to.match(/whole number of bytes/);
        expect(checkByteQuantity("0")).to.match(/positive/);
    });

    it("checks label keys and values as the API server does", () => {
        for (const good of ["kubernetes.io/os", "zone", "a_b.c-d", "example.com/" + "x".repeat(63)])
            expect(checkLabelKey(good), good).to.equal(undefined);
        for (const bad of ["", "a b", "-a", "a/", "/a", "a/b/c", "Example.com/x", "x".repeat(64)])
            expect(checkLabelKey(bad), bad).to.be.a("string");
        for (const good of ["", "linux", "1.2.3", "a_b"]) expect(checkLabelValue(good), good).to.equal(undefined);
        for (const bad of ["x y", "1.2.3-", "_a", "x".repeat(64)]) expect(checkLabelValue(bad), bad).to.be.a("string");
    });

    it("checks tolerations field by field", () => {
        expect(tolerationProblems({ operator: "Exists" })).to.deep.equal([]);
        expect(tolerationProblems({ key: "k", value: "v", effect: "NoExecute", tolerationSeconds: 10 })).to.deep.equal([]);
        expect(tolerationProblems({ key: "k", operator: "Exists", value: "v" }).map((p) => p[0])).to.deep.equal(["value"]);
        expect(tolerationProblems({ key: "k", effect: "NoSchedule", tolerationSeconds: 1 }).map((p) => p[0])).to.deep.equal([
            "tolerationSeconds",
        ]);
        expect(tolerationProblems({ key: 3 }).map((p) => p[0])).to.deep.equal(["key", "operator"]);
    });

    it("parses URLs without throwing and finds their port", () => {
        expect(checkHttpUrl("http://minio:99999")).to.match(/ports 1-65535/);
        expect(checkHttpUrl("not a url")).to.be.a("string");
        expect(checkHttpUrl("https://s3.eu-west-1.amazonaws.com")).to.equal(undefined);
        expect(urlPort("https://s3.example.com")).to.equal(443);
        expect(urlPort("http://minio")).to.equal(80);
        expect(urlPort("http://minio:9000")).to.equal(9000);
    });

    it("reads E as exa and Ei as exbi, and refuses what a Kubernetes quantity cannot hold", () => {
        expect(quantityValue("1E")).to.deep.equal({ num: 10n ** 18n, den: 1n });
        expect(quantityValue("1Ei")).to.deep.equal({ num: 2n ** 60n, den: 1n });
        expect(quantityAtMost("1Ei", "1E")).to.equal(false);
        expect(checkQuantity("8Ei")).to.contain("larger than a Kubernetes quantity holds");
        expect(checkQuantity("1e999999")).to.contain("must be a positive Kubernetes quantity");
    });

    it("takes image references the kubelet parses, pinned, and refuses the rest", () => {
        for (const ok of [
            "tinode/tinode-mysql:0.25.3",
            "node:24.11.1-alpine3.22",
            "registry.example.com:5000/team/tinode:1.0",
            "localhost/tinode-e2e/tinode-mysql:0.25.3-next",
            `tinode/tinode-mysql@sha256:${"a".repeat(64)}`,
        ])
            expect(checkPinnedImage(ok), ok).to.equal(undefined);
        for (const bad of [":1.0", "Repo/Name:1.0", 'a"b:1', "$(id):1", "a//b:1", "a b:1", "-a:1"])
            expect(checkPinnedImage(bad), bad).to.contain("must be an image reference");
        expect(checkPinnedImage("tinode/tinode-mysql")).to.contain("must be pinned");
        expect(checkPinnedImage("tinode/tinode-mysql:latest")).to.contain("must be pinned");
        expect(checkPinnedImage("tinode/tinode-mysql:.1")).to.contain("malformed tag");
    });

    it("takes an S3 server's URL only: no path, no credentials, a port in range", () => {
        expect(checkHttpUrl("http://minio.storage:9000")).to.equal(undefined);
        expect(checkHttpUrl("https://s3.example.com/")).to.equal(undefined);
        for (const bad of ["http://h:99999", "http://a:b", "http://[::1", "http://h:0", "https://s3.example.com/bucket", "https://u:p@h"])
            expect(checkHttpUrl(bad), bad).to.be.a("string");
    });

    it("splits an image reference once, for every reader of its parts", () => {
        expect(splitImageRef("mysql:8.4.6")).to.deep.equal({ name: "mysql", tag: "8.4.6", digest: undefined });
        expect(splitImageRef("reg.example:5000/db/mysql")).to.deep.equal({ name: "reg.example:5000/db/mysql", digest: undefined });
        expect(splitImageRef("reg.example:5000/db/mysql:9.1@sha256:abc")).to.deep.equal({
            name: "reg.example:5000/db/mysql",
            tag: "9.1",
            digest: "sha256:abc",
        });
    });

    // Boundaries Stryker found untested (config/checks.ts): each limit's last accepted value and the next.
    it("takes DNS labels and object names up to their limits (63 and 253), not one more", () => {
        expect(checkDnsLabel("a".repeat(63))).to.equal(undefined);
        expect(checkDnsLabel("a".repeat(64))).to.match(/at most 63/);
        const name253 = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)].join(".");
        expect(name253).to.have.length(253);
        expect(checkDnsSubdomain(name253)).to.equal(undefined);
        expect(checkDnsSubdomain(name253 + "e")).to.be.a("string");
    });

    it("takes host names and addresses, and refuses a leading or trailing '-' or '.', a space, or 254 characters", () => {
        for (const ok of ["db", "db.example.com", "10.0.0.7", "My-Host", "a".repeat(253)])
            expect(checkHostname(ok), ok).to.equal(undefined);
        for (const bad of ["-db", "db-", ".db", "db.", "d b", "", "a".repeat(254)]) {
            expect(checkHostname(bad), bad).to.equal("must be a host name or IP address");
        }
    });

    it("takes image names up to 255 characters and refuses an empty tag as unpinned", () => {
        expect(checkPinnedImage(`${"a".repeat(255)}:1.0`)).to.equal(undefined);
        expect(checkPinnedImage(`${"a".repeat(256)}:1.0`)).to.match(/must be an image reference/);
        expect(checkPinnedImage("repo/name:")).to.equal("must be pinned to a version tag (not latest) or a digest, e.g. repo/name:1.2.3");
    });

    it("reads tolerationSeconds from whole-number text only", () => {
        expect(tolerationSeconds("-5")).to.equal(-5);
        expect(tolerationSeconds(30)).to.equal(30);
        for (const bad of ["12s", "s12", "1.5", ""]) expect(tolerationSeconds(bad), bad).to.equal(undefined);
    });
    it("names the long label in a DNS name and tells an Ingress host's faults apart", () => {
        const label = "abcdefghij".repeat(7);
        expect(checkDnsName(`${label}.example.com`)).to.equal(
            'must be a DNS name whose labels are at most 63 characters ("abcdefghijabcdefghij..." has 70)',
        );
        expect(checkIngressHost(`${label}.example.com`)).to.contain("at most 63 characters");
        expect(checkIngressHost("Chat.example.com")).to.contain('use "chat.example.com"');
        for (const bad of ["-chat.example.com", "localhost", "chat_1.example.com"])
            expect(checkIngressHost(bad), bad).to.equal("must be a fully qualified host name such as chat.example.com");
        expect(checkIngressHost("chat.example.com")).to.equal(undefined);
    });

    it("bounds a quantity's exponent (30) and digits (40), and takes exactly 2^63-1", () => {
        expect(quantityValue("1e30")).to.deep.equal({ num: 10n ** 30n, den: 1n });
        expect(quantityValue("1e-30")).to.deep.equal({ num: 1n, den: 10n ** 30n });
        expect(quantityValue("1e31")).to.equal(undefined);
        expect(quantityValue("1e-31")).to.equal(undefined);
        expect(quantityValue("1".repeat(20) + "." + "2".repeat(20))).to.deep.equal({
            num: BigInt("1".repeat(20) + "2".repeat(20)),
            den: 10n ** 20n,
        });
        expect(quantityValue("1".repeat(41))).to.equal(undefined);
        // Digits after the point count too.
        expect(quantityValue("1." + "0".repeat(40))).to.equal(undefined);
        expect(checkQuantity("9223372036854775807")).to.equal(undefined);
        expect(checkQuantity("9223372036854775808")).to.equal("is larger than a Kubernetes quantity holds (2^63-1)");
        // A value that is not a quantity is reported by its own check, not by the comparison.
        expect(quantityAtMost("10GB", "1Gi")).to.equal(true);
        expect(quantityAtMost("1Gi", "10GB")).to.equal(true);
    });

    it("says what is wrong with a digest, and takes a one-letter host name", () => {
        expect(checkPinnedImage("repo/name@sha256:abc")).to.equal("has a malformed digest: use @sha256:<64 hex digits>");
        expect(checkHostname("a")).to.equal(undefined);
    });

    it("names a toleration's unknown fields, a field that is not text and an operator it does not know", () => {
        expect(tolerationProblems({ key: "k", foo: 1, bar: 2 })).to.deep.equal([
            ["", "has unknown fields foo, bar: use key, operator, value, effect, tolerationSeconds", undefined],
        ]);
        expect(tolerationProblems({ key: "k", value: 3 })).to.deep.equal([["value", "must be text", 3]]);
        expect(tolerationProblems({ key: "k", operator: "In" })).to.deep.equal([["operator", "must be Exists or Equal", "In"]]);
    });
});
