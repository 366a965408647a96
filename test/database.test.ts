import { expect } from "chai";
import { databaseTarget } from "../builders/database";
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
