// components/clusterOwners.ts with a kubectl stand-in that records its arguments and answers as a
// cluster would.
import { expect } from "chai";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { askCluster, refuseTakeover } from "../components/clusterOwners";
import { rejectionOf, warningsOf } from "./helpers";

describe("asking the cluster what a new stack would deploy over", () => {
    let dir: string;
    /**
     * A kubectl that logs "KUBECONFIG|its file's mode|HOME args" and prints `namespace` / `claims`
     * (JSON) or fails.
     */
    function kubectl(namespace: unknown, claims: unknown[] = [], fail = ""): string {
        const path = join(dir, "kubectl");
        writeFileSync(
            path,
            [
                "#!/bin/sh",
                `echo "$KUBECONFIG|$(stat -c %a "$KUBECONFIG" 2>/dev/null)|$HOME $*" >> ${dir}/calls`,
                fail ? `echo '${fail}' >&2; exit 1` : "",
                `case "$*" in *" namespace "*) printf '%s' '${namespace === undefined ? "" : JSON.stringify(namespace)}';;`,
                `  *persistentvolumeclaims*) printf '%s' '${JSON.stringify({ items: claims })}';; esac`,
            ].join("\n"),
        );
        chmodSync(path, 0o755);
        return path;
    }
    const calls = () => readFileSync(join(dir, "calls"), "utf8").trim().split("\n");
    const owned = (owner?: string) => (owner ? { annotations: { "tinode.co/stack": owner } } : {});

    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "ask-cluster-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("reports the namespace's owner and the component's claims only", async () => {
        const k = kubectl({ metadata: { name: "chat", ...owned("o/p/a") } }, [
            { metadata: { name: "data-tinode-mysql-0", ...owned("o/p/a") } },
            { metadata: { name: "someone-elses-claim" } },
            { metadata: { name: "tinode-media" } },
        ]);
        const answer = await askCluster("chat", ["data-tinode-mysql-0", "tinode-media"], { context: "prod", cluster: "east" }, k);
        expect(answer).to.deep.equal({
            kind: "found",
            findings: {
                namespace: { owner: "o/p/a" },
                claims: [
                    { name: "data-tinode-mysql-0", owner: "o/p/a" },
                    { name: "tinode-media", owner: undefined },
                ],
            },
        });
        // The caller's environment (kubectl's credential plugins need it), no kubeconfig of its own.
        expect(calls()[0]).to.equal(`||${process.env.HOME} --context prod --cluster east get namespace chat --ignore-not-found -o json`);
        expect(calls()[1]).to.equal(`||${process.env.HOME} --context prod --cluster east get persistentvolumeclaims -n chat -o json`);
    });

    it("asks no further when the namespace is absent", async () => {
        const answer = await askCluster("chat", ["data-tinode-mysql-0"], {}, kubectl(undefined));
        expect(answer).to.deep.equal({ kind: "found", findings: { namespace: undefined, claims: [] } });
        expect(calls()).to.deep.equal([`||${process.env.HOME} get namespace chat --ignore-not-found -o json`]);
    });

    it("hands kubeconfig contents to kubectl in a private file it removes, and a path as it is", async () => {
        const k = kubectl(undefined);
        await askCluster("chat", [], { kubeconfig: "apiVersion: v1\nkind: Config\n" }, k);
        await askCluster("chat", [], { kubeconfig: "/home/me/.kube/prod" }, k);
        await askCluster("chat", [], { kubeconfig: '  {"apiVersion":"v1","kind":"Config"}' }, k);
        await askCluster("chat", [], { kubeconfig: "/home/me/{prod}/config" }, k);
        const [contents, path, json, braces] = calls().map((c) => c.split("|").slice(0, 2));
        expect(contents[0]).to.match(/tinode-kubeconfig-.*\/config$/);
        expect(contents[1], "only the user reads it").to.equal("600");
        expect(() => readFileSync(contents[0])).to.throw(/ENOENT/);
        expect(path[0]).to.equal("/home/me/.kube/prod");
        expect(json[0], "one line of JSON is contents too").to.match(/tinode-kubeconfig-.*\/config$/);
        expect(braces[0]).to.equal("/home/me/{prod}/config");
    });

    it("says why when it cannot ask", async () => {
        const answer = await askCluster(
            "chat",
            [],
            {},
            kubectl(undefined, [], "Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout"),
        );
        expect(answer).to.deep.equal({
            kind: "unknown",
            reason: `${join(dir, "kubectl")}: Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout`,
        });
        const missing = await askCluster("chat", [], {}, join(dir, "no-kubectl"));
        expect(missing.kind).to.equal("unknown");
    });

    describe("refusing a takeover", () => {
        const kubectlBefore = process.env.TINODE_KUBECTL;
        afterEach(() => {
            // Assigning undefined would set the text "undefined".
            if (kubectlBefore === undefined) delete process.env.TINODE_KUBECTL;
            else process.env.TINODE_KUBECTL = kubectlBefore;
        });
        const s = { namespace: "chat", createNamespace: true, owner: "o/p/a" };

        it("goes on over what the stack made itself", async () => {
            process.env.TINODE_KUBECTL = kubectl({ metadata: { name: "chat", ...owned("o/p/a") } });
            await refuseTakeover(s, [], {});
        });

        it("refuses another stack's namespace", async () => {
            process.env.TINODE_KUBECTL = kubectl({ metadata: { name: "chat", ...owned("o/p/b") } });
            const message = await rejectionOf(refuseTakeover(s, [], {}));
            expect(message).to.contain("o/p/b");
            // Named as the user types the key, under the project's config namespace unless told otherwise.
            expect(message).to.match(/^Invalid stack configuration:\n {2}- tinode:namespace /);
            expect(await rejectionOf(refuseTakeover(s, [], {}, "chat"))).to.match(/^Invalid stack configuration:\n {2}- chat:namespace /);
        });

        it("goes on, with a warning, when it cannot ask", async () => {
            const fake = kubectl(undefined, [], "Unable to connect to the server");
            process.env.TINODE_KUBECTL = fake;
            const warnings = await warningsOf(() => refuseTakeover(s, [], {}));
            expect(calls()).to.have.length(1);
            expect(warnings).to.deep.equal([
                `could not ask the cluster what namespace "chat" holds (${fake}: Unable to connect to the server); if another stack deployed there, pulumi up stops on the namespace's owner annotation instead`,
            ]);
        });
    });
});
