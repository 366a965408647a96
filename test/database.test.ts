import { expect } from "chai";
import { databaseTarget, mysqlClientImage, waitForDatabaseContainer } from "../builders/database";
import { dbInitJobArgs } from "../builders/dbInitJob";
import { tinodeStatefulSetArgs } from "../builders/tinodeStatefulSet";
import { DEFAULTS } from "../config/defaults";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

describe("databaseTarget", () => {
    it("is the deployed MySQL's Service on MySQL's port", () => {
        const s = settingsWith({ namespace: "chat", mysqlDatabase: "db1" });
        expect(databaseTarget(objectNames("t"), s)).to.deep.equal({ host: "t-mysql.chat.svc.cluster.local", port: 3306, database: "db1" });
    });

    it("is the external MySQL the DSN names", () => {
        const s = settingsWith({ mysqlExternalDsn: "u:p@tcp(db.example:3307)/chat?parseTime=true" });
        expect(databaseTarget(objectNames("t"), s)).to.deep.equal({ host: "db.example", port: 3307, database: "chat" });
    });
});

describe("the database client and the wait for the database", () => {
    const names = objectNames("t");

    it("uses the deployed MySQL's image as client, else the default MySQL image", () => {
        expect(mysqlClientImage(settingsWith({ mysqlImage: "mysql:9.1.0" }))).to.equal("mysql:9.1.0");
        expect(mysqlClientImage(settingsWith({ mysqlExternalDsn: "u:p@tcp(db.example:3307)/chat?parseTime=true" }))).to.equal(
            DEFAULTS.mysqlImage,
        );
    });

    it("pings the target until it answers, without credentials", () => {
        const s = settingsWith({ mysqlExternalDsn: "u:p@tcp(db.example:3307)/chat?parseTime=true" });
        const c = waitForDatabaseContainer(s, databaseTarget(names, s), s.resources.dbInit) as any;
        expect(c.command.join(" ")).to.match(/until mysqladmin ping --host="\$DB_HOST" --port="\$DB_PORT"/);
        expect(c.env).to.deep.equal([
            { name: "DB_HOST", value: "db.example" },
            { name: "DB_PORT", value: "3307" },
        ]);
        expect(JSON.stringify(c)).to.not.match(/password|secret/i);
    });

    it("runs before the schema Job's containers and before every Tinode server starts", () => {
        const s = settingsWith({ replicas: "3" });
        const target = databaseTarget(names, s);
        const wait = waitForDatabaseContainer(s, target, s.resources.dbInit);
        const job = dbInitJobArgs("t", names, s, target) as any;
        expect(job.spec.template.spec.initContainers[0]).to.deep.equal(wait);
        const sts = tinodeStatefulSetArgs("t", names, s, target, "sum") as any;
        expect(sts.spec.template.spec.initContainers).to.deep.equal([wait]);
    });
    it("pings with the clients' TLS options and the CA mounted when the external MySQL needs TLS", () => {
        const tls = settingsWith({
            mysqlExternalHost: "db.example",
            mysqlExternalUser: "owner",
            mysqlExternalPassword: "pw",
            mysqlExternalTls: "true",
            mysqlExternalCaSecret: "db-ca",
        });
        const c = waitForDatabaseContainer(tls, databaseTarget(names, tls), tls.resources.dbInit) as any;
        expect(c.command.slice(0, 2)).to.deep.equal(["sh", "-c"]);
        expect(c.command[2]).to.contain(
            "--silent --ssl-ca=/etc/tinode-mysql-ca/ca.crt --loose-ssl-mode=VERIFY_IDENTITY --loose-ssl-verify-server-cert=1; do",
        );
        expect(c.volumeMounts).to.deep.equal([{ name: "mysql-ca", mountPath: "/etc/tinode-mysql-ca", readOnly: true }]);
        const none = settingsWith();
        const plain = waitForDatabaseContainer(none, databaseTarget(names, none), none.resources.dbInit) as any;
        expect(plain.command[2]).to.contain("--silent; do");
        expect(plain).to.not.have.property("volumeMounts");
    });
});
