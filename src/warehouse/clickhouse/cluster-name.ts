// The cluster name in every shard's remote_servers (src/cluster writes it), which Distributed tables name.
export const clusterName = 'telmark';
