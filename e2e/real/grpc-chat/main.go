// grpc-chat: a Tinode gRPC client built from Tinode's own pbx package at the server's version (the
// e2e's real client for gRPC through a controller). Over TLS (HTTP/2, the CA given, the host's name
// verified) it opens Node.MessageLoop, says {hi}, logs in with a basic login, subscribes to a topic,
// publishes one message and waits for that message to come back as {data}: a full chat round through
// whatever stands between it and a Tinode pod. Prints one JSON line; exits 1 on any failure.
//
//	grpc-chat -addr HOST:PORT [-connect IP:PORT] -ca CA.pem -login USER -password PW -topic TOPIC
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/tinode/chat/pbx"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

type result struct {
	Hi      int32  `json:"hi"`
	Login   int32  `json:"login"`
	Sub     int32  `json:"sub"`
	Pub     int32  `json:"pub"`
	Seq     int32  `json:"seq"`
	Echoed  bool   `json:"echoed"`
	Server  string `json:"server"`
	Elapsed int64  `json:"elapsedMs"`
}

func main() {
	addr := flag.String("addr", "", "HOST:PORT the client asks for (TLS server name and :authority)")
	connect := flag.String("connect", "", "IP:PORT to connect to instead of resolving HOST (a DNS record's answer)")
	caFile := flag.String("ca", "", "PEM file of the CA to trust (empty: the system's)")
	login := flag.String("login", "", "basic login")
	password := flag.String("password", "", "password")
	topic := flag.String("topic", "", "topic to subscribe and publish to")
	timeout := flag.Duration("timeout", 30*time.Second, "bound on the whole exchange")
	flag.Parse()
	if err := run(*addr, *connect, *caFile, *login, *password, *topic, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "grpc-chat:", err)
		os.Exit(1)
	}
}

func run(addr, connect, caFile, login, password, topic string, timeout time.Duration) error {
	start := time.Now()
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	conf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return err
		}
		conf.RootCAs = x509.NewCertPool()
		if !conf.RootCAs.AppendCertsFromPEM(pem) {
			return fmt.Errorf("%s: no certificate", caFile)
		}
	}
	opts := []grpc.DialOption{grpc.WithTransportCredentials(credentials.NewTLS(conf))}
	if connect != "" {
		opts = append(opts, grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "tcp", connect)
		}))
	}
	conn, err := grpc.NewClient("passthrough:///"+addr, opts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	stream, err := pbx.NewNodeClient(conn).MessageLoop(ctx)
	if err != nil {
		return fmt.Errorf("MessageLoop: %w", err)
	}
	out := result{}
	// ask sends one message and reads until the {ctrl} with its id; {data} on the way is kept.
	ask := func(id string, msg *pbx.ClientMsg, want int32) (*pbx.ServerCtrl, error) {
		if err := stream.Send(msg); err != nil {
			return nil, fmt.Errorf("send %s: %w", id, err)
		}
		for {
			m, err := stream.Recv()
			if err != nil {
				return nil, fmt.Errorf("waiting for the answer to %s: %w", id, err)
			}
			if d := m.GetData(); d != nil && d.Topic == topic && string(d.Content) == strconv.Quote(fmt.Sprintf("grpc %s", login)) {
				out.Echoed = true
			}
			if c := m.GetCtrl(); c != nil && c.Id == id {
				if c.Code != want {
					return c, fmt.Errorf("%s: %d %s (wanted %d)", id, c.Code, c.Text, want)
				}
				return c, nil
			}
		}
	}
	hi, err := ask("hi", &pbx.ClientMsg{Message: &pbx.ClientMsg_Hi{Hi: &pbx.ClientHi{Id: "hi", UserAgent: "tinode-k8s-e2e grpc-chat", Ver: "0.25.3", Lang: "en"}}}, 201)
	if err != nil {
		return err
	}
	out.Hi = hi.Code
	if v, ok := hi.Params["build"]; ok {
		out.Server = string(v)
	}
	secret := []byte(login + ":" + password)
	lg, err := ask("login", &pbx.ClientMsg{Message: &pbx.ClientMsg_Login{Login: &pbx.ClientLogin{Id: "login", Scheme: "basic", Secret: secret}}}, 200)
	if err != nil {
		return err
	}
	out.Login = lg.Code
	sub, err := ask("sub", &pbx.ClientMsg{Message: &pbx.ClientMsg_Sub{Sub: &pbx.ClientSub{Id: "sub", Topic: topic}}}, 200)
	if err != nil {
		return err
	}
	out.Sub = sub.Code
	content := []byte(strconv.Quote(fmt.Sprintf("grpc %s", login)))
	pub, err := ask("pub", &pbx.ClientMsg{Message: &pbx.ClientMsg_Pub{Pub: &pbx.ClientPub{Id: "pub", Topic: topic, Content: content}}}, 202)
	if err != nil {
		return err
	}
	out.Pub = pub.Code
	if v, ok := pub.Params["seq"]; ok {
		n, _ := strconv.Atoi(string(v))
		out.Seq = int32(n)
	}
	// The echo of a published message follows its {ctrl} (no_echo is false).
	for !out.Echoed {
		m, err := stream.Recv()
		if err != nil {
			return fmt.Errorf("waiting for the message to come back: %w", err)
		}
		if d := m.GetData(); d != nil && d.Topic == topic && string(d.Content) == string(content) {
			out.Echoed = true
		}
	}
	out.Elapsed = time.Since(start).Milliseconds()
	_ = stream.CloseSend()
	return json.NewEncoder(os.Stdout).Encode(out)
}
