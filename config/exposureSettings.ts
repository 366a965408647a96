// Part of the stack's typed settings (config/settings.ts): how clients reach Tinode: the client Service's type and TLS, the Ingress, the Gateway API routes.
export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer";

/**
 * TLS of a NodePort or LoadBalancer Service, whose clients arrive directly. "proxy": a TLS proxy in
 * each Tinode pod serves the certificate of `secret` (cert-manager fills it when `certificate` is
 * set; one of the two is always there) and forwards only Tinode's public paths; "upstream": the operator says a load balancer in
 * front ends TLS, and the Service publishes Tinode's plain ports.
 */
export type ServiceTls =
    | {
          kind: "proxy";
          /** serviceTlsSecret; absent with `certificate`: the Secret the stack names (builders/names.ts serviceTls). */
          secret?: string;
          certificate?: { clusterIssuer: string; host: string };
          image: string;
      }
    | { kind: "upstream" };

/** An Ingress for HTTP/websocket clients; TLS when a secret or a cert-manager issuer is given. */
export interface IngressSettings {
    host: string;
    className?: string;
    /**
     * Secret holding the certificate. With clusterIssuer and no tlsSecret, cert-manager fills the one
     * builders/names.ts names (`tinode-tls`); see tlsSecretName in builders/ingress.ts.
     */
    tlsSecret?: string;
    clusterIssuer?: string;
    /** The operator's annotations for their controller (ingressAnnotations), on both Ingresses; they win over the program's. */
    annotations: Record<string, string>;
    /** Annotations of the gRPC Ingress's own Service (ingressGrpcServiceAnnotations), e.g. Traefik's h2c scheme. */
    grpcServiceAnnotations: Record<string, string>;
}

/**
 * Gateway API exposure (standard channel): an HTTPRoute for HTTP/websocket/long polling, and a
 * GRPCRoute when grpcHost is set, attached to a Gateway the operator runs or to one the stack makes.
 */
export type GatewaySettings = AttachedGateway | OwnGateway;

interface GatewayRoutes {
    host: string;
    grpcHost?: string;
}

/** The operator's Gateway: its listener ends TLS. */
export interface AttachedGateway extends GatewayRoutes {
    kind: "attach";
    /** parentRefs: the Gateway's name and namespace, and one of its listeners if given. */
    name: string;
    namespace: string;
    sectionName?: string;
}

/** A Gateway of the stack in its namespace: HTTPS listeners for the hosts, TLS from a Secret or cert-manager. */
export interface OwnGateway extends GatewayRoutes {
    kind: "own";
    className: string;
    /** The listeners' port (some implementations, Traefik among them, map it to an entry point's). */
    port: number;
    tls: { secret: string } | { clusterIssuer: string };
}
