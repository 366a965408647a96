import { expect } from "chai";
import { PUBLISHED_API_KEY_SALT } from "../tinode/facts";
import { apiKeyFor } from "../builders/apiKey";
import { clusterConfig } from "../builders/clusterNodes";
import { formatDsn, parseDsn } from "../tinode/dsn";
import { renderTinodeConfig, tinodeConfig } from "../builders/tinodeConfig";

const secrets = {
    tokenKey: "a".repeat(44),
    uidKey: "b".repeat(24),
    apiKeySalt: PUBLISHED_API_KEY_SALT,
    dsn: "u:p@tcp(h:3306)/tinode?parseTime=true",
};
const layout = {
    statefulSet: "tinode",
    headlessService: "tinode-cluster",
    namespace: "tinode",
    clusterDomain: "cluster.local",
    replicas: 3,
    port: 12000,
};
const failover = { heartbeatMs: 100, voteAfter: 8, nodeFailAfter: 16 };

describe("tinode.conf", () => {
    it("puts each secret where the server reads it", () => {
        const doc = tinodeConfig({
            database: "tinode",
            media: { handler: "none" },
            cluster: undefined,
            secrets,
            clientsBehindProxy: true,
        }) as any;
        expect(doc.auth_config.token.key).to.equal(secrets.tokenKey);
        expect(doc.store_config.uid_key).to.equal(secrets.uidKey);
        expect(doc.api_key_salt).to.equal(PUBLISHED_API_KEY_SALT);
        expect(doc.store_config.use_adapter).to.equal("mysql");
        expect(doc.store_config.adapters.mysql).to.deep.equal({ dsn: secrets.dsn, database: "tinode" });
        expect(doc.listen).to.equal(":6060");
        expect(doc.grpc_listen).to.equal(":16060");
        expect(doc.expvar).to.equal("/stats/expvar/");
        // Without it the real server exits at start (found by npm run e2e:tinode).
        expect(doc.push).to.deep.equal([]);
    });

    it("has no cluster_config for a single node and the node list for several", () => {
        expect(
            tinodeConfig({ database: "tinode", media: { handler: "none" }, cluster: undefined, secrets, clientsBehindProxy: true }),
        ).not.to.have.property("cluster_config");
        const cluster = clusterConfig(layout, failover);
        expect(tinodeConfig({ database: "tinode", media: { handler: "none" }, cluster, secrets, clientsBehindProxy: true }))
            .to.have.property("cluster_config")
            .that.deep.equals(cluster);
    });

    it("renders the same bytes for the same input, and valid JSON", () => {
        const input = {
            database: "tinode",
            media: { handler: "none" } as const,
            cluster: clusterConfig(layout, failover),
            secrets,
            clientsBehindProxy: true,
        };
        const text = renderTinodeConfig(tinodeConfig(input));
        expect(renderTinodeConfig(tinodeConfig(structuredClone(input)))).to.equal(text);
        expect(JSON.parse(text).cluster_config.nodes).to.have.length(3);
    });
});

describe("API key", () => {
    it("reproduces Tinode's published key for its published salt", () => {
        expect(apiKeyFor(PUBLISHED_API_KEY_SALT)).to.equal("AQEAAAABAAD_rAp4DJh05a1HAwFT3A6K");
    });

    it("differs for another salt", () => {
        const other = Buffer.alloc(32, 7).toString("base64");
        expect(apiKeyFor(other)).to.not.equal("AQEAAAABAAD_rAp4DJh05a1HAwFT3A6K");
        expect(apiKeyFor(other)).to.match(/^AQEAAAABAA[A-Za-z0-9_-]{22}$/);
    });
});

describe("DSN", () => {
    it("formats what Tinode's adapter needs and parses it back", () => {
        const dsn = formatDsn({
            user: "tinode",
            password: "pw",
            host: "tinode-mysql.tinode.svc.cluster.local",
            port: 3306,
            database: "tinode",
        });
        expect(dsn).to.equal(
            "tinode:pw@tcp(tinode-mysql.tinode.svc.cluster.local:3306)/tinode?parseTime=true&collation=utf8mb4_0900_ai_ci",
        );
        const parsed = parseDsn(dsn);
        expect(parsed).to.deep.include({ host: "tinode-mysql.tinode.svc.cluster.local", port: 3306, database: "tinode" });
    });

    it("defaults the port and rejects what is not a TCP DSN", () => {
        expect(parseDsn("u:p@tcp(db)/x?parseTime=true")).to.deep.include({ host: "db", port: 3306, database: "x" });
        expect(parseDsn("u:p@unix(/run/mysqld.sock)/x?parseTime=true")).to.be.a("string");
        expect(parseDsn("u:p@tcp(db:99999)/x?parseTime=true")).to.equal("has a port outside 1-65535");
    });
});
