module tinode-k8s/e2e/grpc-chat

go 1.26.0

require (
	github.com/tinode/chat v0.25.3
	google.golang.org/grpc v1.82.0
)

require (
	golang.org/x/net v0.56.0 // indirect
	golang.org/x/sys v0.46.0 // indirect
	golang.org/x/text v0.38.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260630182238-925bb5da69e7 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
