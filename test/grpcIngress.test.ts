import { expect } from "chai";
import { grpcIngressArgs, grpcTlsSecret, maxRequestBytes, tlsSecretName } from "../builders/ingress";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

describe("gRPC Ingress", () => {
    it("uses the operator's certificate for both hosts when cert-manager does not issue them", () => {
        const s = settingsWith({ ingressHost: "chat.example.com", ingressTlsSecret: "wildcard-tls", ingressGrpcHost: "grpc.example.com" });
        expect(grpcTlsSecret(objectNames("tinode"), s.ingress!)).to.equal("wildcard-tls");
        const args = grpcIngressArgs("tinode", objectNames("tinode"), s, s.ingress!, s.features.grpcIngressHost!) as any;
        expect(args.spec.tls).to.deep.equal([{ hosts: ["grpc.example.com"], secretName: "wildcard-tls" }]);
        expect(args.metadata.annotations).to.not.have.property("cert-manager.io/cluster-issuer");
        expect(args.metadata.annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]).to.equal("3600");
        // The whole host goes to the gRPC port: gRPC's paths are /<service>/<method>.
        expect(args.spec.rules[0].http.paths).to.deep.equal([
            { path: "/", pathType: "Prefix", backend: { service: { name: objectNames("tinode").grpcService, port: { name: "grpc" } } } },
        ]);
        expect(args.metadata.labels["app.kubernetes.io/component"]).to.equal("server");
    });

    it("gets a certificate of its own from cert-manager", () => {
        const s = settingsWith({ ingressHost: "chat.example.com", ingressClusterIssuer: "le", ingressTlsSecret: "chat-tls" });
        expect(grpcTlsSecret(objectNames("tinode"), s.ingress!)).to.equal("chat-tls-grpc");
    });

    it("takes cert-manager's Secret names from the names module when the operator names none", () => {
        const s = settingsWith({ ingressHost: "chat.example.com", ingressClusterIssuer: "le", ingressGrpcHost: "grpc.example.com" });
        expect(s.ingress!.tlsSecret).to.equal(undefined);
        expect(tlsSecretName(objectNames("chat"), s.ingress!)).to.equal("chat-tls");
        expect(grpcTlsSecret(objectNames("chat"), s.ingress!)).to.equal("chat-tls-grpc");
    });
});

describe("request body limit", () => {
    it("is the larger of max_message_size and the upload size", () => {
        expect(maxRequestBytes(settingsWith())).to.equal(4 * 1024 * 1024);
        expect(maxRequestBytes(settingsWith({ maxMessageKb: "16" }))).to.equal(16 * 1024);
        expect(maxRequestBytes(settingsWith({ maxMessageKb: "16", mediaHandler: "fs" }))).to.equal(32 * 1024 * 1024);
    });
});
