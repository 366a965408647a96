import { expect } from "chai";
import { objectNames } from "../builders/names";
import type { ClusterCore as ClusterCoreType } from "../components/clusterCore";
import { SERVICE_ACCOUNT, SMTP } from "./helpers";
import { childrenOf, deployWith, installMocks, isSecret, one } from "./mocks";

let ClusterCore: typeof ClusterCoreType;

const deploy = (name: string, values: Record<string, string> = {}) => deployWith(ClusterCore, name, values);
const json = (v: unknown) => JSON.stringify(v);
// The servers' copy of tinode.conf and its files.
const secretData = (name: string) => one(name, "kubernetes:core/v1:Secret", `${name}-server-config`).inputs.stringData;
const pod = (name: string) => one(name, "kubernetes:apps/v1:StatefulSet", objectNames(name).tinode).inputs.spec.template;

/** Every feature on, with recognisable secrets. */
const ALL = {
    ingressHost: "chat.example.com",
    ingressClusterIssuer: "letsencrypt",
    ingressGrpcHost: "grpc.chat.example.com",
    email: json({ ...SMTP, login: "mailer", password: "SMTP-SECRET" }),
    push: json({ tnpg: { enabled: true, org: "acme", token: "TNPG-SECRET" }, fcm: { enabled: true, credentials: SERVICE_ACCOUNT } }),
    webrtc: json({ enabled: true, iceServers: [{ urls: ["turn:turn.example.com:3478"], username: "u", credential: "TURN-SECRET" }] }),
    unverifiedAccountGcHours: "48",
};

describe("ClusterCore features (mocks)", function () {
    before(async () => {
        await installMocks();
        ({ ClusterCore } = await import("../components/clusterCore"));
    });

    it("keeps the feature credentials in the config Secret only, as secrets", async () => {
        const c = await deploy("f-all", ALL);
        expect(await isSecret(c.configSecret.stringData)).to.equal(true);
        const data = secretData("f-all");
        expect(Object.keys(data).sort()).to.deep.equal(["fcm-credentials.json", "tinode.conf"]);
        expect(data["fcm-credentials.json"]).to.equal(SERVICE_ACCOUNT);
        const conf = JSON.parse(data["tinode.conf"]);
        expect(conf.acc_validation.email.config.sender_password).to.equal("SMTP-SECRET");
        expect(conf.push[0].config.token).to.equal("TNPG-SECRET");
        expect(conf.webrtc.ice_servers[0].credential).to.equal("TURN-SECRET");
        // The schema Job's copy and the servers' copy of tinode.conf, nowhere else.
        for (const r of childrenOf("f-all").filter((r) => r.name !== "f-all-config" && r.name !== "f-all-server-config")) {
            const text = JSON.stringify(r.inputs);
            for (const secret of ["SMTP-SECRET", "TNPG-SECRET", "TURN-SECRET", "PRIVATE KEY"]) expect(text, r.name).to.not.include(secret);
        }
    });

    it("mounts the FCM file with the config and rolls the pods when it changes", async () => {
        await deploy("f-fcm1", { push: json({ fcm: { enabled: true, credentials: SERVICE_ACCOUNT } }) });
        const other = json({ ...JSON.parse(SERVICE_ACCOUNT), client_email: "other@tinode-test.iam.gserviceaccount.com" });
        await deploy("f-fcm2", { push: json({ fcm: { enabled: true, credentials: other } }) });
        const t1 = pod("f-fcm1");
        const t2 = pod("f-fcm2");
        // The same tinode.conf, different service accounts: the checksum must differ.
        expect(JSON.parse(secretData("f-fcm1")["tinode.conf"]).push).to.deep.equal(JSON.parse(secretData("f-fcm2")["tinode.conf"]).push);
        expect(t1.metadata.annotations["checksum/config"]).to.not.equal(t2.metadata.annotations["checksum/config"]);
        const configVolume = t1.spec.volumes.find((v: any) => v.name === "config");
        expect(configVolume.secret).to.deep.equal({ secretName: "f-fcm1-server-config", defaultMode: 0o440 });
        expect(t1.spec.containers[0].volumeMounts.find((m: any) => m.name === "config").mountPath).to.equal("/etc/tinode");
    });

    it("mounts an operator's ICE servers Secret", async () => {
        await deploy("f-ice", { webrtc: json({ enabled: true, iceServersSecret: "turn-rotator" }) });
        const t = pod("f-ice");
        expect(t.spec.volumes.find((v: any) => v.name === "ice-servers").secret.secretName).to.equal("turn-rotator");
        expect(t.spec.containers[0].volumeMounts.find((m: any) => m.name === "ice-servers")).to.deep.equal({
            name: "ice-servers",
            mountPath: "/etc/tinode-ice",
            readOnly: true,
        });
        expect(JSON.parse(secretData("f-ice")["tinode.conf"]).webrtc.ice_servers_file).to.equal("/etc/tinode-ice/ice-servers.json");
    });

    it("adds a gRPC Ingress on its own host with its own certificate", async () => {
        await deploy("f-grpc", ALL);
        const http = one("f-grpc", "kubernetes:networking.k8s.io/v1:Ingress", objectNames("f-grpc").ingress).inputs;
        const grpc = one("f-grpc", "kubernetes:networking.k8s.io/v1:Ingress", objectNames("f-grpc").grpcIngress).inputs;
        expect(grpc.metadata.name).to.equal("f-grpc-grpc");
        expect(grpc.metadata.annotations["nginx.ingress.kubernetes.io/backend-protocol"]).to.equal("GRPC");
        expect(http.metadata.annotations).to.not.have.property("nginx.ingress.kubernetes.io/backend-protocol");
        expect(grpc.metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("letsencrypt");
        expect(grpc.spec.tls).to.deep.equal([{ hosts: ["grpc.chat.example.com"], secretName: "f-grpc-tls-grpc" }]);
        expect(http.spec.tls).to.deep.equal([{ hosts: ["chat.example.com"], secretName: objectNames("f-grpc").tls }]);
        expect(grpc.spec.rules[0].host).to.equal("grpc.chat.example.com");
        // To a Service of the gRPC port alone, whose protocol a controller may set for all of it.
        expect(grpc.spec.rules[0].http.paths[0].backend.service).to.deep.equal({ name: "f-grpc-grpc", port: { name: "grpc" } });
        const svc = one("f-grpc", "kubernetes:core/v1:Service", objectNames("f-grpc").grpcService).inputs;
        expect(svc.spec.ports.map((p: { name: string; port: number }) => [p.name, p.port])).to.deep.equal([["grpc", 16060]]);
        expect(svc.spec.selector).to.deep.equal(
            one("f-grpc", "kubernetes:core/v1:Service", objectNames("f-grpc").clientService).inputs.spec.selector,
        );
        await deploy("f-nogrpc", { ingressHost: "chat.example.com", ingressTlsSecret: "tinode-tls" });
        expect(childrenOf("f-nogrpc").filter((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")).to.have.length(1);
        const noGrpc = objectNames("f-nogrpc").grpcService;
        expect(childrenOf("f-nogrpc").filter((r) => r.type === "kubernetes:core/v1:Service" && r.name === noGrpc)).to.have.length(0);
    });

    it("keeps the Ingress body limit at least max_message_size and the upload size", async () => {
        await deploy("f-body", {
            ingressHost: "chat.example.com",
            ingressTlsSecret: "tinode-tls",
            maxMessageKb: "20480",
            mediaHandler: "fs",
        });
        const ing = one("f-body", "kubernetes:networking.k8s.io/v1:Ingress", objectNames("f-body").ingress).inputs;
        expect(ing.metadata.annotations["nginx.ingress.kubernetes.io/proxy-body-size"]).to.equal("33m");
        await deploy("f-body2", {
            ingressHost: "chat.example.com",
            ingressTlsSecret: "tinode-tls",
            maxMessageKb: "65536",
            mediaHandler: "fs",
        });
        const ing2 = one("f-body2", "kubernetes:networking.k8s.io/v1:Ingress", objectNames("f-body2").ingress).inputs;
        expect(ing2.metadata.annotations["nginx.ingress.kubernetes.io/proxy-body-size"]).to.equal("65m");
        expect(JSON.parse(secretData("f-body2")["tinode.conf"]).max_message_size).to.equal(64 * 1024 * 1024);
    });

    it("lets Tinode reach the SMTP server and the push services when isolation is on", async () => {
        await deploy("f-egress", ALL);
        const egress = one("f-egress", "kubernetes:networking.k8s.io/v1:NetworkPolicy", objectNames("f-egress").serverPolicy).inputs.spec
            .egress;
        expect(egress[egress.length - 1]).to.deep.equal({
            ports: [
                { port: 443, protocol: "TCP" },
                { port: 587, protocol: "TCP" },
            ],
        });
    });
});
