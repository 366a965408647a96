import { expect } from "chai";
import { configErrorFor, settingsWith } from "./helpers";

describe("reading the Gateway API routes", () => {
    const attach = { gatewayName: "public", gatewayHost: "chat.example.org" };

    it("attaches to a Gateway in the stack's namespace unless told another, on every listener unless told one", () => {
        expect(settingsWith(attach).gateway).to.deep.equal({
            name: "public",
            namespace: "tinode",
            sectionName: undefined,
            host: "chat.example.org",
            grpcHost: undefined,
        });
        expect(settingsWith({ ...attach, gatewayNamespace: "gw", gatewaySectionName: "https" }).gateway).to.deep.include({
            namespace: "gw",
            sectionName: "https",
        });
        expect(settingsWith({}).gateway).to.equal(undefined);
    });

    it("refuses details without a Gateway, a Gateway without a host, and one host for HTTP and gRPC", () => {
        expect(configErrorFor({ gatewayHost: "chat.example.org" })).to.contain(
            "tinode:gatewayHost needs tinode:gatewayName: name the Gateway to attach to, or remove this key",
        );
        expect(configErrorFor({ gatewayName: "public" })).to.contain("tinode:gatewayName needs tinode:gatewayHost");
        expect(configErrorFor({ ...attach, gatewayGrpcHost: "chat.example.org" })).to.contain(
            "tinode:gatewayGrpcHost must differ from tinode:gatewayHost",
        );
        expect(configErrorFor({ ...attach, gatewayNamespace: "Not_A_Namespace" })).to.contain("tinode:gatewayNamespace");
        expect(configErrorFor({ ...attach, gatewayHost: "Chat.example.org" })).to.contain("tinode:gatewayHost must be lower case");
    });

    it("counts a route as public exposure: no sample users with published passwords", () => {
        expect(configErrorFor({ ...attach, sampleData: "true" })).to.contain(
            "tinode:sampleData cannot be used with a public exposure (tinode:gatewayHost chat.example.org)",
        );
    });
});
