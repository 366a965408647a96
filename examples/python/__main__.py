"""A Tinode cluster from a Pulumi Python program (the tinode-k8s component package)."""
import pulumi
import pulumi_tinode_k8s as tinode

config = pulumi.Config()
tinode_cluster = tinode.TinodeCluster(
    "tinode",
    namespace=config.get("namespace"),
    replicas=config.get_int("replicas"),
    mysql_storage_size="1Gi",
    schema_dump_storage_size="1Gi",
    render_yaml_to=config.get("renderYamlTo"),
)

pulumi.export("namespace", tinode_cluster.namespace)
pulumi.export("clientUrl", tinode_cluster.client_url)
pulumi.export("nodeNames", tinode_cluster.node_names)
pulumi.export("apiKey", tinode_cluster.api_key)
