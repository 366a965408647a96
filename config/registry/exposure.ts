// Part of the config key registry (config/keys.ts puts the parts together, in this order).
// How clients reach Tinode and what else may (area "exposure"): Service, TLS proxy, Ingress, Gateway API, NetworkPolicies.
import type { KeySpec } from "./spec";

export const EXPOSURE_KEYS = {
    networkPolicies: {
        type: "boolean",
        default: true,
        area: "exposure",
        description:
            "NetworkPolicies - only Tinode pods reach the cluster port (its RPC has no authentication), only Tinode and the schema Job reach MySQL, clients reach only HTTP/gRPC. Needs a CNI that enforces them.",
    },
    networkIsolatedElsewhere: {
        type: "boolean",
        default: false,
        area: "exposure",
        description:
            "Say that another layer (a service mesh's mutual TLS and authorization, the CNI's own policies) keeps other pods away from Tinode's cluster port and MySQL. Required to turn networkPolicies off with more than one replica.",
    },
    serviceType: {
        type: "string",
        default: "ClusterIP",
        area: "exposure",
        description:
            "Type of the client Service - ClusterIP, NodePort or LoadBalancer. NodePort and LoadBalancer take clients directly, so they need TLS - serviceTlsSecret or serviceClusterIssuer (a TLS proxy in each Tinode pod), or serviceTlsTerminatedUpstream.",
    },
    serviceTlsSecret: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "kubernetes.io/tls Secret in the stack's namespace with the certificate a NodePort or LoadBalancer Service serves - a TLS proxy in each Tinode pod ends TLS on port 443 (HTTP, websocket) and 16060 (gRPC) and forwards only Tinode's public paths; cert-manager fills it when serviceClusterIssuer is set (default name <name>-service-tls then).",
    },
    serviceClusterIssuer: {
        type: "string",
        default: "",
        area: "exposure",
        description: "cert-manager ClusterIssuer that issues the certificate of a NodePort or LoadBalancer Service for serviceHost.",
    },
    serviceHost: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "The DNS name clients use for a NodePort or LoadBalancer Service (e.g. chat.example.com) - the name of the certificate serviceClusterIssuer issues.",
    },
    serviceTlsTerminatedUpstream: {
        type: "boolean",
        default: false,
        area: "exposure",
        description:
            "Say that TLS ends before a NodePort or LoadBalancer Service (the cloud load balancer's own TLS listener). The Service then publishes Tinode's plain ports 6060 and 16060.",
    },
    tlsProxyImage: {
        type: "string",
        default: "traefik:v3.7.13",
        area: "exposure",
        description: "Image of the TLS proxy next to each Tinode pod (serviceTlsSecret or serviceClusterIssuer) - Traefik, pinned.",
    },
    serviceAnnotations: {
        type: "object",
        default: {},
        area: "exposure",
        argType: "{ [key: string]: string }",
        description:
            "Annotations of the client Service - settings of a cloud load balancer, or per-Service options of a controller (with the Ingress provider of Traefik, traefik.ingress.kubernetes.io/service.sticky.cookie set to true keeps each long-poll client on one pod), e.g. pulumi config set --path 'tinode:serviceAnnotations[\"key\"]' value.",
    },
    ingressHost: {
        type: "string",
        default: "",
        area: "exposure",
        description: "Create an Ingress for HTTP/websocket clients at this host (e.g. chat.example.com). Empty - no Ingress.",
    },
    ingressClassName: {
        type: "string",
        default: "",
        area: "exposure",
        description: "IngressClass of the Ingress. Empty uses the cluster's default class.",
    },
    ingressTlsSecret: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "Secret with the TLS certificate for ingressHost (cert-manager fills it when ingressClusterIssuer is set; default name tinode-tls then).",
    },
    ingressClusterIssuer: {
        type: "string",
        default: "",
        area: "exposure",
        description: "cert-manager ClusterIssuer that issues the Ingress certificate.",
    },
    ingressAnnotations: {
        type: "object",
        default: {},
        area: "exposure",
        argType: "{ [key: string]: string }",
        description:
            "Annotations for your Ingress controller on both Ingresses (they win over the ingress-nginx ones the program sets), e.g. pulumi config set --path 'tinode:ingressAnnotations[\"haproxy.org/timeout-tunnel\"]' 1h. README, Exposure, lists what Traefik, HAProxy and F5 NGINX need.",
    },
    ingressGrpcServiceAnnotations: {
        type: "object",
        default: {},
        area: "exposure",
        argType: "{ [key: string]: string }",
        description:
            "Annotations of the Service the gRPC Ingress (ingressGrpcHost) routes to, a Service of the gRPC port alone - for controllers that read the backend protocol from the Service (Traefik, traefik.ingress.kubernetes.io/service.serversscheme set to h2c).",
    },
    ingressTlsTerminatedUpstream: {
        type: "boolean",
        default: false,
        area: "exposure",
        description:
            "Say that TLS ends before the Ingress (a load balancer or proxy in front of it). Without it, an ingressHost needs ingressTlsSecret or ingressClusterIssuer - logins must not cross the network in clear text.",
    },
    ingressGrpcHost: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "A second Ingress for gRPC clients at this host (ingress-nginx backend-protocol GRPC), with ingressHost's class and TLS; needs TLS (ingressClusterIssuer or ingressTlsSecret). Empty - no gRPC Ingress (serviceType LoadBalancer also exposes gRPC).",
    },
    gatewayName: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "Attach an HTTPRoute for HTTP/websocket clients (Gateway API, standard channel) to this Gateway, which you run; its listener ends TLS. Empty - no route (or the stack's own Gateway, gatewayClassName).",
    },
    gatewayClassName: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "Make a Gateway of this GatewayClass in the stack's namespace, with an HTTPS listener for gatewayHost (and gatewayGrpcHost), and attach the routes to it; needs gatewayTlsSecret or gatewayClusterIssuer. Not with gatewayName.",
    },
    gatewayTlsSecret: {
        type: "string",
        default: "",
        area: "exposure",
        description: "kubernetes.io/tls Secret in the stack's namespace with the certificate of the stack's Gateway (gatewayClassName).",
    },
    gatewayClusterIssuer: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "cert-manager ClusterIssuer that issues the certificate of the stack's Gateway (gatewayClassName) into the Secret tinode-gateway-tls; cert-manager needs its Gateway API support on (enableGatewayAPI).",
    },
    gatewayPort: {
        type: "integer",
        default: 443,
        area: "exposure",
        description:
            "Port of the stack's Gateway listeners (gatewayClassName), 1-65535. Some implementations map listeners to their own entry points by port (Traefik: an entry point's port, e.g. 8443).",
    },
    gatewayNamespace: {
        type: "string",
        default: "",
        area: "exposure",
        description: "The Gateway's namespace (its listener must allow routes from this stack's namespace). Empty - the stack's namespace.",
    },
    gatewaySectionName: {
        type: "string",
        default: "",
        area: "exposure",
        description: "One listener of the Gateway to attach to (parentRefs sectionName). Empty - every listener that accepts the route.",
    },
    gatewayHost: {
        type: "string",
        default: "",
        area: "exposure",
        description: "The host the HTTPRoute answers for (e.g. chat.example.com); needed with gatewayName or gatewayClassName.",
    },
    gatewayGrpcHost: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "A GRPCRoute for gRPC clients at this host on the same Gateway (another host than gatewayHost). Empty - no gRPC route.",
    },
} as const satisfies Record<string, KeySpec>;
